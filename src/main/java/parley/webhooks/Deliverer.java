package parley.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.events.Event;
import parley.events.EventLog;
import parley.storage.Database;

/**
 * Each node's delivery loop. It (1) queues a delivery row for every new event a subscription wants,
 * advancing the subscription's {@code scanned_to} in the same transaction, and (2) claims due deliveries
 * and attempts them. Both claims take rows with {@code FOR UPDATE SKIP LOCKED}, so nodes never work on
 * the same row; a claimed delivery also gets a lease, so a node killed mid-attempt only delays it. A
 * delivery is claimable only when no earlier delivery of the same subscription and conversation is
 * pending: order per conversation holds across retries and nodes.
 */
public final class Deliverer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deliverer.class);
    private static final int SCAN_BATCH = 1000;
    private static final int SCAN_SUBSCRIPTIONS = 50;
    private static final int CLAIM_BATCH = 32;
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(5);
    private static final int MAX_ERROR = 500;
    /**
     * Idle rounds start at most this often. Every commit that appends events wakes the loop: under the
     * benchmark's load it ran 200–350 rounds a second, two transactions each, even with no subscription
     * at all. One round per interval serves every wake in it; a round that found work goes on at once.
     */
    private static final Duration IDLE_ROUNDS = Duration.ofMillis(25);

    private final Database database;
    private final EventLog events;
    private final SigningKeys keys;
    private final WebhookSettings settings;
    private final Clock clock;
    private final DeliveryQueue queue = new DeliveryQueue();
    private final HttpClient http;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Semaphore wakeUp = new Semaphore(0);
    private final Thread loop;

    public Deliverer(Database database, EventLog events, SigningKeys keys, WebhookSettings settings, Clock clock) {
        this.database = database;
        this.events = events;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
                    // due retries are found by polling; new events also wake the loop (LogListener)
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

    /** Claims due deliveries and attempts them in parallel; true when it claimed any. */
    private boolean deliverDue() {
        Instant now = clock.instant();
        List<DeliveryQueue.Claimed> claimed = database.inTransaction(handle ->
                queue.claimDue(handle, now, now.plus(settings.timeout()).plus(LEASE_MARGIN), CLAIM_BATCH));
        List<Thread> attempts = new ArrayList<>();
        for (DeliveryQueue.Claimed delivery : claimed) {
            attempts.add(Thread.ofVirtual().start(() -> {
                try {
                    attempt(delivery);
                } catch (RuntimeException e) { // the lease runs out and the delivery is attempted again
                    log.warn("webhook delivery {} to {} failed to run", delivery.position(), delivery.url(), e);
                }
            }));
        }
        for (Thread attempt : attempts) {
            try {
                attempt.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !claimed.isEmpty();
    }

    private void attempt(DeliveryQueue.Claimed delivery) {
        Event event = events.readAfter(delivery.site(), delivery.position() - 1, 1).getFirst();
        Instant start = clock.instant();
        Envelope envelope = Envelope.of(event, delivery.site(), delivery.secret(), keys, start);
        Integer status = null;
        String error = null;
        long began = System.nanoTime();
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(settings.timeout())
                    .POST(HttpRequest.BodyPublishers.ofString(envelope.body()));
            envelope.headers().forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            if (status / 100 != 2) {
                error = "answered " + status + (response.body().isBlank() ? "" : ": " + response.body());
            }
        } catch (HttpTimeoutException e) {
            error = "no answer within " + settings.timeout().toMillis() + " ms";
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the lease runs out and the delivery is attempted again
        }
        int latency = (int) ((System.nanoTime() - began) / 1_000_000);
        record(delivery, new DeliveryQueue.Outcome(start, status, latency,
                error == null ? null : error.substring(0, Math.min(error.length(), MAX_ERROR))));
    }

    /** Delivered, or retried after a back-off, or given up once the retry window is over. */
    private void record(DeliveryQueue.Claimed delivery, DeliveryQueue.Outcome outcome) {
        Instant now = clock.instant();
        Instant next = now.plus(settings.backoff(delivery.attempt(), ThreadLocalRandom.current().nextDouble()));
        Delivery.Status status = outcome.ok() ? Delivery.Status.DELIVERED
                : next.isAfter(delivery.queuedAt().plus(settings.retryFor())) ? Delivery.Status.GAVE_UP
                : Delivery.Status.PENDING;
        database.inTransaction(handle -> {
            queue.record(handle, delivery, outcome, status, next, now);
            queue.health(handle, delivery, outcome.ok(), now, now.minus(settings.disableAfter()));
            return null;
        });
    }

    /** New events may be waiting: look now rather than at the end of the poll interval. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    @Override
    public void close() {
        running.set(false);
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
