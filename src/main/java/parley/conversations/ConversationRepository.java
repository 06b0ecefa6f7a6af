package parley.conversations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.sites.SiteId;
import parley.storage.HotPath;
import parley.storage.Writes;

/** SQL for conversations. */
final class ConversationRepository {
    private static final String COLUMNS = "conversation_id, participant_kind, participant_id, contact_id, created_at";

    /** Inserts unless the participant already has a conversation; true when this call inserted it. */
    boolean insertIfAbsent(Handle handle, SiteId site, Conversation conversation) {
        return handle.createUpdate("""
                        INSERT INTO conversations (site_id, conversation_id, participant_kind, participant_id,
                                                   contact_id, created_at)
                        VALUES (:site, :id, :kind, :participant, CAST(:contact AS uuid), :at)
                        ON CONFLICT (site_id, participant_kind, participant_id) DO NOTHING
                        """)
                .bind("site", site.value())
                .bind("id", conversation.id().value())
                .bind("kind", conversation.participant().kind().name())
                .bind("participant", conversation.participant().id())
                .bind("contact", conversation.contactId())
                .bind("at", conversation.createdAt())
                .execute() == 1;
    }

    Optional<Conversation> findByParticipant(Handle handle, SiteId site, Participant participant) {
        return handle.createQuery("SELECT " + COLUMNS + """
                         FROM conversations
                        WHERE site_id = :site AND participant_kind = :kind AND participant_id = :participant
                        """)
                .bind("site", site.value())
                .bind("kind", participant.kind().name())
                .bind("participant", participant.id())
                .map((rs, ctx) -> conversation(rs))
                .findOne();
    }

    /** The conversation, or the one it was merged into (wix-compatibility D-2). */
    Optional<Conversation> find(Handle handle, SiteId site, ConversationId id) {
        return handle.createQuery("SELECT " + COLUMNS + """
                         FROM conversations
                        WHERE site_id = :site AND conversation_id = (
                            SELECT COALESCE(merged_into, conversation_id) FROM conversations
                            WHERE site_id = :site AND conversation_id = :id)
                        """)
                .bind("site", site.value())
                .bind("id", id.value())
                .map((rs, ctx) -> conversation(rs))
                .findOne();
    }

    /** The conversation {@code id} was merged into, if it was. */
    Optional<ConversationId> mergedInto(Handle handle, SiteId site, ConversationId id) {
        return handle.createQuery("""
                        SELECT merged_into FROM conversations
                        WHERE site_id = :site AND conversation_id = :id AND merged_into IS NOT NULL
                        """)
                .bind("site", site.value())
                .bind("id", id.value())
                .mapTo(UUID.class)
                .findOne()
                .map(ConversationId::new);
    }

    /** A conversation locked by {@link #lockForMessages} and the sequences drawn for it, ascending. */
    record LockedSlots(ConversationLocks.Key key, Conversation conversation, ConversationStatus status,
                       List<Long> sequences) {
    }

    /**
     * Locks each conversation until the transaction ends, in one order so that two nodes' batches do not
     * deadlock, and draws as many sequences as it asks for under its lock: sequences of one conversation
     * therefore increase in commit order. A conversation that does not exist or has been merged into
     * another is left out.
     */
    List<LockedSlots> lockForMessages(Handle handle, Map<ConversationLocks.Key, Integer> messages) {
        // MATERIALIZED: each row is locked before the outer query draws its sequences.
        return HotPath.query(handle, """
                        WITH locked AS MATERIALIZED (
                            SELECT c.site_id, c.conversation_id, c.participant_kind, c.participant_id, c.contact_id,
                                   c.created_at, c.status, w.messages
                            FROM unnest(CAST(? AS uuid[]), CAST(? AS uuid[]), CAST(? AS integer[]))
                                 AS w(site_id, conversation_id, messages)
                            JOIN conversations c ON c.site_id = w.site_id AND c.conversation_id = w.conversation_id
                            WHERE c.merged_into IS NULL
                            ORDER BY c.site_id, c.conversation_id
                            FOR UPDATE OF c
                        )
                        SELECT site_id,\s""" + COLUMNS + """
                        , status, ARRAY(SELECT nextval('message_sequence') FROM generate_series(1, messages)) AS sequences
                        FROM locked
                        """,
                binder -> binder.uuidArray(messages.keySet().stream().map(key -> key.site().value()).toList())
                        .uuidArray(messages.keySet().stream().map(key -> key.id().value()).toList())
                        .integerArray(List.copyOf(messages.values())),
                row -> {
                    Conversation conversation = conversation(row);
                    List<Long> sequences = new ArrayList<>(List.of((Long[]) row.getArray("sequences").getArray()));
                    sequences.sort(null);
                    return new LockedSlots(new ConversationLocks.Key(new SiteId(row.getObject("site_id", UUID.class)),
                            conversation.id()), conversation, ConversationStatus.valueOf(row.getString("status")),
                            sequences);
                });
    }

    /**
     * Writes the inbox summaries that a transaction's messages left (wix-compatibility D-16: silent ones left none),
     * reopening the conversations a participant wrote into.
     */
    void writeSummaries(Writes writes, List<ConversationLocks.Summary> summaries) {
        writes.with("""
                        UPDATE conversations c
                        SET last_message_at = s.at, preview_text = s.preview_text, last_channel = s.channel,
                            unread_count = c.unread_count + s.unread,
                            last_inbound_sequence = greatest(c.last_inbound_sequence, s.inbound),
                            status = CASE WHEN s.reopen THEN 'OPEN' ELSE c.status END,
                            snoozed_until = CASE WHEN s.reopen THEN NULL ELSE c.snoozed_until END
                        FROM unnest(CAST(? AS uuid[]), CAST(? AS uuid[]), CAST(? AS timestamptz[]), CAST(? AS text[]),
                                    CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS boolean[]))
                             AS s(site_id, conversation_id, at, preview_text, channel, unread, inbound, reopen)
                        WHERE c.site_id = s.site_id AND c.conversation_id = s.conversation_id
                        """,
                binder -> binder.uuidArray(summaries.stream().map(s -> s.key().site().value()).toList())
                        .uuidArray(summaries.stream().map(s -> s.key().id().value()).toList())
                        .instantArray(summaries.stream().map(ConversationLocks.Summary::at).toList())
                        .textArray(summaries.stream().map(ConversationLocks.Summary::previewText).toList())
                        .textArray(summaries.stream().map(ConversationLocks.Summary::channel).toList())
                        .integerArray(summaries.stream().map(ConversationLocks.Summary::unread).toList())
                        .bigintArray(summaries.stream().map(ConversationLocks.Summary::inbound).toList())
                        .boolArray(summaries.stream().map(ConversationLocks.Summary::reopen).toList()));
    }

    static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(
                new ConversationId(rs.getObject("conversation_id", UUID.class)),
                new Participant(Participant.Kind.valueOf(rs.getString("participant_kind")),
                        rs.getObject("participant_id", UUID.class)),
                rs.getObject("contact_id", UUID.class),
                rs.getTimestamp("created_at").toInstant());
    }
}
