package parley.ui;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import parley.TestParley;

/**
 * Messages written straight into the table, past the API's checks: what an older release, an import or
 * an integration might have stored. The UIs must render anything stored safely, not only what today's
 * API accepts (it refuses non-http(s) URLs, for one), and system notices cannot be sent through the API.
 */
final class StoredMessages {
    private StoredMessages() {
    }

    static void insert(String siteId, String conversationId, String direction, String contentJson, String badgesJson) {
        insert(siteId, conversationId, direction, contentJson, badgesJson, Instant.now());
    }

    static void insert(String siteId, String conversationId, String direction, String contentJson, String badgesJson,
                       Instant at) {
        try (Connection connection = DriverManager.getConnection(TestParley.get().databaseUrl());
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO messages (site_id, sequence, conversation_id, direction, visibility, content, sender,
                                           app_id, badges, source_channel, source_channel_id, target_channels,
                                           target_channel_ids, silent, send_notifications, created_at)
                     VALUES (?, nextval('message_sequence'), ?, ?, 'BUSINESS_AND_PARTICIPANT', CAST(? AS jsonb),
                             '{"appId": "00000000-0000-0000-0000-000000000001"}', '00000000-0000-0000-0000-000000000001',
                             CAST(? AS jsonb), 'UNKNOWN_CHANNEL_TYPE', NULL, '{}', '{}', false, false, ?)
                     """)) {
            insert.setObject(1, UUID.fromString(siteId));
            insert.setObject(2, UUID.fromString(conversationId));
            insert.setString(3, direction);
            insert.setString(4, contentJson);
            insert.setString(5, badgesJson);
            insert.setObject(6, java.sql.Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
