package parley.webhooks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.outbound.OutboundHttp;
import parley.storage.Database;

/**
 * Each node's delivery loop. It (1) queues a delivery row for every new event a subscription wants,
 * advancing the subscription's {@code scanned_to} in the same transaction, and (2) claims due deliveries
 * and starts an attempt for each, without waiting for any: every attempt runs on its own virtual thread
 * and ends within the time-out ({@link OutboundHttp}), so a receiver that never answers, or answers a byte
 * a second, holds only its own deliveries. A node attempts at most {@link #IN_FLIGHT} deliveries at once,
 * at most {@link #PER_SUBSCRIPTION} of them for one subscription and {@link #PER_FAILING_SUBSCRIPTION} for
 * one that is failing: a subscription with a hanging receiver and a thousand conversations waiting leaves
 * room for everyone else's. (3) A recorder writes the attempts' outcomes, many per transaction.
 *
 * <p>Claims take rows with {@code FOR UPDATE SKIP LOCKED}, so nodes never work on the same row; a claimed
 * delivery also gets a lease, so a node killed mid-attempt only delays it. A delivery is claimable only
 * when no earlier delivery of the same subscription and conversation is pending: order per conversation
 * holds across retries and nodes, while conversations proceed independently.
 */
public final class Deliverer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    private static final int SCAN_BATCH = 1000;
    private static final int SCAN_SUBSCRIPTIONS = 50;
    private static final int CLAIM_BATCH = 64;
    static final int IN_FLIGHT = 512;
    static final int PER_SUBSCRIPTION = 32;
    /** A subscription whose receiver is failing gets this few: 256 of them still leave room for the others. */
    static final int PER_FAILING_SUBSCRIPTION = 2;
    private static final int RECORD_BATCH = 256;
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    /**
     * Idle rounds start at most this often. Every commit that appends events wakes the loop: under the
     * benchmark's load it ran 200–350 rounds a second, two transactions each, even with no subscription
     * at all. One round per interval serves every wake in it; a round that found work goes on at once.
     */
    private static final Duration IDLE_ROUNDS = Duration.ofMillis(25);

    private final Database database;
    private final SigningKeys keys;
    private final WebhookSettings settings;
    private final Clock clock;
    private final OutboundHttp http;
    private final DeliveryQueue queue = new DeliveryQueue();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Semaphore wakeUp = new Semaphore(0);
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final Map<UUID, Integer> inFlightBySubscription = new ConcurrentHashMap<>();
    private final BlockingQueue<Attempted> outcomes = new LinkedBlockingQueue<>();
    private final Thread loop;
    private final Thread recorder;

    /** An attempt that ended, waiting for the recorder. */
    private record Attempted(DeliveryQueue.Claimed delivery, DeliveryQueue.Outcome outcome) {
    }

    public Deliverer(Database database, SigningKeys keys, WebhookSettings settings, Clock clock, OutboundHttp http) {
        this.database = database;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.http = http;
        this.recorder = Thread.ofVirtual().name("parley-webhook-recorder").start(this::recordOutcomes);
        this.loop = Thread.ofPlatform().name("parley-webhooks").daemon().start(this::run);
    }

    private void run() {
        while (running.get()) {
            long roundStarted = System.nanoTime();
            boolean busy = false;
            try {
                busy = scan() | deliverDue();
            } catch (RuntimeException e) {
                log.warn("webhook delivery round failed; retrying", e);
            }
            if (!busy) {
                try {
                    // due retries are found by polling; new events (LogListener) and ended attempts wake the loop
                    wakeUp.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                    long early = IDLE_ROUNDS.toNanos() - (System.nanoTime() - roundStarted);
                    Thread.sleep(Duration.ofNanos(Math.max(0, early)));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Queues deliveries for new events; true when it found any. */
    private boolean scan() {
        return database.inTransaction(handle -> {
            List<DeliveryQueue.Scan> scans = queue.claimScans(handle, SCAN_BATCH, SCAN_SUBSCRIPTIONS);
            for (DeliveryQueue.Scan scan : scans) {
                queue.advance(handle, scan, clock.instant());
            }
            return !scans.isEmpty();
        });
    }

    /** Claims what this node has room for and starts attempting it; true when it claimed any. */
    private boolean deliverDue() {
        int room = Math.min(CLAIM_BATCH, inFlight.availablePermits());
        if (room == 0) {
            return false;
        }
        Instant now = clock.instant();
        Map<UUID, Integer> busy = Map.copyOf(inFlightBySubscription);
        List<DeliveryQueue.Claimed> claimed = database.inTransaction(handle -> queue.claimDue(handle, now,
                now.plus(settings.timeout()).plus(LEASE_MARGIN), room, PER_SUBSCRIPTION, PER_FAILING_SUBSCRIPTION, busy));
        for (DeliveryQueue.Claimed delivery : claimed) {
            inFlight.acquireUninterruptibly(); // only this thread takes permits: one is free for each
            inFlightBySubscription.merge(delivery.subscription(), 1, Integer::sum);
            Thread.ofVirtual().name("parley-webhook-attempt").start(() -> {
                try {
                    attempt(delivery);
                } catch (RuntimeException e) { // the lease runs out and the delivery is attempted again
                    log.warn("webhook delivery {} of subscription {} failed to run", delivery.position(),
                            delivery.subscription(), e);
                } finally {
                    inFlightBySubscription.computeIfPresent(delivery.subscription(), (s, n) -> n == 1 ? null : n - 1);
                    inFlight.release();
                    wake();
                }
            });
        }
        return !claimed.isEmpty();
    }

    private void attempt(DeliveryQueue.Claimed delivery) {
        Instant start = clock.instant();
        Envelope envelope = Envelope.of(delivery.event(), delivery.site(), delivery.secret(), keys, start);
        Integer status = null;
        String error;
        long began = System.nanoTime();
        try {
            OutboundHttp.Answer answer = http.post(URI.create(delivery.url()), envelope.headers(), Envelope.CONTENT_TYPE,
                    envelope.body(), settings.timeout());
            status = answer.status();
            error = status / 100 == 2 ? null
                    : "answered " + status + (answer.excerpt().isBlank() ? "" : ": " + answer.excerpt().strip());
        } catch (OutboundHttp.NoAnswer e) {
            error = e.getMessage();
        } catch (IllegalArgumentException e) {
            error = "not a URL Parley can send to: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the lease runs out and the delivery is attempted again
        }
        int latency = (int) ((System.nanoTime() - began) / 1_000_000);
        outcomes.add(new Attempted(delivery, new DeliveryQueue.Outcome(start, status, latency, error)));
    }

    /** Writes ended attempts, as many as are waiting, in one transaction; then the next ones. */
    private void recordOutcomes() {
        List<Attempted> batch = new ArrayList<>();
        while (running.get() || !outcomes.isEmpty()) {
            try {
                batch.add(outcomes.take());
            } catch (InterruptedException e) {
                if (outcomes.isEmpty()) {
                    return;
                }
            }
            outcomes.drainTo(batch, RECORD_BATCH - batch.size());
            try {
                database.inTransaction(handle -> {
                    record(handle, batch);
                    return null;
                });
            } catch (RuntimeException batchFailed) { // each alone, so that one cannot lose the others
                for (Attempted attempted : batch) {
                    try {
                        database.inTransaction(handle -> {
                            record(handle, List.of(attempted));
                            return null;
                        });
                    } catch (RuntimeException e) { // the lease runs out and the delivery is attempted again
                        log.warn("could not record webhook delivery {} of subscription {}",
                                attempted.delivery().position(), attempted.delivery().subscription(), e);
                    }
                }
            }
            batch.clear();
            wake(); // a recorded delivery lets the next one of its conversation go
        }
    }

    /**
     * Delivered, or retried after a back-off, or given up once the retry window is over. Each subscription's
     * row is locked before its deliveries', as deleting or editing a subscription does, so neither waits
     * for the other in a circle; a subscription deleted meanwhile took its deliveries with it.
     */
    private void record(Handle handle, List<Attempted> batch) {
        Map<UUID, List<Attempted>> bySubscription = new LinkedHashMap<>();
        batch.stream().sorted(Comparator.comparing((Attempted a) -> a.delivery().site().value())
                        .thenComparing(a -> a.delivery().subscription()))
                .forEach(a -> bySubscription.computeIfAbsent(a.delivery().subscription(), s -> new ArrayList<>()).add(a));
        Instant now = clock.instant();
        for (List<Attempted> attempts : bySubscription.values()) {
            DeliveryQueue.Claimed first = attempts.getFirst().delivery();
            if (!queue.lockSubscription(handle, first.site(), first.subscription())) {
                continue;
            }
            for (Attempted attempted : attempts) {
                DeliveryQueue.Claimed delivery = attempted.delivery();
                DeliveryQueue.Outcome outcome = attempted.outcome();
                Instant next = now.plus(settings.backoff(delivery.attempt(), ThreadLocalRandom.current().nextDouble()));
                Delivery.Status status = outcome.ok() ? Delivery.Status.DELIVERED
                        : next.isAfter(delivery.queuedAt().plus(settings.retryFor())) ? Delivery.Status.GAVE_UP
                        : Delivery.Status.PENDING;
                queue.record(handle, delivery, outcome, status, next, now);
                queue.health(handle, delivery, outcome.ok(), now, now.minus(settings.disableAfter()));
            }
        }
    }

    /** New events may be waiting, or room for more attempts: look now rather than at the end of the poll. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    @Override
    public void close() {
        running.set(false);
        loop.interrupt();
        recorder.interrupt();
        try {
            loop.join(Duration.ofSeconds(5));
            recorder.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
