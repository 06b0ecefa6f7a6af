package parley.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.sites.SiteId;
import parley.storage.Database;
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
    public long append(Handle handle, SiteId site, EventType type, String entityId, UUID conversationId,
                       JsonNode body, Caller caller) {
        return handle.createQuery("""
                        WITH head AS (
                            UPDATE event_log_heads SET last_position = last_position + 1
                            WHERE site_id = :site
                            RETURNING last_position
                        )
                        INSERT INTO events (site_id, position, event_id, slug, entity_id, conversation_id,
                                            occurred_at, body, identity)
                        SELECT :site, last_position, :id, :slug, :entity, CAST(:conversation AS uuid), :at,
                               CAST(:body AS jsonb), CAST(:identity AS jsonb)
                        FROM head
                        RETURNING position
                        """)
                .bind("site", site.value())
                .bind("id", UUID.randomUUID())
                .bind("slug", type.slug())
                .bind("entity", entityId)
                .bind("conversation", conversationId)
                .bind("at", clock.instant())
                .bind("body", Json.write(body))
                .bind("identity", Json.write(identity(caller)))
                .mapTo(Long.class)
                .one();
    }

    /** The site's events after {@code position}, oldest first. */
    public List<Event> readAfter(SiteId site, long position, int limit) {
        return database.read(handle -> handle.createQuery("""
                        SELECT position, event_id, slug, entity_id, conversation_id, occurred_at,
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
                        Json.readStored(rs.getString("body"), JsonNode.class),
                        Json.readStored(rs.getString("identity"), JsonNode.class)))
                .list());
    }

    /** Who triggered an event, in the webhook {@code identity} shape (spec 5.1). */
    static JsonNode identity(Caller caller) {
        return switch (caller.identity()) {
            case Caller.App app -> Json.MAPPER.createObjectNode()
                    .put("identityType", "APP")
                    .put("appId", app.appId().toString());
        };
    }
}
