package parley.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.storage.HotPath;
import parley.web.Json;

/**
 * Appends to and reads the per-site event log. Appending locks the site's head row until the
 * transaction ends, so positions become visible strictly in order: a reader that has seen position
 * N and asks for "after N" never misses an event that commits later.
 */
public final class EventLog {
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

    /** {@link #append} for an event caused by another action, named by {@code originatedFrom} (spec 5.1). */
    public void append(Handle handle, SiteId site, EventType type, String entityId, UUID conversationId,
                       Object body, Caller caller, String originatedFrom) {
        HotPath.Writes writes = HotPath.writes(handle);
        append(writes, site, type, entityId, conversationId, body, caller, originatedFrom);
        writes.run();
    }

    /**
     * {@link #append} as one of the caller's {@link HotPath.Writes}; {@code body} is anything Jackson writes.
     * The position is taken from the site's head row as the statement runs, in the order of the writes.
     */
    public void append(HotPath.Writes writes, SiteId site, EventType type, String entityId, UUID conversationId,
                       Object body, Caller caller, String originatedFrom) {
        writes.add("""
                        WITH head AS (
                            UPDATE event_log_heads SET last_position = last_position + 1
                            WHERE site_id = ?
                            RETURNING last_position
                        )
                        INSERT INTO events (site_id, position, event_id, slug, entity_id, conversation_id,
                                            occurred_at, body, identity, originated_from)
                        SELECT ?, last_position, ?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb), ?
                        FROM head
                        """,
                binder -> binder.uuid(site.value()).uuid(site.value()).uuid(UUID.randomUUID()).text(type.slug())
                        .text(entityId).uuid(conversationId).instant(clock.instant()).text(Json.write(body))
                        .text(Json.write(identity(caller))).text(originatedFrom));
    }

    /** The site's events after {@code position}, oldest first. */
    public List<Event> readAfter(SiteId site, long position, int limit) {
        return database.read(handle -> handle.createQuery("""
                        SELECT position, event_id, slug, entity_id, conversation_id, occurred_at, originated_from,
                               body::text AS body, identity::text AS identity
                        FROM events
                        WHERE site_id = :site AND position > :after
                        ORDER BY position
                        LIMIT :limit
                        """)
                .bind("site", site.value())
                .bind("after", position)
                .bind("limit", limit)
                .map((rs, ctx) -> new Event(rs.getLong("position"), rs.getObject("event_id", UUID.class),
                        EventType.ofSlug(rs.getString("slug")), rs.getString("entity_id"),
                        rs.getObject("conversation_id", UUID.class), rs.getTimestamp("occurred_at").toInstant(),
                        rs.getString("originated_from"), Json.readStored(rs.getString("body"), JsonNode.class),
                        Json.readStored(rs.getString("identity"), JsonNode.class)))
                .list());
    }

    /** Who triggered an event, in the webhook {@code identity} shape (spec 5.1). */
    public static JsonNode identity(Caller caller) {
        return switch (caller.identity()) {
            case Caller.App app -> Json.MAPPER.createObjectNode()
                    .put("identityType", "APP")
                    .put("appId", app.appId().toString());
        };
    }
}
