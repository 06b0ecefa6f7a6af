package parley.conversations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.sites.SiteId;
import parley.storage.HotPath;

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

    /** The conversation, or the one it was merged into (G-2). */
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

    /**
     * Locks the conversation row until the transaction ends, updates the inbox summary unless the message
     * is silent (G-16) and draws the new message's sequence: drawn under the lock, sequences of one
     * conversation increase in commit order. Empty when there is no such conversation, or it has been
     * merged into another.
     */
    Optional<MessageSlot> lockForNewMessage(Handle handle, SiteId site, ConversationId id, InboxSummary summary) {
        return HotPath.queryOne(handle, """
                        UPDATE conversations SET
                            last_message_at = CASE WHEN ? THEN last_message_at ELSE ? END,
                            preview_text    = CASE WHEN ? THEN preview_text ELSE ? END,
                            unread_count    = CASE WHEN ? OR NOT ? THEN unread_count ELSE unread_count + 1 END
                        WHERE site_id = ? AND conversation_id = ? AND merged_into IS NULL
                        RETURNING nextval('message_sequence') AS sequence,\s""" + COLUMNS,
                binder -> binder.bool(summary.silent()).instant(summary.at())
                        .bool(summary.silent()).text(summary.previewText())
                        .bool(summary.silent()).bool(summary.countsAsUnread())
                        .uuid(site.value()).uuid(id.value()),
                row -> new MessageSlot(conversation(row), row.getLong("sequence")));
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
