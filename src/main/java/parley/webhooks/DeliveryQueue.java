package parley.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.events.Event;
import parley.events.EventLog;
import parley.sites.SiteId;

/**
 * SQL of the delivery queue: delivery rows for new events, claiming due deliveries across nodes
 * ({@code FOR UPDATE SKIP LOCKED} plus a lease), and recording what each attempt did.
 */
final class DeliveryQueue {
    /** A subscription with events to queue: those after {@code scannedTo}, up to {@code to}. */
    record Scan(SiteId site, UUID subscription, String[] slugs, long scannedTo, long to) {
    }

    /** A delivery this node now attempts, under a lease, with the event it delivers. */
    record Claimed(SiteId site, UUID subscription, int attempt, Instant queuedAt, String url, String secret,
                   Event event) {
        long position() {
            return event.position();
        }
    }

    /** What one attempt did. Nullable: {@code statusCode} (no answer), {@code error} (a 2xx). */
    record Outcome(Instant at, Integer statusCode, int latencyMs, String error) {
        boolean ok() {
            return error == null;
        }
    }

    /**
     * Delivery rows for the site's events in [from, to] of the given slugs (all when null). New events
     * ({@code again} false) leave existing rows alone; a replay or redelivery ({@code again}) makes them
     * pending again, now, whatever became of them. Returns how many rows it wrote.
     */
    int queue(Handle handle, SiteId site, UUID subscription, long from, long to, String[] slugs, Instant now,
              boolean again) {
        return handle.createUpdate("""
                        INSERT INTO webhook_deliveries (site_id, subscription_id, position, ordering_key, status,
                                                        attempts, queued_at, next_attempt_at)
                        SELECT e.site_id, :subscription, e.position, COALESCE(e.conversation_id::text, e.entity_id),
                               'PENDING', 0, :now, :now
                        FROM events e
                        WHERE e.site_id = :site AND e.position >= :from AND e.position <= :to
                          AND (CAST(:slugs AS text[]) IS NULL OR e.slug = ANY(CAST(:slugs AS text[])))
                        """ + (again ? """
                        ON CONFLICT (site_id, subscription_id, position) DO UPDATE
                            SET status = 'PENDING', queued_at = :now, next_attempt_at = :now, leased_until = NULL
                        """ : "ON CONFLICT DO NOTHING"))
                .bind("site", site.value())
                .bind("subscription", subscription)
                .bind("from", from)
                .bind("to", to)
                .bind("slugs", slugs)
                .bind("now", now)
                .execute();
    }

    /**
     * Takes up to {@code limit} subscriptions behind their site's log, locking them and skipping those
     * another node holds; each scans at most {@code batch} positions.
     */
    List<Scan> claimScans(Handle handle, int batch, int limit) {
        return handle.createQuery("""
                        SELECT s.site_id, s.subscription_id, s.event_types, s.scanned_to,
                               LEAST(h.last_position, s.scanned_to + :batch) AS scan_to
                        FROM webhook_subscriptions s
                        JOIN event_log_heads h ON h.site_id = s.site_id
                        WHERE s.enabled AND s.scanned_to < h.last_position
                        LIMIT :limit
                        FOR UPDATE OF s SKIP LOCKED
                        """)
                .bind("batch", batch)
                .bind("limit", limit)
                .map((rs, ctx) -> new Scan(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("subscription_id", UUID.class),
                        Webhooks.slugs(WebhookRepository.eventTypes(rs.getArray("event_types"))),
                        rs.getLong("scanned_to"), rs.getLong("scan_to")))
                .list();
    }

    /** Queues the scan's events and moves the subscription past them, in the caller's transaction. */
    void advance(Handle handle, Scan scan, Instant now) {
        queue(handle, scan.site(), scan.subscription(), scan.scannedTo() + 1, scan.to(), scan.slugs(), now, false);
        handle.createUpdate("""
                        UPDATE webhook_subscriptions SET scanned_to = :to
                        WHERE site_id = :site AND subscription_id = :subscription
                        """)
                .bind("to", scan.to())
                .bind("site", scan.site().value())
                .bind("subscription", scan.subscription())
                .execute();
    }

    /**
     * Claims up to {@code limit} due deliveries of enabled subscriptions, leasing them until {@code leaseEnd}: the
     * oldest due first, at most {@code perSubscription} of a subscription ({@code perFailingSubscription} of one that
     * is failing) less what this node already attempts of it ({@code busy}). A delivery is due only when it is the
     * earliest pending one of its subscription and ordering key (one pass over the pending index, in its order, finds
     * each key's head). Candidates are chosen without locks, then locked skipping those another node holds; the lock
     * re-checks that each is still pending and not leased.
     */
    List<Claimed> claimDue(Handle handle, Instant now, Instant leaseEnd, int limit, int perSubscription,
                           int perFailingSubscription, Map<UUID, Integer> busy) {
        return handle.createQuery("""
                        WITH busy AS (
                            SELECT * FROM unnest(CAST(:busy AS uuid[]), CAST(:busyCounts AS int[]))
                                       AS b(subscription_id, attempts)
                        ), chosen AS (
                            SELECT due.site_id, due.subscription_id, due.position
                              FROM webhook_subscriptions s
                              LEFT JOIN busy b ON b.subscription_id = s.subscription_id
                             CROSS JOIN LATERAL (
                                   SELECT head.* FROM (
                                       SELECT DISTINCT ON (d.ordering_key) d.site_id, d.subscription_id, d.position,
                                              d.next_attempt_at, d.leased_until
                                         FROM webhook_deliveries d
                                        WHERE d.site_id = s.site_id AND d.subscription_id = s.subscription_id
                                          AND d.status = 'PENDING'
                                        ORDER BY d.ordering_key, d.position) head
                                    WHERE head.next_attempt_at <= :now
                                      AND (head.leased_until IS NULL OR head.leased_until < :now)
                                    ORDER BY head.next_attempt_at
                                    LIMIT GREATEST(0, CASE WHEN s.failing_since IS NULL THEN :perSubscription
                                                           ELSE :perFailingSubscription END
                                                      - COALESCE(b.attempts, 0))) due
                             WHERE s.enabled
                             ORDER BY due.next_attempt_at
                             LIMIT :limit
                        )
                        UPDATE webhook_deliveries d
                           SET leased_until = :leaseEnd, attempts = d.attempts + 1
                          FROM (SELECT d.site_id, d.subscription_id, d.position
                                  FROM webhook_deliveries d
                                  JOIN chosen c ON c.site_id = d.site_id AND c.subscription_id = d.subscription_id
                                               AND c.position = d.position
                                 WHERE d.status = 'PENDING' AND (d.leased_until IS NULL OR d.leased_until < :now)
                                   FOR UPDATE OF d SKIP LOCKED) due,
                               webhook_subscriptions s, events e
                         WHERE d.site_id = due.site_id AND d.subscription_id = due.subscription_id
                           AND d.position = due.position
                           AND s.site_id = d.site_id AND s.subscription_id = d.subscription_id
                           AND e.site_id = d.site_id AND e.position = d.position
                        RETURNING d.site_id, d.subscription_id, d.attempts, d.queued_at, s.url, s.secret,
                        """ + EventLog.columns("e"))
                .bind("now", now)
                .bind("leaseEnd", leaseEnd)
                .bind("limit", limit)
                .bind("perSubscription", perSubscription)
                .bind("perFailingSubscription", perFailingSubscription)
                .bind("busy", busy.entrySet().stream().map(Map.Entry::getKey).toArray(UUID[]::new))
                .bind("busyCounts", busy.entrySet().stream().map(Map.Entry::getValue).toArray(Integer[]::new))
                .map((rs, ctx) -> new Claimed(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("subscription_id", UUID.class), rs.getInt("attempts"),
                        WebhookRepository.instant(rs, "queued_at"), rs.getString("url"), rs.getString("secret"),
                        EventLog.event(rs)))
                .list();
    }

    /**
     * Locks the subscription for recording its attempts; false when it no longer exists. Its row is locked
     * before its deliveries', in the order deleting or editing it takes them.
     */
    boolean lockSubscription(Handle handle, SiteId site, UUID subscription) {
        return handle.createQuery("""
                        SELECT 1 FROM webhook_subscriptions
                        WHERE site_id = :site AND subscription_id = :subscription
                        FOR NO KEY UPDATE
                        """)
                .bind("site", site.value())
                .bind("subscription", subscription)
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
    }

    /**
     * Logs the attempt and sets the delivery's state, both only while the lease is ours: a node that took
     * over after it ran out records its own attempt.
     */
    void record(Handle handle, Claimed d, Outcome o, Delivery.Status status, Instant next, Instant now) {
        handle.createUpdate("""
                        INSERT INTO webhook_attempts (site_id, subscription_id, position, attempt, attempted_at,
                                                      status_code, latency_ms, error)
                        VALUES (:site, :subscription, :position, :attempt, :at, :status, :latency, :error)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("site", d.site().value()).bind("subscription", d.subscription())
                .bind("position", d.position()).bind("attempt", d.attempt()).bind("at", o.at())
                .bind("status", o.statusCode()).bind("latency", o.latencyMs()).bind("error", o.error())
                .execute();
        handle.createUpdate("""
                        UPDATE webhook_deliveries
                           SET status = :outcome, next_attempt_at = :next, leased_until = NULL,
                               delivered_at = CASE WHEN :ok THEN CAST(:now AS timestamptz) END,
                               last_status_code = :status, last_error = :error, last_latency_ms = :latency
                         WHERE site_id = :site AND subscription_id = :subscription AND position = :position
                           AND attempts = :attempt AND status = 'PENDING'
                        """)
                .bind("site", d.site().value()).bind("subscription", d.subscription())
                .bind("position", d.position()).bind("attempt", d.attempt()).bind("outcome", status.name())
                .bind("next", next).bind("ok", o.ok()).bind("now", now).bind("status", o.statusCode())
                .bind("error", o.error()).bind("latency", o.latencyMs())
                .execute();
    }

    /** A success makes the subscription healthy; failing since before {@code disableBefore} turns it off, visibly. */
    void health(Handle handle, Claimed d, boolean ok, Instant now, Instant disableBefore) {
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
                .bind("ok", ok).bind("now", now).bind("disableBefore", disableBefore)
                .bind("site", d.site().value()).bind("subscription", d.subscription())
                .execute();
    }
}
