package parley.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.events.EventLog;
import parley.events.EventType;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.Json;

/**
 * Folds conversations into one (wix-compatibility 1.5, D-2, D-26). Inside the caller's transaction it locks every
 * conversation involved, moves the old conversations' messages into the target (message sequences follow
 * time, so the target stays chronological without renumbering), sums the inbox summaries, turns the old
 * rows into aliases of the target, records a ledger entry and writes one {@code conversations_merged} event.
 *
 * <p>A message sent to an old conversation while the merge runs either commits first (and is moved with
 * the others) or waits for the old row's lock, finds it merged, and goes to the target: it lands in the
 * target exactly once either way.
 */
public final class MergeConversations {
    /** Why conversations were merged; recorded in the ledger. */
    public enum Reason { VISITOR_LINKED_TO_CONTACT, CONTACT_BECAME_MEMBER, CONTACTS_MERGED }

    /** One ledger entry. */
    public record Entry(UUID mergeId, ConversationId targetConversationId, List<ConversationId> oldConversationIds,
                        Reason reason, JsonNode requestedBy, int messagesMoved, Instant mergedAt) {
    }

    private final Database database;
    private final ConversationRepository conversations;
    private final EventLog events;
    private final Clock clock;

    MergeConversations(Database database, ConversationRepository conversations, EventLog events, Clock clock) {
        this.database = database;
        this.conversations = conversations;
        this.events = events;
        this.clock = clock;
    }

    /** Merges {@code old} into {@code target}; ids already merged, unknown, or equal to the target are skipped. */
    public void merge(Handle handle, Caller caller, List<ConversationId> old, ConversationId target, Reason reason) {
        SiteId site = caller.site();
        List<UUID> involved = new ArrayList<>(old.stream().map(ConversationId::value).toList());
        involved.add(target.value());
        List<UUID> live = handle.createQuery("""
                        SELECT conversation_id FROM conversations
                        WHERE site_id = :site AND conversation_id IN (<ids>) AND merged_into IS NULL
                        ORDER BY conversation_id
                        FOR UPDATE
                        """)
                .bind("site", site.value())
                .bindList("ids", involved)
                .mapTo(UUID.class)
                .list();
        List<UUID> folding = live.stream().filter(id -> !id.equals(target.value())).toList();
        if (folding.isEmpty() || !live.contains(target.value())) {
            return;
        }
        int moved = handle.createUpdate("""
                        UPDATE messages SET conversation_id = :target
                        WHERE site_id = :site AND conversation_id IN (<old>)
                        """)
                .bind("site", site.value())
                .bind("target", target.value())
                .bindList("old", folding)
                .execute();
        // The target shows the newest summary of all and the sum of their unread counts. It keeps its own status,
        // and its own assignment unless it had none: then the most recently active assigned one's.
        handle.createUpdate("""
                        UPDATE conversations t SET
                            last_message_at = s.last_message_at, preview_text = s.preview_text,
                            last_channel = s.last_channel, unread_count = s.unread_count, last_inbound_sequence = s.last_inbound_sequence,
                            assignee_id = coalesce(t.assignee_id, s.assignee_id),
                            team_id = CASE WHEN t.assignee_id IS NULL AND t.team_id IS NULL THEN s.team_id
                                           ELSE t.team_id END
                        FROM (SELECT (array_agg(last_message_at ORDER BY last_message_at DESC NULLS LAST))[1]
                                         AS last_message_at,
                                     (array_agg(preview_text ORDER BY last_message_at DESC NULLS LAST))[1]
                                         AS preview_text,
                                     (array_agg(last_channel ORDER BY last_message_at DESC NULLS LAST))[1]
                                         AS last_channel,
                                     sum(unread_count) AS unread_count,
                                     max(last_inbound_sequence) AS last_inbound_sequence,
                                     (array_agg(assignee_id ORDER BY last_message_at DESC NULLS LAST)
                                          FILTER (WHERE assignee_id IS NOT NULL))[1] AS assignee_id,
                                     (array_agg(team_id ORDER BY last_message_at DESC NULLS LAST)
                                          FILTER (WHERE team_id IS NOT NULL))[1] AS team_id
                              FROM conversations
                              WHERE site_id = :site AND conversation_id IN (<all>)) s
                        WHERE t.site_id = :site AND t.conversation_id = :target
                        """)
                .bind("site", site.value())
                .bind("target", target.value())
                .bindList("all", live)
                .execute();
        handle.createUpdate("""
                        INSERT INTO conversation_labels (site_id, conversation_id, label_id)
                        SELECT site_id, :target, label_id FROM conversation_labels
                        WHERE site_id = :site AND conversation_id IN (<old>)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("site", site.value())
                .bind("target", target.value())
                .bindList("old", folding)
                .execute();
        handle.createUpdate("""
                        UPDATE conversations SET merged_into = :target, unread_count = 0
                        WHERE site_id = :site AND (conversation_id IN (<old>) OR merged_into IN (<old>))
                        """)
                .bind("site", site.value())
                .bind("target", target.value())
                .bindList("old", folding)
                .execute();
        Instant now = clock.instant();
        JsonNode requestedBy = EventLog.identity(caller);
        handle.createUpdate("""
                        INSERT INTO conversation_merges (site_id, merge_id, target_conversation_id,
                            old_conversation_ids, reason, requested_by, messages_moved, merged_at)
                        VALUES (:site, :merge, :target, :old, :reason, CAST(:by AS jsonb), :moved, :at)
                        """)
                .bind("site", site.value())
                .bind("merge", UUID.randomUUID())
                .bind("target", target.value())
                .bind("old", folding.toArray(UUID[]::new))
                .bind("reason", reason.name())
                .bind("by", Json.write(requestedBy))
                .bind("moved", moved)
                .bind("at", now)
                .execute();
        events.append(handle, site, EventType.CONVERSATIONS_MERGED, target.toString(), target.value(),
                Map.of("oldConversationIds", folding.stream().map(UUID::toString).toList(),
                        "targetConversationId", target.toString()), caller);
    }

    /**
     * The ledger of a conversation, oldest first: the merges into it and into every conversation that
     * was later folded into it. Any of its ids, old or current, finds it.
     */
    public List<Entry> ledger(SiteId site, String conversationId) {
        return database.read(handle -> {
            Conversation conversation = ConversationId.parse(conversationId)
                    .flatMap(id -> conversations.find(handle, site, id))
                    .orElseThrow(Conversations::notFound);
            return handle.createQuery("""
                            SELECT merge_id, target_conversation_id, old_conversation_ids, reason,
                                   requested_by::text AS requested_by, messages_moved, merged_at
                            FROM conversation_merges
                            WHERE site_id = :site AND target_conversation_id IN (
                                SELECT CAST(:id AS uuid) UNION ALL
                                SELECT conversation_id FROM conversations WHERE site_id = :site AND merged_into = :id)
                            ORDER BY merged_at, merge_id
                            """)
                    .bind("site", site.value())
                    .bind("id", conversation.id().value())
                    .map((rs, ctx) -> new Entry(rs.getObject("merge_id", UUID.class),
                            new ConversationId(rs.getObject("target_conversation_id", UUID.class)),
                            java.util.Arrays.stream((UUID[]) rs.getArray("old_conversation_ids").getArray())
                                    .map(ConversationId::new).toList(),
                            Reason.valueOf(rs.getString("reason")),
                            Json.readStored(rs.getString("requested_by"), JsonNode.class),
                            rs.getInt("messages_moved"), rs.getTimestamp("merged_at").toInstant()))
                    .list();
        });
    }
}
