package parley.live;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import parley.events.Event;

/**
 * One stream's place in its site's feed: the events it wants, queued as the feed reads them. A stream
 * too slow to keep up loses its queue and catches up from the database instead ({@link #overflowed}).
 */
final class Subscription {
    static final int CAPACITY = 1000;

    private final Predicate<Event> wanted;
    private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final AtomicBoolean overflowed = new AtomicBoolean();

    Subscription(Predicate<Event> wanted) {
        this.wanted = wanted;
    }

    void offer(Event event) {
        if (wanted.test(event) && !queue.offer(event)) {
            overflowed.set(true);
        }
    }

    /** The next event, or null when none came within {@code wait}. */
    Event next(Duration wait) throws InterruptedException {
        return queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True once after events were dropped; the queue is then emptied, as the stream reads the database. */
    boolean overflowed() {
        if (!overflowed.getAndSet(false)) {
            return false;
        }
        queue.clear();
        return true;
    }
}
