package parley.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import parley.storage.Database;

/**
 * Bulk data for the benchmark, written with SQL inside PostgreSQL (not through HTTP), and the pgbench
 * script of one Send Message. Conversation ids are {@code md5(key)::uuid} so that SQL, pgbench and
 * the HTTP clients name the same conversations.
 */
final class Seeding {
    private static final String CONTENT = "{\"basic\": {\"items\": [{\"text\": \"Is the shop open today? I would like "
            + "to pick up an order.\"}]}, \"contentType\": \"BASIC\"}";

    private Seeding() {
    }

    static String conversationId(String key) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
            return hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Conversations {@code prefix1 … prefixN} of visitors. */
    static void conversations(Database database, UUID site, String prefix, int count) {
        database.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO conversations (site_id, conversation_id, participant_kind, participant_id,
                                                   created_at)
                        SELECT :site, md5(:prefix || n)::uuid, 'ANONYMOUS_VISITOR', gen_random_uuid(), now()
                        FROM generate_series(1, :count) n
                        """)
                .bind("site", site).bind("prefix", prefix).bind("count", count).execute());
    }

    /** {@code count} messages spread round-robin over the conversations {@code prefix1 … prefixN}. */
    static void messages(Database database, UUID site, String prefix, int conversations, long count) {
        Progress progress = new Progress("seeding " + Report.format(count) + " messages", count);
        long chunk = 250_000;
        for (long done = 0; done < count; done += chunk) {
            long from = done;
            long to = Math.min(count, done + chunk) - 1;
            database.inTransaction(handle -> handle.createUpdate("""
                            INSERT INTO messages (site_id, sequence, conversation_id, direction, visibility, content,
                                                  sender, app_id, badges, source_channel, target_channels,
                                                  target_channel_ids, silent, send_notifications, created_at)
                            SELECT :site, nextval('message_sequence'), md5(:prefix || (1 + g % :conversations))::uuid,
                                   'PARTICIPANT_TO_BUSINESS', 'BUSINESS_AND_PARTICIPANT', CAST(:content AS jsonb),
                                   '{"appId": "bench"}', 'bench', '[]', 'UNKNOWN_CHANNEL_TYPE', '{}', '{}',
                                   false, false, now()
                            FROM generate_series(:from, :to) g
                            """)
                    .bind("site", site).bind("prefix", prefix).bind("conversations", conversations)
                    .bind("content", CONTENT).bind("from", from).bind("to", to).execute());
            progress.show(to + 1);
        }
        progress.done();
    }

    /**
     * Exactly the statements one Send Message runs, in the same transaction shape: the API-key check,
     * then conversation lock and summary, message row, and outbox event with its position.
     */
    static String sendScript(int conversations) {
        String event = "{\"conversationId\": \"x\", \"message\": {\"id\": \"1\", \"content\": " + CONTENT
                + ", \"sender\": {\"appId\": \"bench\"}, \"badges\": [], \"targetChannels\": [], "
                + "\"sourceChannel\": \"UNKNOWN_CHANNEL_TYPE\", \"targetChannelIds\": [], \"appId\": \"bench\", "
                + "\"visibility\": \"BUSINESS_AND_PARTICIPANT\", \"sequence\": \"1\", "
                + "\"direction\": \"PARTICIPANT_TO_BUSINESS\", \"createdDate\": \"2026-01-01T00:00:00Z\", "
                + "\"silent\": false}}";
        return """
                \\set n random(1, %d)
                SELECT secret_hash FROM api_keys WHERE site_id = :site AND key_id = :key;
                BEGIN;
                UPDATE conversations SET last_message_at = now(), preview_text = 'Is the shop open today?',
                       unread_count = unread_count + 1
                 WHERE site_id = :site AND conversation_id = md5('bench-' || :n)::uuid
                 RETURNING conversation_id, participant_kind, participant_id, contact_id, created_at;
                INSERT INTO messages (site_id, sequence, conversation_id, direction, visibility, content, sender,
                       app_id, badges, source_channel, source_channel_id, target_channels, target_channel_ids,
                       silent, send_notifications, created_at)
                VALUES (:site, nextval('message_sequence'), md5('bench-' || :n)::uuid, 'PARTICIPANT_TO_BUSINESS',
                       'BUSINESS_AND_PARTICIPANT', '%s', '{"appId": "bench"}', 'bench', '[]',
                       'UNKNOWN_CHANNEL_TYPE', NULL, '{}', '{}', false, false, now())
                RETURNING sequence;
                WITH head AS (UPDATE event_log_heads SET last_position = last_position + 1 WHERE site_id = :site
                              RETURNING last_position)
                INSERT INTO events (site_id, position, event_id, slug, entity_id, conversation_id, occurred_at, body,
                                    identity)
                SELECT :site, last_position, gen_random_uuid(), 'message_sent_to_business', '1',
                       md5('bench-' || :n)::uuid, now(), '%s', '{"identityType": "APP", "appId": "bench"}'
                FROM head RETURNING position;
                END;
                """.formatted(conversations, CONTENT, event);
    }
}
