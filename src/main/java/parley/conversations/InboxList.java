package parley.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import parley.auth.Caller;
import parley.errors.PermissionDenied;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.Cursors;
import parley.web.Json;

/**
 * The inbox: a site's conversations by last activity (newest first) with what the list shows of each —
 * who, the last message's {@code previewText} (silent messages leave it alone, wix-compatibility D-16), its channel and
 * first badge, and for a dashboard user the number of the participant's messages after that user's
 * read horizon (counted up to {@link #UNREAD_CAP}; the list shows "99+"). Not part of Wix's public API
 * (wix-compatibility 3.5 recommends keeping it internal), so it lives under {@code /parley/v1}.
 */
public final class InboxList {
    static final int UNREAD_CAP = 100;

    private final Database database;
    private final ConversationRepository conversations;

    InboxList(Database database, ConversationRepository conversations) {
        this.database = database;
        this.conversations = conversations;
    }

    /** One conversation as the inbox lists it. */
    public record Entry(Conversation conversation, String displayName, Instant lastActivity, String previewText,
                        String channel, JsonNode badge, Integer unreadCount) {
    }

    public record Page(List<Entry> entries, Optional<String> nextCursor) {
    }

    record Cursor(Instant activity, UUID conversationId) {
    }

    public Page list(Caller caller, int limit, String cursor) {
        Cursor after = cursor == null || cursor.isBlank() ? null : Cursors.decode(cursor, Cursor.class);
        UUID reader = caller.identity() instanceof Caller.Agent agent ? agent.userId() : null;
        List<Entry> rows = database.read(handle -> handle.createQuery("""
                        SELECT c.conversation_id, c.participant_kind, c.participant_id, c.contact_id, c.created_at,
                               coalesce(c.last_message_at, c.created_at) AS activity, c.preview_text,
                               coalesce(nullif(trim(concat_ws(' ', k.info #>> '{name,first}', k.info #>> '{name,last}')), ''),
                                        k.info #>> '{emails,items,0,email}') AS contact_name,
                               last.source_channel, last.badge, unread.n AS unread
                          FROM conversations c
                          LEFT JOIN contacts k ON k.site_id = c.site_id AND k.contact_id = CASE
                               WHEN c.participant_kind = 'CONTACT' THEN c.participant_id ELSE c.contact_id END
                          LEFT JOIN LATERAL (
                               SELECT m.source_channel, m.badges -> 0 AS badge FROM messages m
                                WHERE m.site_id = c.site_id AND m.conversation_id = c.conversation_id AND NOT m.silent
                                ORDER BY m.sequence DESC LIMIT 1) last ON true
                          LEFT JOIN LATERAL (
                               SELECT count(*) AS n FROM (
                                   SELECT 1 FROM messages m
                                    WHERE m.site_id = c.site_id AND m.conversation_id = c.conversation_id
                                      AND m.direction = 'PARTICIPANT_TO_BUSINESS' AND NOT m.silent
                                      AND m.sequence > coalesce((
                                          SELECT h.read_through FROM read_horizons h
                                           WHERE h.site_id = c.site_id AND h.user_id = CAST(:reader AS uuid)
                                             AND h.conversation_id = c.conversation_id), 0)
                                    LIMIT :cap) unread_rows) unread ON CAST(:reader AS uuid) IS NOT NULL
                         WHERE c.site_id = :site AND c.merged_into IS NULL
                           AND (CAST(:afterActivity AS timestamptz) IS NULL
                                OR (coalesce(c.last_message_at, c.created_at), c.conversation_id)
                                   < (CAST(:afterActivity AS timestamptz), CAST(:afterId AS uuid)))
                         ORDER BY activity DESC, c.conversation_id DESC
                         LIMIT :limit
                        """)
                .bind("site", caller.site().value())
                .bind("reader", reader)
                .bind("cap", UNREAD_CAP)
                .bind("afterActivity", after == null ? null : after.activity())
                .bind("afterId", after == null ? null : after.conversationId())
                .bind("limit", limit + 1)
                .map((rs, ctx) -> entry(rs))
                .list());
        if (rows.size() <= limit) {
            return new Page(rows, Optional.empty());
        }
        Entry last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), Optional.of(Cursors.encode(
                new Cursor(last.lastActivity(), last.conversation().id().value()))));
    }

    /**
     * Moves a dashboard user's read horizon in a conversation forward to {@code readThrough}, or to its
     * newest message when null. Never backwards: two tabs may report out of order.
     */
    public void markRead(Caller caller, String conversationId, Long readThrough) {
        if (!(caller.identity() instanceof Caller.Agent agent)) {
            throw new PermissionDenied("PERMISSION_DENIED", "read horizons belong to dashboard users");
        }
        SiteId site = caller.site();
        database.inTransaction(handle -> {
            Conversation conversation = ConversationId.parse(conversationId)
                    .flatMap(id -> conversations.find(handle, site, id))
                    .orElseThrow(Conversations::notFound);
            return handle.createUpdate("""
                        INSERT INTO read_horizons (site_id, user_id, conversation_id, read_through)
                        SELECT :site, :user, :conversation, coalesce(CAST(:through AS bigint), max(sequence), 0)
                          FROM messages WHERE site_id = :site AND conversation_id = :conversation
                        ON CONFLICT (site_id, user_id, conversation_id)
                        DO UPDATE SET read_through = greatest(read_horizons.read_through, excluded.read_through)
                        """)
                .bind("site", site.value())
                .bind("user", agent.userId())
                .bind("conversation", conversation.id().value())
                .bind("through", readThrough)
                .execute();
        });
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        Conversation conversation = ConversationRepository.conversation(rs);
        String contactName = rs.getString("contact_name");
        String badge = rs.getString("badge");
        Long unread = rs.getObject("unread", Long.class); // null for an app: it has no read horizon
        return new Entry(conversation,
                contactName != null ? contactName : ConversationJson.displayName(conversation.participant()),
                rs.getTimestamp("activity").toInstant(), rs.getString("preview_text"), rs.getString("source_channel"),
                badge == null ? null : Json.readStored(badge, JsonNode.class), unread == null ? null : unread.intValue());
    }
}
