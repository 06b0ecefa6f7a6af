package parley.channels;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.events.EventLog;
import parley.events.EventType;
import parley.events.LogScans;
import parley.messages.Messages;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.PathIds;

/**
 * Replies to the people of custom channels (docs/channels.md, "Replies"). Each node reads the event logs of sites
 * with a custom channel for business messages that go to one — named in {@code targetChannelIds}, or, addressed
 * nowhere in particular, in a conversation whose participant last wrote through it — and hands each out once, as a
 * {@code channel_outbound} event, which the channel's connector receives as a signed webhook and delivers; the
 * connector reports how delivery went. Sites are read under {@code FOR UPDATE SKIP LOCKED}, so each message is
 * handed out by one node, in the transaction that records it as {@code QUEUED}.
 */
public final class ChannelOutbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelOutbox.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration SCAN_INTERVAL = Duration.ofMillis(100);
    static final int MAX_REASON = 500;

    /** How a message's delivery goes, in order; a report never moves it back (a late "sent" after "read"). */
    public enum State { QUEUED, SENT, DELIVERED, READ, FAILED }

    /** A message's delivery to a custom channel, as the deliveries list and {@code delivery_changed} show it. */
    public record Delivery(String messageId, String channel, String channelId, String channelName, State state,
                           String reason, Instant updatedDate) {
    }

    record DeliveryChanged(String conversationId, Delivery delivery) {
    }

    /** Whom the connector delivers to: the participant's contact and what the channel knows them by. Nullable. */
    record Recipient(String contactId, String email, String phone, String externalUserId) {
    }

    /** The body of a {@code channel_outbound} event. */
    record Outbound(String channelId, String conversationId, Recipient recipient, Object message) {
    }

    private record Queued(SiteId site, long sequence, UUID conversation, UUID channel, String type, String name) {
    }

    private final Database database;
    private final Messages messages;
    private final EventLog events;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Semaphore wakeUp = new Semaphore(0);
    private Thread loop; // once started

    public ChannelOutbox(Database database, Messages messages, EventLog events, Clock clock) {
        this.database = database;
        this.messages = messages;
        this.events = events;
        this.clock = clock;
    }

    /** Starts this node's loop: once the node is up, so that a node that fails to start leaves nothing running. */
    public synchronized void start() {
        if (loop == null) {
            loop = Thread.ofPlatform().name("parley-channel-outbox").daemon().start(this::run);
        }
    }

    /** Something was written: there may be a message to hand out. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void run() {
        while (running.get()) {
            long started = System.nanoTime();
            boolean busy = false;
            try {
                busy = database.inTransaction(this::scan);
            } catch (RuntimeException e) {
                log.warn("reading for custom channels' replies failed; retrying", e);
            }
            try {
                if (!busy) {
                    wakeUp.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
                }
                // Every event wakes the loop: under load a scan takes all that came in SCAN_INTERVAL, not one each
                // (a scan writes how far it read, and a write per event would cost a commit per message).
                long elapsed = System.nanoTime() - started;
                if (elapsed < SCAN_INTERVAL.toNanos()) {
                    Thread.sleep(Duration.ofNanos(SCAN_INTERVAL.toNanos() - elapsed));
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads the new events of sites with a custom channel and hands out what goes to one; true if anything was read. */
    private boolean scan(Handle handle) {
        List<LogScans.Scan> scans = LogScans.due(handle, "channel_scans");
        Instant now = clock.instant();
        for (LogScans.Scan scan : scans) {
            for (Queued queued : queue(handle, scan.site(), scan.from(), scan.to(), now)) {
                Caller parley = new Caller(queued.site(), new Caller.App(Caller.PARLEY_APP_ID));
                events.append(handle, queued.site(), EventType.CHANNEL_MESSAGE_OUTBOUND, Long.toString(queued.sequence()),
                        queued.conversation(), new Outbound(queued.channel().toString(), queued.conversation().toString(),
                                recipient(handle, queued), messages.view(messages.find(handle, queued.site(),
                                queued.sequence()).orElseThrow())), parley);
                changed(handle, queued, State.QUEUED, null, now, parley);
            }
            LogScans.done(handle, "channel_scans", scan);
        }
        return !scans.isEmpty();
    }

    /**
     * Queues the business messages of the events in (from, to] that go to a custom channel: seen by the participant,
     * not a silent back-fill, not handed in by that channel's connector itself, and either naming the channel in
     * {@code targetChannelIds} or, addressed nowhere, in a conversation whose participant last wrote through it.
     */
    private static List<Queued> queue(Handle handle, SiteId site, long from, long to, Instant now) {
        return handle.createQuery("""
                        WITH routed AS (
                            SELECT m.site_id, m.sequence, m.conversation_id,
                                   COALESCE(
                                       (SELECT c.channel_id FROM channels c
                                         WHERE c.site_id = m.site_id AND c.kind = 'CUSTOM'
                                           AND c.channel_id::text = ANY(m.target_channel_ids)
                                         ORDER BY c.created_at LIMIT 1),
                                       CASE WHEN cardinality(m.target_channels) = 0
                                                 AND cardinality(m.target_channel_ids) = 0
                                            THEN (SELECT c.channel_id FROM channels c
                                                   WHERE c.site_id = m.site_id AND c.kind = 'CUSTOM'
                                                     AND c.channel_id::text = last.source_channel_id) END)
                                       AS channel_id,
                                   m.source_channel_id
                            FROM events e
                            JOIN LATERAL (
                                SELECT * FROM messages m
                                WHERE m.site_id = e.site_id AND m.sequence = CAST(e.entity_id AS bigint) LIMIT 1) m ON true
                            LEFT JOIN LATERAL (
                                SELECT p.source_channel_id FROM messages p
                                WHERE p.site_id = m.site_id AND p.conversation_id = m.conversation_id
                                  AND p.direction = 'PARTICIPANT_TO_BUSINESS' AND p.sequence < m.sequence
                                ORDER BY p.sequence DESC LIMIT 1) last ON true
                            WHERE e.site_id = :site AND e.position > :from AND e.position <= :to AND e.slug = :slug
                              AND m.visibility = 'BUSINESS_AND_PARTICIPANT' AND NOT m.silent
                              AND jsonb_typeof(m.content -> 'minimal') IS NULL)
                        INSERT INTO channel_outbox (site_id, sequence, conversation_id, channel_id, status, updated_at)
                        SELECT site_id, sequence, conversation_id, channel_id, 'QUEUED', :now FROM routed
                        WHERE channel_id IS NOT NULL
                          AND source_channel_id IS DISTINCT FROM channel_id::text
                        ON CONFLICT DO NOTHING
                        RETURNING site_id, sequence, conversation_id, channel_id,
                                  (SELECT settings ->> 'channelType' FROM channels c
                                    WHERE c.site_id = channel_outbox.site_id
                                      AND c.channel_id = channel_outbox.channel_id) AS channel_type,
                                  (SELECT settings ->> 'name' FROM channels c
                                    WHERE c.site_id = channel_outbox.site_id
                                      AND c.channel_id = channel_outbox.channel_id) AS channel_name
                        """)
                .bind("site", site.value())
                .bind("from", from)
                .bind("to", to)
                .bind("slug", EventType.MESSAGE_SENT_TO_PARTICIPANT.slug())
                .bind("now", now)
                .map((rs, ctx) -> new Queued(site, rs.getLong("sequence"), rs.getObject("conversation_id", UUID.class),
                        rs.getObject("channel_id", UUID.class), rs.getString("channel_type"),
                        rs.getString("channel_name")))
                .list();
    }

    /** The participant's contact, its first email and phone, and the channel's user id for it. */
    private static Recipient recipient(Handle handle, Queued queued) {
        return handle.createQuery("""
                        SELECT ct.contact_id,
                               ct.info -> 'emails' -> 'items' -> 0 ->> 'email' AS email,
                               ct.info -> 'phones' -> 'items' -> 0 ->> 'e164Phone' AS phone,
                               (SELECT l.external_user_id FROM channel_identities l
                                 WHERE l.site_id = ct.site_id AND l.channel_id = :channel AND l.contact_id = ct.contact_id
                                 LIMIT 1) AS external_user_id
                        FROM conversations c
                        JOIN contacts ct ON ct.site_id = c.site_id
                         AND ct.contact_id = CASE WHEN c.participant_kind = 'CONTACT' THEN c.participant_id
                                                  ELSE c.contact_id END
                        WHERE c.site_id = :site AND c.conversation_id = :conversation
                        """)
                .bind("site", queued.site().value())
                .bind("conversation", queued.conversation())
                .bind("channel", queued.channel())
                .map((rs, ctx) -> new Recipient(rs.getString("contact_id"), rs.getString("email"),
                        rs.getString("phone"), rs.getString("external_user_id")))
                .findOne()
                .orElse(new Recipient(null, null, null, null));
    }

    /**
     * The connector of {@code channelId} reports how a message's delivery went. A state earlier than the one known
     * (a late "sent" after "delivered") changes nothing; {@code FAILED} is final. Every change is an event.
     */
    void report(Caller caller, UUID channelId, String messageId, State state, String reason) {
        long sequence = PathIds.sequence(messageId == null ? "" : messageId).orElseThrow(() -> InvalidArgument.of(
                FieldViolation.required("messageId")));
        if (state == null || state == State.QUEUED) {
            throw InvalidArgument.of(new FieldViolation("state", "must be SENT, DELIVERED, READ or FAILED",
                    FieldViolation.Rule.REQUIRED_FIELD));
        }
        if (reason != null && reason.length() > MAX_REASON) {
            throw InvalidArgument.of(new FieldViolation("reason", "must be at most " + MAX_REASON + " characters",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        database.inTransaction(handle -> {
            record Row(UUID conversation, State state, String type, String name) {
            }
            Row row = handle.createQuery("""
                            SELECT o.conversation_id, o.status, c.settings ->> 'channelType' AS type,
                                   c.settings ->> 'name' AS name
                            FROM channel_outbox o
                            JOIN channels c ON c.site_id = o.site_id AND c.channel_id = o.channel_id
                            WHERE o.site_id = :site AND o.sequence = :sequence AND o.channel_id = :channel
                            FOR UPDATE OF o
                            """)
                    .bind("site", caller.site().value())
                    .bind("sequence", sequence)
                    .bind("channel", channelId)
                    .map((rs, ctx) -> new Row(rs.getObject("conversation_id", UUID.class),
                            State.valueOf(rs.getString("status")), rs.getString("type"), rs.getString("name")))
                    .findOne()
                    .orElseThrow(() -> new NotFound("DELIVERY_NOT_FOUND", "no message of this channel's to deliver "
                            + "has this id"));
            if (row.state() == State.FAILED || state != State.FAILED && state.ordinal() <= row.state().ordinal()) {
                return null;
            }
            Instant now = clock.instant();
            handle.createUpdate("""
                            UPDATE channel_outbox SET status = :state, reason = :reason, updated_at = :now
                            WHERE site_id = :site AND sequence = :sequence
                            """)
                    .bind("state", state.name())
                    .bind("reason", state == State.FAILED ? reason : null)
                    .bind("now", now)
                    .bind("site", caller.site().value())
                    .bind("sequence", sequence)
                    .execute();
            changed(handle, new Queued(caller.site(), sequence, row.conversation(), channelId, row.type(), row.name()),
                    state, state == State.FAILED ? reason : null, now, caller);
            return null;
        });
    }

    /** The conversation's messages handed to custom channels, and how their delivery went. */
    public static List<Delivery> deliveries(Handle handle, SiteId site, UUID conversation) {
        return handle.createQuery("""
                        SELECT o.sequence, o.channel_id, o.status, o.reason, o.updated_at,
                               c.settings ->> 'channelType' AS type, c.settings ->> 'name' AS name
                        FROM channel_outbox o
                        JOIN channels c ON c.site_id = o.site_id AND c.channel_id = o.channel_id
                        WHERE o.site_id = :site AND o.conversation_id = :conversation
                        ORDER BY o.sequence
                        """)
                .bind("site", site.value())
                .bind("conversation", conversation)
                .map((rs, ctx) -> new Delivery(Long.toString(rs.getLong("sequence")), rs.getString("type"),
                        rs.getString("channel_id"), rs.getString("name"), State.valueOf(rs.getString("status")),
                        rs.getString("reason"), rs.getTimestamp("updated_at").toInstant()))
                .list();
    }

    private void changed(Handle handle, Queued message, State state, String reason, Instant now, Caller caller) {
        Delivery delivery = new Delivery(Long.toString(message.sequence()), message.type(), message.channel().toString(),
                message.name(), state, reason, now);
        events.append(handle, message.site(), EventType.MESSAGE_DELIVERY_CHANGED, delivery.messageId(),
                message.conversation(), new DeliveryChanged(message.conversation().toString(), delivery), caller);
    }

    @Override
    public synchronized void close() {
        running.set(false);
        wakeUp.release();
        try {
            if (loop != null) {
                loop.join(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
