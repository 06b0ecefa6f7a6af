package parley.email;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.channels.Credentials;
import parley.events.EventLog;
import parley.events.EventType;
import parley.events.LogScans;
import parley.sites.SiteId;

/**
 * SQL of the email outbox (docs/email.md, "Sending"): reading each site's event log for business messages to email,
 * claiming due ones across nodes ({@code FOR UPDATE SKIP LOCKED} plus a lease), and recording what sending did.
 * Every change of a message's delivery state is an event ({@code parley.inbox.v1.message_delivery_changed}).
 */
final class MailOutbox {

    enum State { QUEUED, SENT, FAILED }

    /** A message this node now sends, under a lease. */
    record Claimed(SiteId site, UUID conversation, long sequence, UUID channel, int attempt, Instant queuedAt) {
    }

    /**
     * Where a claimed message goes and the thread it continues, and the channel's DKIM key. Nullable: channel
     * address, recipient, subject, DKIM selector and key.
     */
    record Thread(String siteName, String channelAddress, String recipient, String subject, List<String> messageIds,
                  String dkimSelector, String dkimKey) {
        /** The thread with its DKIM key unsealed, ready to sign with. */
        Thread unsealed(Credentials credentials) {
            return dkimKey == null ? this : new Thread(siteName, channelAddress, recipient, subject, messageIds,
                    dkimSelector, credentials.decrypt(dkimKey));
        }
    }

    /** A message's delivery, as {@code GET /parley/v1/conversations/{id}/deliveries} shows it. */
    record Delivery(String messageId, String channel, State state, String reason, int attempts, Instant updatedDate) {
    }

    /** The body of a {@code delivery_changed} event. */
    record DeliveryChanged(String conversationId, Delivery delivery) {
    }

    private final EventLog events;

    MailOutbox(EventLog events) {
        this.events = events;
    }

    /**
     * Reads new events of sites with an email channel ({@link LogScans}) and queues what goes out by email; true when
     * there was anything to read.
     */
    boolean scan(Handle handle, Instant now) {
        List<LogScans.Scan> scans = LogScans.due(handle, "email_scans");
        for (LogScans.Scan scan : scans) {
            List<Claimed> queued = queue(handle, scan.site(), scan.from(), scan.to(), now);
            for (Claimed message : queued) {
                changed(handle, message, State.QUEUED, null, 0, now);
            }
            LogScans.done(handle, "email_scans", scan);
        }
        return !scans.isEmpty();
    }

    /**
     * Queues the business messages of the events in (from, to] that go out by email: seen by the participant, not a
     * silent back-fill, with content an email can carry (basic, template, form; activities stay in the inbox), and
     * either addressed to {@code EMAIL} or, addressed nowhere in particular, in a conversation whose participant last
     * wrote by email. The channel is the one named in {@code targetChannelIds}, else the one the participant last
     * wrote to, else the site's first.
     */
    private List<Claimed> queue(Handle handle, SiteId site, long from, long to, Instant now) {
        return handle.createQuery("""
                        INSERT INTO email_outbox (site_id, conversation_id, sequence, channel_id, status, attempts,
                                                  queued_at, next_attempt_at, updated_at)
                        SELECT m.site_id, m.conversation_id, m.sequence,
                               COALESCE(
                                   (SELECT c.channel_id FROM channels c
                                     WHERE c.site_id = m.site_id AND c.kind = 'EMAIL'
                                       AND c.channel_id::text = ANY(m.target_channel_ids)
                                     ORDER BY c.created_at LIMIT 1),
                                   (SELECT c.channel_id FROM messages p
                                      JOIN channels c ON c.site_id = p.site_id AND c.kind = 'EMAIL'
                                                     AND c.channel_id::text = p.source_channel_id
                                     WHERE p.site_id = m.site_id AND p.conversation_id = m.conversation_id
                                       AND p.direction = 'PARTICIPANT_TO_BUSINESS' AND p.source_channel = 'EMAIL'
                                       AND p.sequence < m.sequence
                                     ORDER BY p.sequence DESC LIMIT 1),
                                   (SELECT c.channel_id FROM channels c WHERE c.site_id = m.site_id AND c.kind = 'EMAIL'
                                     ORDER BY c.created_at, c.channel_id LIMIT 1)),
                               'QUEUED', 0, :now, :now, :now
                        FROM events e
                        JOIN LATERAL ( -- one primary-key lookup per event, whatever the planner thinks of the cast
                            SELECT * FROM messages m
                            WHERE m.site_id = e.site_id AND m.sequence = CAST(e.entity_id AS bigint) LIMIT 1) m ON true
                        LEFT JOIN LATERAL (
                            SELECT p.source_channel FROM messages p
                            WHERE p.site_id = m.site_id AND p.conversation_id = m.conversation_id
                              AND p.direction = 'PARTICIPANT_TO_BUSINESS' AND p.sequence < m.sequence
                            ORDER BY p.sequence DESC LIMIT 1) last ON true
                        WHERE e.site_id = :site AND e.position > :from AND e.position <= :to AND e.slug = :slug
                          AND m.visibility = 'BUSINESS_AND_PARTICIPANT' AND NOT m.silent
                          AND (jsonb_typeof(m.content -> 'basic') = 'object'
                               OR jsonb_typeof(m.content -> 'template') = 'object'
                               OR jsonb_typeof(m.content -> 'form') = 'object')
                          AND ('EMAIL' = ANY(m.target_channels)
                               OR cardinality(m.target_channels) = 0 AND last.source_channel = 'EMAIL')
                        ON CONFLICT DO NOTHING
                        RETURNING site_id, conversation_id, sequence, channel_id, attempts, queued_at
                        """)
                .bind("site", site.value())
                .bind("from", from)
                .bind("to", to)
                .bind("slug", EventType.MESSAGE_SENT_TO_PARTICIPANT.slug())
                .bind("now", now)
                .map((rs, ctx) -> claimed(rs))
                .list();
    }

    /**
     * Claims up to {@code limit} due messages, leasing them until {@code leaseEnd}: the oldest due first, and of a
     * conversation only its earliest queued message, so that a conversation's mails go out in order, each answering
     * the one before.
     */
    List<Claimed> claim(Handle handle, Instant now, Instant leaseEnd, int limit) {
        return handle.createQuery("""
                        UPDATE email_outbox o
                           SET leased_until = :leaseEnd, attempts = o.attempts + 1
                          FROM (SELECT d.site_id, d.sequence FROM email_outbox d
                                 WHERE d.status = 'QUEUED' AND d.next_attempt_at <= :now
                                   AND (d.leased_until IS NULL OR d.leased_until < :now)
                                   AND NOT EXISTS (SELECT 1 FROM email_outbox earlier
                                                    WHERE earlier.site_id = d.site_id
                                                      AND earlier.conversation_id = d.conversation_id
                                                      AND earlier.status = 'QUEUED' AND earlier.sequence < d.sequence)
                                 ORDER BY d.next_attempt_at
                                 LIMIT :limit
                                 FOR UPDATE SKIP LOCKED) due
                         WHERE o.site_id = due.site_id AND o.sequence = due.sequence
                        RETURNING o.site_id, o.conversation_id, o.sequence, o.channel_id, o.attempts, o.queued_at
                        """)
                .bind("now", now)
                .bind("leaseEnd", leaseEnd)
                .bind("limit", limit)
                .map((rs, ctx) -> claimed(rs))
                .list();
    }

    /**
     * The thread a claimed message continues: the channel's address, the customer's (the one they last wrote from,
     * else their contact's first), the subject of the newest mail that has one, and the conversation's Message-IDs
     * before it, newest first.
     */
    Thread thread(Handle handle, Claimed message, int maxReferences) {
        return handle.createQuery("""
                        SELECT s.display_name, ch.settings ->> 'address' AS channel_address,
                               ch.settings -> 'dkim' ->> 'selector' AS dkim_selector,
                               ch.settings -> 'dkim' ->> 'privateKey' AS dkim_key,
                               COALESCE(
                                   (SELECT em.address FROM email_messages em
                                     WHERE em.site_id = :site AND em.conversation_id = :conversation
                                       AND NOT em.outgoing
                                     ORDER BY em.sequence DESC LIMIT 1),
                                   (SELECT ct.info -> 'emails' -> 'items' -> 0 ->> 'email' FROM conversations c
                                      JOIN contacts ct ON ct.site_id = c.site_id
                                       AND ct.contact_id = CASE WHEN c.participant_kind = 'CONTACT'
                                                                THEN c.participant_id ELSE c.contact_id END
                                     WHERE c.site_id = :site AND c.conversation_id = :conversation)) AS recipient,
                               (SELECT em.subject FROM email_messages em
                                 WHERE em.site_id = :site AND em.conversation_id = :conversation
                                   AND em.sequence < :sequence AND em.subject IS NOT NULL
                                 ORDER BY em.sequence DESC LIMIT 1) AS subject,
                               ARRAY(SELECT em.message_id FROM email_messages em
                                      WHERE em.site_id = :site AND em.conversation_id = :conversation
                                        AND em.sequence < :sequence
                                      ORDER BY em.sequence DESC LIMIT :references) AS message_ids
                        FROM sites s
                        LEFT JOIN channels ch ON ch.site_id = s.site_id AND ch.channel_id = :channel
                        WHERE s.site_id = :site
                        """)
                .bind("site", message.site().value())
                .bind("conversation", message.conversation())
                .bind("sequence", message.sequence())
                .bind("channel", message.channel())
                .bind("references", maxReferences)
                .map((rs, ctx) -> new Thread(rs.getString("display_name"), rs.getString("channel_address"),
                        rs.getString("recipient"), rs.getString("subject"), strings(rs.getArray("message_ids")),
                        rs.getString("dkim_selector"), rs.getString("dkim_key")))
                .one();
    }

    /**
     * Records that the message went out as {@code mail}: the mail joins the conversation's thread, so that a reply to
     * it finds its way back. Only while the claim is ours: a node that took over after the lease ran out records its
     * own attempt.
     */
    void sent(Handle handle, Claimed message, OutgoingMail mail, Instant now) {
        if (finish(handle, message, State.SENT, null, now)) {
            handle.createUpdate("""
                            INSERT INTO email_messages (site_id, message_id, conversation_id, sequence, received_at,
                                                        outgoing, address, subject)
                            VALUES (:site, :messageId, :conversation, :sequence, :at, true, :address, :subject)
                            ON CONFLICT DO NOTHING
                            """)
                    .bind("site", message.site().value())
                    .bind("messageId", mail.messageId())
                    .bind("conversation", message.conversation())
                    .bind("sequence", message.sequence())
                    .bind("at", now)
                    .bind("address", mail.recipient())
                    .bind("subject", mail.subject())
                    .execute();
        }
    }

    /** Records a permanent failure, with its reason. */
    void failed(Handle handle, Claimed message, String reason, Instant now) {
        finish(handle, message, State.FAILED, reason, now);
    }

    /** Records a temporary failure: tried again at {@code next}, the reason shown meanwhile. */
    void retry(Handle handle, Claimed message, String reason, Instant next, Instant now) {
        handle.createUpdate("""
                        UPDATE email_outbox SET next_attempt_at = :next, leased_until = NULL, error = :error,
                                                updated_at = :now
                        WHERE site_id = :site AND sequence = :sequence AND attempts = :attempt AND status = 'QUEUED'
                        """)
                .bind("next", next)
                .bind("error", reason)
                .bind("now", now)
                .bind("site", message.site().value())
                .bind("sequence", message.sequence())
                .bind("attempt", message.attempt())
                .execute();
    }

    private boolean finish(Handle handle, Claimed message, State state, String reason, Instant now) {
        int updated = handle.createUpdate("""
                        UPDATE email_outbox SET status = :state, leased_until = NULL, error = :error, updated_at = :now
                        WHERE site_id = :site AND sequence = :sequence AND attempts = :attempt AND status = 'QUEUED'
                        """)
                .bind("state", state.name())
                .bind("error", reason)
                .bind("now", now)
                .bind("site", message.site().value())
                .bind("sequence", message.sequence())
                .bind("attempt", message.attempt())
                .execute();
        if (updated == 1) {
            changed(handle, message, state, reason, message.attempt(), now);
        }
        return updated == 1;
    }

    /**
     * Marks the message whose mail bounced failed, with the reporting server's reason: a mail the relay accepted can
     * still be refused by the recipient's server. Only a mail of the site's own, to an address the report names, and
     * only once.
     */
    boolean bounced(Handle handle, SiteId site, Bounce bounce, Instant now) {
        String reason = "the recipient's mail server returned it: " + bounce.reason();
        Optional<Claimed> failed = handle.createQuery("""
                        UPDATE email_outbox o SET status = 'FAILED', error = :reason, updated_at = :now
                          FROM email_messages m
                         WHERE m.site_id = :site AND m.message_id = :messageId AND m.outgoing
                           AND strpos(:report, m.address) > 0 -- the report names the mail's recipient
                           AND o.site_id = m.site_id AND o.sequence = m.sequence AND o.status = 'SENT'
                        RETURNING o.site_id, o.conversation_id, o.sequence, o.channel_id, o.attempts, o.queued_at
                        """)
                .bind("reason", reason)
                .bind("report", bounce.report())
                .bind("now", now)
                .bind("site", site.value())
                .bind("messageId", bounce.messageId())
                .map((rs, ctx) -> claimed(rs))
                .findOne();
        failed.ifPresent(message -> changed(handle, message, State.FAILED, reason, message.attempt(), now));
        return failed.isPresent();
    }

    /** The deliveries of a conversation's messages, oldest first. */
    static List<Delivery> deliveries(Handle handle, SiteId site, UUID conversation) {
        return handle.createQuery("""
                        SELECT sequence, status, error, attempts, updated_at FROM email_outbox
                        WHERE site_id = :site AND conversation_id = :conversation
                        ORDER BY sequence
                        """)
                .bind("site", site.value())
                .bind("conversation", conversation)
                .map((rs, ctx) -> new Delivery(Long.toString(rs.getLong("sequence")), "EMAIL",
                        State.valueOf(rs.getString("status")), rs.getString("error"), rs.getInt("attempts"),
                        rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    private void changed(Handle handle, Claimed message, State state, String reason, int attempts, Instant now) {
        Delivery delivery = new Delivery(Long.toString(message.sequence()), "EMAIL", state, reason, attempts, now);
        events.append(handle, message.site(), EventType.MESSAGE_DELIVERY_CHANGED, delivery.messageId(),
                message.conversation(), new DeliveryChanged(message.conversation().toString(), delivery),
                new Caller(message.site(), new Caller.App(Caller.PARLEY_APP_ID)));
    }

    private static Claimed claimed(ResultSet rs) throws SQLException {
        return new Claimed(new SiteId(rs.getObject("site_id", UUID.class)), rs.getObject("conversation_id", UUID.class),
                rs.getLong("sequence"), rs.getObject("channel_id", UUID.class), rs.getInt("attempts"),
                rs.getTimestamp("queued_at").toInstant());
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
