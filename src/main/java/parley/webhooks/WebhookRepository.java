package parley.webhooks;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.events.EventType;
import parley.sites.SiteId;

/** SQL for subscriptions, deliveries and attempts. */
final class WebhookRepository {
    private static final String SUBSCRIPTION = """
            subscription_id, url, event_types, enabled, secret, failing_since, disabled_reason, created_at,
            updated_at""";
    private static final String DELIVERY = """
            d.position, e.slug, d.ordering_key, d.status, d.attempts, d.queued_at, d.next_attempt_at, d.delivered_at,
            d.last_status_code, d.last_error, d.last_latency_ms""";

    void insert(Handle handle, SiteId site, Subscription s, long scannedTo) {
        handle.createUpdate("""
                        INSERT INTO webhook_subscriptions (site_id, subscription_id, url, event_types, enabled, secret,
                                                           scanned_to, created_at, updated_at)
                        VALUES (:site, :id, :url, :types, :enabled, :secret, :scannedTo, :created, :created)
                        """)
                .bind("site", site.value())
                .bind("id", s.id())
                .bind("url", s.url())
                .bind("types", s.eventTypes().stream().map(EventType::webhookEventType).toArray(String[]::new))
                .bind("enabled", s.enabled())
                .bind("secret", s.secret())
                .bind("scannedTo", scannedTo)
                .bind("created", s.createdAt())
                .execute();
    }

    Optional<Subscription> find(Handle handle, SiteId site, UUID id) {
        return handle.createQuery("SELECT " + SUBSCRIPTION
                        + " FROM webhook_subscriptions WHERE site_id = :site AND subscription_id = :id")
                .bind("site", site.value())
                .bind("id", id)
                .map((rs, ctx) -> subscription(rs))
                .findOne();
    }

    List<Subscription> list(Handle handle, SiteId site) {
        return handle.createQuery("SELECT " + SUBSCRIPTION
                        + " FROM webhook_subscriptions WHERE site_id = :site ORDER BY created_at, subscription_id")
                .bind("site", site.value())
                .map((rs, ctx) -> subscription(rs))
                .list();
    }

    /** Stores an edit; turning a subscription on clears its failure record. */
    void update(Handle handle, SiteId site, Subscription s) {
        handle.createUpdate("""
                        UPDATE webhook_subscriptions SET url = :url, event_types = :types, enabled = :enabled,
                               failing_since = :failingSince, disabled_reason = :reason, updated_at = :updated
                        WHERE site_id = :site AND subscription_id = :id
                        """)
                .bind("site", site.value())
                .bind("id", s.id())
                .bind("url", s.url())
                .bind("types", s.eventTypes().stream().map(EventType::webhookEventType).toArray(String[]::new))
                .bind("enabled", s.enabled())
                .bind("failingSince", s.failingSince())
                .bind("reason", s.disabledReason())
                .bind("updated", s.updatedAt())
                .execute();
    }

    boolean delete(Handle handle, SiteId site, UUID id) {
        return handle.createUpdate("DELETE FROM webhook_subscriptions WHERE site_id = :site AND subscription_id = :id")
                .bind("site", site.value())
                .bind("id", id)
                .execute() == 1;
    }

    List<Delivery> deliveries(Handle handle, SiteId site, UUID subscription, long before, int limit) {
        return handle.createQuery("SELECT " + DELIVERY + """
                         FROM webhook_deliveries d
                         JOIN events e ON e.site_id = d.site_id AND e.position = d.position
                        WHERE d.site_id = :site AND d.subscription_id = :subscription AND d.position < :before
                        ORDER BY d.position DESC LIMIT :limit
                        """)
                .bind("site", site.value())
                .bind("subscription", subscription)
                .bind("before", before)
                .bind("limit", limit)
                .map((rs, ctx) -> delivery(rs, List.of()))
                .list();
    }

    Optional<Delivery> delivery(Handle handle, SiteId site, UUID subscription, long position) {
        List<Delivery.Attempt> attempts = handle.createQuery("""
                        SELECT attempt, attempted_at, status_code, latency_ms, error FROM webhook_attempts
                        WHERE site_id = :site AND subscription_id = :subscription AND position = :position
                        ORDER BY attempt
                        """)
                .bind("site", site.value())
                .bind("subscription", subscription)
                .bind("position", position)
                .map((rs, ctx) -> new Delivery.Attempt(rs.getInt("attempt"), instant(rs, "attempted_at"),
                        (Integer) rs.getObject("status_code"), rs.getInt("latency_ms"), rs.getString("error")))
                .list();
        return handle.createQuery("SELECT " + DELIVERY + """
                         FROM webhook_deliveries d
                         JOIN events e ON e.site_id = d.site_id AND e.position = d.position
                        WHERE d.site_id = :site AND d.subscription_id = :subscription AND d.position = :position
                        """)
                .bind("site", site.value())
                .bind("subscription", subscription)
                .bind("position", position)
                .map((rs, ctx) -> delivery(rs, attempts))
                .findOne();
    }

    private static Subscription subscription(ResultSet rs) throws SQLException {
        return new Subscription(rs.getObject("subscription_id", UUID.class), rs.getString("url"),
                eventTypes(rs.getArray("event_types")), rs.getBoolean("enabled"), rs.getString("secret"),
                instant(rs, "failing_since"), rs.getString("disabled_reason"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    /** The stored event types, under their current names whatever name they were stored with. */
    static List<EventType> eventTypes(Array stored) throws SQLException {
        return Arrays.stream((String[]) stored.getArray())
                .flatMap(name -> EventType.ofWebhookEventType(name).stream()).distinct().toList();
    }

    private static Delivery delivery(ResultSet rs, List<Delivery.Attempt> attempts) throws SQLException {
        return new Delivery(rs.getLong("position"), EventType.ofSlug(rs.getString("slug"))
                .webhookEventType(), rs.getString("ordering_key"), Delivery.Status.valueOf(rs.getString("status")),
                rs.getInt("attempts"), instant(rs, "queued_at"), instant(rs, "next_attempt_at"),
                instant(rs, "delivered_at"), (Integer) rs.getObject("last_status_code"), rs.getString("last_error"),
                (Integer) rs.getObject("last_latency_ms"), attempts);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
