package parley.live;

import java.time.Duration;
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
    private final Predicate<Event> wakesFor;
    private final Semaphore woken = new Semaphore(0);

    Subscription(Predicate<Event> wakesFor) {
        this.wakesFor = wakesFor;
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
