package parley.messages;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
import parley.conversations.ConversationId;
import parley.events.EventType;
import parley.sites.SiteId;
import parley.storage.Deferred;
import parley.storage.HotPath;
import parley.storage.Writes;
import parley.web.Json;

/** SQL for messages. The caller's transaction must already hold the conversation's row lock to insert. */
final class MessageRepository {
    private static final String COLUMNS = """
            sequence, conversation_id, direction, visibility, content::text AS content, sender::text AS sender,
            app_id, badges::text AS badges, source_channel, source_channel_id, target_channels, target_channel_ids,
            silent, send_notifications, created_at""";

    /** Stores the message under its sequence (drawn with the conversation's lock) with the batch's others. */
    void insert(Deferred deferred, SiteId site, Message message) {
        deferred.rows(Pending.class, Pending::new).rows.add(new Row(site, message));
    }

    private record Row(SiteId site, Message message) {
    }

    /**
     * A batch's messages in one INSERT, a column an array: the same statement text whatever the batch's
     * size (a multi-row {@code VALUES} is a statement of its own for every size, parsed each time).
     */
    private static final class Pending implements Deferred.Rows {
        private final List<Row> rows = new ArrayList<>();

        @Override
        public void write(Writes writes) {
            writes.with("""
                    INSERT INTO messages (site_id, sequence, conversation_id, direction, visibility, content, sender,
                                          app_id, badges, source_channel, source_channel_id, target_channels,
                                          target_channel_ids, silent, send_notifications, created_at)
                    SELECT site_id, sequence, conversation_id, direction, visibility, CAST(content AS jsonb),
                           CAST(sender AS jsonb), app_id, CAST(badges AS jsonb), source_channel, source_channel_id,
                           CAST(target_channels AS text[]), CAST(target_channel_ids AS text[]), silent,
                           send_notifications, created_at
                    FROM unnest(CAST(? AS uuid[]), CAST(? AS bigint[]), CAST(? AS uuid[]), CAST(? AS text[]),
                                CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                CAST(? AS text[]), CAST(? AS boolean[]), CAST(? AS boolean[]),
                                CAST(? AS timestamptz[]))
                         AS m(site_id, sequence, conversation_id, direction, visibility, content, sender, app_id,
                              badges, source_channel, source_channel_id, target_channels, target_channel_ids,
                              silent, send_notifications, created_at)
                    """, binder -> binder
                    .uuidArray(column(row -> row.site().value()))
                    .bigintArray(column(row -> row.message().sequence()))
                    .uuidArray(column(row -> row.message().conversationId().value()))
                    .textArray(column(row -> row.message().direction().name()))
                    .textArray(column(row -> row.message().visibility().name()))
                    .textArray(column(row -> Json.write(MessageJson.content(row.message().content()))))
                    .textArray(column(row -> Json.write(MessageJson.sender(row.message().sender()))))
                    .textArray(column(row -> row.message().appId()))
                    .textArray(column(row -> Json.write(MessageJson.badges(row.message().badges()))))
                    .textArray(column(row -> row.message().sourceChannel().name()))
                    .textArray(column(row -> row.message().sourceChannelId()))
                    .textArray(column(row -> HotPath.arrayLiteral(
                            row.message().targetChannels().stream().map(Enum::name).toList())))
                    .textArray(column(row -> HotPath.arrayLiteral(row.message().targetChannelIds())))
                    .boolArray(column(row -> row.message().silent()))
                    .boolArray(column(row -> row.message().sendNotifications()))
                    .instantArray(column(row -> row.message().createdAt())));
        }

        private <T> List<T> column(Function<Row, T> value) {
            return rows.stream().map(value).toList();
        }
    }

    /**
     * The messages the participant of {@code conversation} sees, by the log position of the event that
     * announced each: what a participant's live stream shows after {@code afterPosition}.
     */
    List<Messages.Seen> seenByParticipant(Handle handle, SiteId site, ConversationId conversation, long afterPosition,
                                          int limit) {
        return handle.createQuery("SELECT e.position, " + COLUMNS + """
                         FROM (SELECT position, CAST(entity_id AS bigint) AS sequence FROM events
                              WHERE site_id = :site AND position > :after AND conversation_id = :conversation
                                AND slug IN (:toBusiness, :toParticipant)) e
                        JOIN messages USING (sequence)
                        WHERE messages.site_id = :site AND visibility = 'BUSINESS_AND_PARTICIPANT'
                        ORDER BY e.position
                        LIMIT :limit
                        """)
                .bind("site", site.value())
                .bind("after", afterPosition)
                .bind("conversation", conversation.value())
                .bind("toBusiness", EventType.MESSAGE_SENT_TO_BUSINESS.slug())
                .bind("toParticipant", EventType.MESSAGE_SENT_TO_PARTICIPANT.slug())
                .bind("limit", limit)
                .map((rs, ctx) -> new Messages.Seen(rs.getLong("position"), message(rs).seenByParticipant()))
                .list();
    }

    Optional<Message> find(Handle handle, SiteId site, long sequence) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM messages WHERE site_id = :site AND sequence = :sequence")
                .bind("site", site.value())
                .bind("sequence", sequence)
                .map((rs, ctx) -> message(rs))
                .findOne();
    }

    /**
     * Up to {@code limit} messages of a conversation after the {@code after} sequence in the given order.
     * With {@code includeBusinessOnly} false, messages only the business may see are left out in the SQL.
     */
    List<Message> page(Handle handle, SiteId site, ConversationId conversation, boolean includeBusinessOnly,
                       long after, boolean ascending, int limit) {
        Query query = handle.createQuery(ascending ? """
                        SELECT %s FROM messages
                        WHERE site_id = :site AND conversation_id = :conversation AND sequence > :after
                          AND (:all OR visibility = 'BUSINESS_AND_PARTICIPANT')
                        ORDER BY sequence ASC
                        LIMIT :limit
                        """.formatted(COLUMNS) : """
                        SELECT %s FROM messages
                        WHERE site_id = :site AND conversation_id = :conversation AND sequence < :after
                          AND (:all OR visibility = 'BUSINESS_AND_PARTICIPANT')
                        ORDER BY sequence DESC
                        LIMIT :limit
                        """.formatted(COLUMNS));
        return query.bind("site", site.value())
                .bind("conversation", conversation.value())
                .bind("all", includeBusinessOnly)
                .bind("after", after)
                .bind("limit", limit)
                .map((rs, ctx) -> message(rs))
                .list();
    }

    private static Message message(ResultSet rs) throws SQLException {
        return new Message(
                rs.getLong("sequence"),
                new ConversationId(rs.getObject("conversation_id", UUID.class)),
                MessageJson.content(Json.readStored(rs.getString("content"), MessageJson.ContentJson.class)),
                MessageJson.sender(Json.readStored(rs.getString("sender"), MessageJson.SenderJson.class)),
                rs.getString("app_id"),
                Message.Direction.valueOf(rs.getString("direction")),
                Message.Visibility.valueOf(rs.getString("visibility")),
                MessageJson.badgesOf(List.of(Json.readStored(rs.getString("badges"), MessageJson.BadgeJson[].class))),
                Message.ChannelType.valueOf(rs.getString("source_channel")),
                rs.getString("source_channel_id"),
                strings(rs.getArray("target_channels")).stream().map(Message.ChannelType::valueOf).toList(),
                strings(rs.getArray("target_channel_ids")),
                rs.getBoolean("silent"),
                rs.getBoolean("send_notifications"),
                rs.getTimestamp("created_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
