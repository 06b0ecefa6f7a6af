package parley.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.storage.Deferred;
import parley.storage.Writes;
import parley.web.Json;

/**
 * Appends to and reads the per-site event log. Appending locks the site's head row until the
 * transaction ends, so positions become visible strictly in order: a reader that has seen position
 * N and asks for "after N" never misses an event that commits later.
 */
public final class EventLog {
    /** The PostgreSQL notification channel told the site id whenever a site's log grows. */
    public static final String CHANNEL = "parley_events";

    private final Database database;
    private final Clock clock;

    public EventLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Appends within the caller's transaction: a rollback removes the event with the change. */
    public void append(Handle handle, SiteId site, EventType type, String entityId, UUID conversationId,
                       Object body, Caller caller) {
        append(handle, site, type, entityId, conversationId, body, caller, null);
    }

    /**
     * {@link #append} for an event caused by another action, named by {@code originatedFrom} (wix-compatibility 5.1).
     */
    public void append(Handle handle, SiteId site, EventType type, String entityId, UUID conversationId,
                       Object body, Caller caller, String originatedFrom) {
        Deferred deferred = new Deferred();
        append(deferred, site, type, entityId, conversationId, body, caller, originatedFrom);
        deferred.write(handle);
    }

    /** {@link #append} among the transaction's deferred rows; {@code body} is anything Jackson writes. */
    public void append(Deferred deferred, SiteId site, EventType type, String entityId, UUID conversationId,
                       Object body, Caller caller, String originatedFrom) {
        deferred.rows(Pending.class, Pending::new).bySite.computeIfAbsent(site, s -> new ArrayList<>())
                .add(new PendingEvent(UUID.randomUUID(), type.slug(), entityId, conversationId, clock.instant(),
                        Json.write(body), Json.write(identity(caller)), originatedFrom));
    }

    private record PendingEvent(UUID eventId, String slug, String entityId, UUID conversationId, Instant occurredAt,
                                String body, String identity, String originatedFrom) {
    }

    /**
     * A site's pending events take the next positions from its head row, in the order they were appended,
     * and notify {@link #CHANNEL} with the site's id: PostgreSQL delivers the notification to every
     * listening node when, and only if, the transaction commits.
     */
    private static final class Pending implements Deferred.Rows {
        private final Map<SiteId, List<PendingEvent>> bySite = new LinkedHashMap<>();

        @Override
        public void write(Writes writes) {
            bySite.forEach((site, events) -> {
                String head = writes.with("""
                                UPDATE event_log_heads SET last_position = last_position + ?
                                WHERE site_id = ?
                                RETURNING last_position
                                """,
                        binder -> binder.bigint(events.size()).uuid(site.value()));
                writes.with("""
                                INSERT INTO events (site_id, position, event_id, slug, entity_id, conversation_id,
                                                    occurred_at, body, identity, originated_from)
                                SELECT ?, head.last_position - ? + e.n, e.event_id, e.slug, e.entity_id,
                                       e.conversation_id, e.occurred_at, CAST(e.body AS jsonb), CAST(e.identity AS jsonb),
                                       e.originated_from
                                FROM %s AS head,
                                     unnest(CAST(? AS uuid[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS uuid[]),
                                            CAST(? AS timestamptz[]), CAST(? AS text[]), CAST(? AS text[]),
                                            CAST(? AS text[]))
                                     WITH ORDINALITY AS e(event_id, slug, entity_id, conversation_id, occurred_at, body,
                                                          identity, originated_from, n)
                                """.formatted(head),
                        binder -> binder.uuid(site.value()).bigint(events.size())
                                .uuidArray(events.stream().map(PendingEvent::eventId).toList())
                                .textArray(events.stream().map(PendingEvent::slug).toList())
                                .textArray(events.stream().map(PendingEvent::entityId).toList())
                                .uuidArray(events.stream().map(PendingEvent::conversationId).toList())
                                .instantArray(events.stream().map(PendingEvent::occurredAt).toList())
                                .textArray(events.stream().map(PendingEvent::body).toList())
                                .textArray(events.stream().map(PendingEvent::identity).toList())
                                .textArray(events.stream().map(PendingEvent::originatedFrom).toList()));
                writes.select("pg_notify(?, ?)", binder -> binder.text(CHANNEL).text(site.toString()));
            });
        }
    }

    /** The position of the site's last event, 0 when it has none. */
    public long head(SiteId site) {
        return database.read(handle -> head(handle, site));
    }

    /** {@link #head(SiteId)} inside the caller's transaction (a new webhook starts after it). */
    public static long head(Handle handle, SiteId site) {
        return handle.createQuery("SELECT last_position FROM event_log_heads WHERE site_id = :site")
                .bind("site", site.value())
                .mapTo(Long.class)
                .findOne()
                .orElse(0L);
    }

    /** The site's events after {@code position}, oldest first. */
    public List<Event> readAfter(SiteId site, long position, int limit) {
        return database.read(handle -> handle.createQuery("SELECT " + columns("e") + """
                         FROM events e
                        WHERE e.site_id = :site AND e.position > :after
                        ORDER BY e.position
                        LIMIT :limit
                        """)
                .bind("site", site.value())
                .bind("after", position)
                .bind("limit", limit)
                .map((rs, ctx) -> event(rs))
                .list());
    }

    /** The columns {@link #event} reads, of the {@code events} row named {@code alias}. */
    public static String columns(String alias) {
        return """
                %1$s.position, %1$s.event_id, %1$s.slug, %1$s.entity_id, %1$s.conversation_id, %1$s.occurred_at,
                %1$s.originated_from, %1$s.body::text AS body, %1$s.identity::text AS identity""".formatted(alias);
    }

    /** The event of a row selected with {@link #columns}. */
    public static Event event(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("position"), rs.getObject("event_id", UUID.class),
                EventType.ofSlug(rs.getString("slug")), rs.getString("entity_id"),
                rs.getObject("conversation_id", UUID.class), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("originated_from"), Json.readStored(rs.getString("body"), JsonNode.class),
                Json.readStored(rs.getString("identity"), JsonNode.class));
    }

    /** Who triggered an event, in the webhook {@code identity} shape (wix-compatibility 5.1). */
    public static JsonNode identity(Caller caller) {
        return switch (caller.identity()) {
            case Caller.App app -> Json.MAPPER.createObjectNode()
                    .put("identityType", "APP")
                    .put("appId", app.appId().toString());
            case Caller.Visitor visitor -> Json.MAPPER.createObjectNode()
                    .put("identityType", "ANONYMOUS_VISITOR")
                    .put("anonymousVisitorId", visitor.anonymousVisitorId().toString());
            case Caller.Agent agent -> Json.MAPPER.createObjectNode()
                    .put("identityType", "WIX_USER")
                    .put("wixUserId", agent.userId().toString());
        };
    }
}
