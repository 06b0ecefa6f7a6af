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
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.events.Event;
import parley.events.EventLog;
import parley.sites.SiteId;
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
    private static final int CLAIM_BATCH = 32;
    private static final int MAX_ERROR = 500;

    private final Database database;
    private final EventLog events;
    private final SigningKeys keys;
    private final WebhookSettings settings;
    private final Clock clock;
    private final HttpClient http;
    private final AtomicBoolean running = new AtomicBoolean(true);
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
            boolean busy = false;
            try {
                busy = scan() | deliverDue();
            } catch (RuntimeException e) {
                log.warn("webhook delivery round failed; retrying", e);
            }
            if (!busy) {
                try {
                    Thread.sleep(settings.poll());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Queues deliveries for new events; true when it found any. */
    private boolean scan() {
        return database.inTransaction(handle -> {
            record Due(SiteId site, UUID subscription, String[] slugs, long scannedTo, long to) {
            }
            List<Due> due = handle.createQuery("""
                            SELECT s.site_id, s.subscription_id, s.event_types, s.scanned_to,
                                   LEAST(h.last_position, s.scanned_to + :batch) AS scan_to
                            FROM webhook_subscriptions s
                            JOIN event_log_heads h ON h.site_id = s.site_id
                            WHERE s.enabled AND s.scanned_to < h.last_position
                            LIMIT 50
                            FOR UPDATE OF s SKIP LOCKED
                            """)
                    .bind("batch", SCAN_BATCH)
                    .map((rs, ctx) -> new Due(new SiteId(rs.getObject("site_id", UUID.class)),
                            rs.getObject("subscription_id", UUID.class),
                            Webhooks.slugs(List.of((String[]) rs.getArray("event_types").getArray())),
                            rs.getLong("scanned_to"), rs.getLong("scan_to")))
                    .list();
            WebhookRepository repository = new WebhookRepository();
            for (Due d : due) {
                repository.queue(handle, d.site(), d.subscription(), d.scannedTo() + 1, d.to(), d.slugs(), clock.instant(),
                        false);
                handle.createUpdate("""
                                UPDATE webhook_subscriptions SET scanned_to = :to
                                WHERE site_id = :site AND subscription_id = :subscription
                                """)
                        .bind("to", d.to())
                        .bind("site", d.site().value())
                        .bind("subscription", d.subscription())
                        .execute();
            }
            return !due.isEmpty();
        });
    }

    private record Claimed(SiteId site, UUID subscription, long position, int attempt, Instant queuedAt, String url,
                           String secret) {
    }

    /** Claims due deliveries and attempts them in parallel; true when it claimed any. */
    private boolean deliverDue() {
        Instant now = clock.instant();
        List<Claimed> claimed = database.inTransaction(handle -> handle.createQuery("""
                        UPDATE webhook_deliveries d
                           SET leased_until = :leaseEnd, attempts = d.attempts + 1
                          FROM (SELECT d.site_id, d.subscription_id, d.position
                                  FROM webhook_deliveries d
                                  JOIN webhook_subscriptions s
                                    ON s.site_id = d.site_id AND s.subscription_id = d.subscription_id AND s.enabled
                                 WHERE d.status = 'PENDING' AND d.next_attempt_at <= :now
                                   AND (d.leased_until IS NULL OR d.leased_until < :now)
                                   AND NOT EXISTS (SELECT 1 FROM webhook_deliveries earlier
                                                    WHERE earlier.site_id = d.site_id
                                                      AND earlier.subscription_id = d.subscription_id
                                                      AND earlier.ordering_key = d.ordering_key
                                                      AND earlier.status = 'PENDING'
                                                      AND earlier.position < d.position)
                                 ORDER BY d.next_attempt_at
                                 LIMIT :limit
                                   FOR UPDATE OF d SKIP LOCKED) due,
                               webhook_subscriptions s
                         WHERE d.site_id = due.site_id AND d.subscription_id = due.subscription_id
                           AND d.position = due.position
                           AND s.site_id = d.site_id AND s.subscription_id = d.subscription_id
                        RETURNING d.site_id, d.subscription_id, d.position, d.attempts, d.queued_at, s.url, s.secret
                        """)
                .bind("now", now)
                .bind("leaseEnd", now.plus(settings.timeout()).plusSeconds(5))
                .bind("limit", CLAIM_BATCH)
                .map((rs, ctx) -> new Claimed(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("subscription_id", UUID.class), rs.getLong("position"), rs.getInt("attempts"),
                        WebhookRepository.instant(rs, "queued_at"), rs.getString("url"), rs.getString("secret")))
                .list());
        List<Thread> attempts = new ArrayList<>();
        for (Claimed delivery : claimed) {
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

    private void attempt(Claimed delivery) {
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
        record(delivery, start, status, latency, error == null ? null
                : error.substring(0, Math.min(error.length(), MAX_ERROR)));
    }

    private void record(Claimed d, Instant at, Integer status, int latencyMs, String error) {
        boolean ok = error == null;
        Instant now = clock.instant();
        Instant next = now.plus(settings.backoff(d.attempt(), ThreadLocalRandom.current().nextDouble()));
        String outcome = ok ? "DELIVERED" : next.isAfter(d.queuedAt().plus(settings.retryFor())) ? "GAVE_UP" : "PENDING";
        database.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO webhook_attempts (site_id, subscription_id, position, attempt, attempted_at,
                                                          status_code, latency_ms, error)
                            VALUES (:site, :subscription, :position, :attempt, :at, :status, :latency, :error)
                            ON CONFLICT DO NOTHING
                            """)
                    .bind("site", d.site().value()).bind("subscription", d.subscription())
                    .bind("position", d.position()).bind("attempt", d.attempt()).bind("at", at)
                    .bind("status", status).bind("latency", latencyMs).bind("error", error)
                    .execute();
            // Only while the lease is ours: a node that took over after it ran out records its own attempt.
            handle.createUpdate("""
                            UPDATE webhook_deliveries
                               SET status = :outcome, next_attempt_at = :next, leased_until = NULL,
                                   delivered_at = CASE WHEN :ok THEN CAST(:now AS timestamptz) END, last_status_code = :status,
                                   last_error = :error, last_latency_ms = :latency
                             WHERE site_id = :site AND subscription_id = :subscription AND position = :position
                               AND attempts = :attempt AND status = 'PENDING'
                            """)
                    .bind("site", d.site().value()).bind("subscription", d.subscription())
                    .bind("position", d.position()).bind("attempt", d.attempt()).bind("outcome", outcome)
                    .bind("next", next).bind("ok", ok).bind("now", now).bind("status", status)
                    .bind("error", error).bind("latency", latencyMs)
                    .execute();
            health(handle, d, ok, now);
            return null;
        });
    }

    /** A success makes the subscription healthy; failing for longer than allowed turns it off, visibly. */
    private void health(Handle handle, Claimed d, boolean ok, Instant now) {
        handle.createUpdate("""
                        UPDATE webhook_subscriptions
                           SET failing_since = CASE WHEN :ok THEN NULL ELSE COALESCE(failing_since, :now) END,
                               enabled = enabled AND (:ok OR COALESCE(failing_since, :now) > :disableBefore),
                               disabled_reason = CASE
                                   WHEN NOT :ok AND enabled AND COALESCE(failing_since, :now) <= :disableBefore
                                   THEN 'every delivery failed since ' || to_char(failing_since AT TIME ZONE 'UTC',
                                        'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '; turn it on again to resume'
                                   ELSE disabled_reason END
                         WHERE site_id = :site AND subscription_id = :subscription
                        """)
                .bind("ok", ok).bind("now", now).bind("disableBefore", now.minus(settings.disableAfter()))
                .bind("site", d.site().value()).bind("subscription", d.subscription())
                .execute();
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
