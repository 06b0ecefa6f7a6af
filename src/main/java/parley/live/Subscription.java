package parley.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import parley.events.Event;

/**
 * One stream's place in its site's feed: a wake-up when an event it may want is added to the log. The
 * stream then reads what it shows from the database itself, so what a stream may see is decided in one
 * query per kind of stream, never here.
 */
final class Subscription {
    /** Typing signals not yet sent; a stream that falls this far behind drops the rest (they mean "now"). */
    private static final int MAX_SIGNALS = 16;

    private final Predicate<Event> wakesFor;
    private final Predicate<Typing.Signal> showsTyping;
    private final Semaphore woken = new Semaphore(0);
    private final ConcurrentLinkedQueue<Typing.Signal> signals = new ConcurrentLinkedQueue<>();

    Subscription(Predicate<Event> wakesFor, Predicate<Typing.Signal> showsTyping) {
        this.wakesFor = wakesFor;
        this.showsTyping = showsTyping;
    }

    void offer(Typing.Signal signal) {
        if (showsTyping.test(signal) && signals.size() < MAX_SIGNALS) {
            signals.add(signal);
            if (woken.availablePermits() == 0) {
                woken.release();
            }
        }
    }

    /** The typing signals since the last call. */
    List<Typing.Signal> takeSignals() {
        List<Typing.Signal> taken = new ArrayList<>();
        for (Typing.Signal signal; (signal = signals.poll()) != null; ) {
            taken.add(signal);
        }
        return taken;
    }

    void offer(Event event) {
        if (wakesFor.test(event) && woken.availablePermits() == 0) {
            woken.release();
        }
    }

    /** Waits up to {@code wait} for a wake-up; true when one came. */
    boolean await(Duration wait) throws InterruptedException {
        boolean came = woken.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        woken.drainPermits();
        return came;
    }
}
