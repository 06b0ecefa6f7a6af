package parley.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.SocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.jdbi.v3.core.Handle;
import org.slf4j.LoggerFactory;
import parley.channels.Credentials;
import parley.events.EventLog;
import parley.files.FileLinks;
import parley.files.Files;
import parley.messages.Message;
import parley.messages.MessageContent;
import parley.messages.MessageFiles;
import parley.messages.Messages;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Each node's email loop (docs/email.md, "Sending"). A round (1) reads new events for business messages to email
 * and queues them ({@link MailOutbox#scan}), (2) claims due ones under a lease and sends them through the relay over
 * {@link #CONNECTIONS} connections it keeps open, and (3) records every outcome in one transaction: sent; failed for
 * good on a 5xx answer or a message no mail can carry; or tried again after a back-off on anything else, until
 * {@link #RETRY_FOR} has passed. A node killed between claiming and recording only delays its messages until their
 * lease runs out; another node then sends them again, as the same mail (the Message-ID is the message's), which is
 * the one case a receiver may see a mail twice.
 *
 * <p>Without a relay a node still queues (the dashboard shows such messages as queued) but sends nothing.
 */
public final class MailSender implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailSender.class);
    static final int CONNECTIONS = 4;
    private static final int CLAIM_BATCH = 64;
    private static final int MAX_REFERENCES = 20;
    static final Duration LEASE = Duration.ofMinutes(5);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofMinutes(30);
    static final Duration RETRY_FOR = Duration.ofHours(24);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration SCAN_INTERVAL = Duration.ofMillis(100);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** What a mail carries of its message's files, together; the rest are links (relays take 25 MB after base64). */
    static final long MAX_ATTACHED_BYTES = 10 * 1024 * 1024;

    private final Database database;
    private final Messages messages;
    private final MailOutbox outbox;
    private final ButtonLinks buttons;
    private final Files files;
    private final FileLinks fileLinks;
    private final Credentials credentials;
    private final Relay relay; // null: this node sends nothing
    private final Clock clock;
    private final Session session;
    private final List<Transport> connections = new ArrayList<>();
    private final BitSet open = new BitSet(); // which connections are connected, as far as we know
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Semaphore wakeUp = new Semaphore(0);
    private final Thread loop;

    /**
     * What became of one claimed message. Nullable: {@code mail} (not sent), {@code error} (sent). {@code unreachable}:
     * the relay could not be reached (no answer at all).
     */
    private record Outcome(MailOutbox.Claimed message, OutgoingMail mail, String error, boolean permanent,
                           boolean unreachable) {
    }

    public MailSender(Database database, Messages messages, EventLog events, ButtonLinks buttons, Files files,
                      FileLinks fileLinks, Credentials credentials, Relay relay, Clock clock) {
        this.files = files;
        this.fileLinks = fileLinks;
        this.database = database;
        this.credentials = credentials;
        this.buttons = buttons;
        this.messages = messages;
        this.outbox = new MailOutbox(events);
        this.relay = relay;
        this.clock = clock;
        this.session = Session.getInstance(properties(relay));
        this.loop = Thread.ofPlatform().name("parley-mail").daemon().start(this::run);
    }

    private static Properties properties(Relay relay) {
        Properties p = new Properties();
        String protocol = relay != null && relay.implicitTls() ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        if (relay != null) {
            p.put("mail." + protocol + ".host", relay.host());
            p.put("mail." + protocol + ".port", Integer.toString(relay.port()));
            p.put("mail." + protocol + ".auth", Boolean.toString(relay.user() != null));
            p.put("mail.smtp.starttls.enable", "true"); // whenever the relay offers it
            // and never a password in the clear: a relay that does not offer TLS (or an attacker who strips the
            // offer) is not logged in to
            p.put("mail.smtp.starttls.required", Boolean.toString(relay.user() != null && !relay.implicitTls()));
            if (!relay.implicitTls()) { // Angus Mail's own TLS sockets (smtps) keep its server identity checks
                p.put("mail.smtp.socketFactory", new NoDelaySockets(SocketFactory.getDefault()));
            }
        }
        for (String timeout : List.of("connectiontimeout", "timeout", "writetimeout")) {
            p.put("mail." + protocol + "." + timeout, Long.toString(TIMEOUT.toMillis()));
        }
        return p;
    }

    private void run() {
        long lastScan = 0;
        while (running.get()) {
            boolean busy = false;
            try {
                // Reading the log for every event under load would scan once per message: once a round, at most
                // every SCAN_INTERVAL, a scan takes all that came meanwhile.
                boolean scanned = false;
                if (System.nanoTime() - lastScan >= SCAN_INTERVAL.toNanos()) {
                    lastScan = System.nanoTime();
                    scanned = database.inTransaction(handle -> outbox.scan(handle, clock.instant()));
                }
                busy = relay != null ? send() || scanned : scanned;
            } catch (RuntimeException e) {
                log.warn("email round failed; retrying", e);
            }
            try {
                if (!busy) {
                    wakeUp.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS); // retries are found by polling
                    long sinceScan = System.nanoTime() - lastScan;
                    if (sinceScan < SCAN_INTERVAL.toNanos()) {
                        Thread.sleep(Duration.ofNanos(SCAN_INTERVAL.toNanos() - sinceScan));
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Claims due messages, sends them over the open connections at once, records what happened; true if any. */
    private boolean send() {
        Instant now = clock.instant();
        List<MailOutbox.Claimed> claimed = database.inTransaction(handle ->
                outbox.claim(handle, now, now.plus(LEASE), CLAIM_BATCH));
        if (claimed.isEmpty()) {
            return false;
        }
        List<List<MailOutbox.Claimed>> shares = new ArrayList<>();
        for (int i = 0; i < Math.min(CONNECTIONS, claimed.size()); i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < claimed.size(); i++) {
            shares.get(i % shares.size()).add(claimed.get(i));
        }
        Map<MailOutbox.Claimed, Object> written = write(claimed); // each an OutgoingMail, or why it cannot be one
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < shares.size(); i++) {
            int connection = i;
            senders.add(Thread.ofVirtual().name("parley-mail-send").start(() -> {
                Outcome unreachable = null;
                for (MailOutbox.Claimed message : shares.get(connection)) {
                    // Once the relay cannot be reached over this connection, the rest of its share waits for the
                    // next attempt rather than each taking the time-outs again (and outlasting the lease).
                    Outcome outcome = unreachable != null ? new Outcome(message, null, unreachable.error(), false, true)
                            : written.get(message) instanceof OutgoingMail mail ? attempt(connection, message, mail)
                            : new Outcome(message, null, (String) written.get(message), true, false);
                    unreachable = outcome.unreachable() ? outcome : unreachable;
                    outcomes.add(outcome);
                }
            }));
        }
        try {
            for (Thread sender : senders) {
                sender.join(); // each send ends within the time-outs
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: what was sent is recorded, the rest is sent again later
        }
        List<Outcome> finished;
        synchronized (outcomes) {
            finished = List.copyOf(outcomes);
        }
        finished.forEach(this::record);
        return true;
    }

    /**
     * Records one outcome in a transaction of its own, trying again if the database fails: a mail the relay took must
     * not stay claimed and go out again when its lease runs out.
     */
    private void record(Outcome o) {
        for (int attempt = 1; ; attempt++) {
            try {
                Instant now = clock.instant();
                database.inTransaction(handle -> {
                    if (o.mail() != null) {
                        outbox.sent(handle, o.message(), o.mail(), now);
                    } else if (o.permanent() || !now.isBefore(o.message().queuedAt().plus(RETRY_FOR))) {
                        outbox.failed(handle, o.message(), o.error(), now);
                    } else {
                        outbox.retry(handle, o.message(), o.error(), now.plus(backoff(o.message().attempt())), now);
                    }
                    return null;
                });
                return;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    log.error("could not record the email of message {} of site {}; it is tried again when its "
                            + "lease runs out", o.message().sequence(), o.message().site().value(), e);
                    return;
                }
            }
        }
    }

    /**
     * The claimed messages as mails, read in one go; a message that cannot be one maps to the reason (a permanent
     * failure: sending again would not help).
     */
    private Map<MailOutbox.Claimed, Object> write(List<MailOutbox.Claimed> claimed) {
        return database.read(handle -> {
            Map<MailOutbox.Claimed, Object> written = new HashMap<>();
            for (MailOutbox.Claimed message : claimed) {
                try {
                    Message stored = messages.find(handle, message.site(), message.sequence())
                            .orElseThrow(() -> new OutgoingMail.Unsendable("the message no longer exists"));
                    written.put(message, OutgoingMail.of(session, message, outbox.thread(handle, message,
                            MAX_REFERENCES).unsealed(credentials), stored, buttons,
                            attachments(handle, message.site(), stored.content()), fileLinks::signed, clock.instant()));
                } catch (OutgoingMail.Unsendable e) {
                    written.put(message, e.getMessage());
                } catch (MessagingException | RuntimeException e) {
                    log.warn("could not write message {} of site {} as email", message.sequence(),
                            message.site().value(), e);
                    written.put(message, "Parley could not write the email: " + e.getMessage());
                }
            }
            return written;
        });
    }

    /** The files of a message that go with its mail: in order, while together they stay under the limit. */
    private List<Files.Content> attachments(Handle handle, SiteId site, MessageContent content) {
        List<UUID> ids = MessageFiles.ids(content);
        Map<UUID, Files.Stored> found = files.find(handle, site, ids);
        List<Files.Content> attached = new ArrayList<>();
        long total = 0;
        for (UUID id : ids) {
            Files.Stored file = found.get(id);
            if (file != null && total + file.size() <= MAX_ATTACHED_BYTES
                    && attached.stream().noneMatch(a -> a.file().id().equals(id))) {
                files.read(handle, site, id).ifPresent(attached::add);
                total += file.size();
            }
        }
        return attached;
    }

    /** Sends over the connection; once more over a new one if the old one had broken (a relay closes idle ones). */
    private Outcome attempt(int connection, MailOutbox.Claimed claimed, OutgoingMail mail) {
        for (int attempt = 1; ; attempt++) {
            try {
                connected(connection).sendMessage(mail.mime(), mail.mime().getAllRecipients());
                return new Outcome(claimed, mail, null, false, false);
            } catch (MessagingException e) {
                int code = replyCode(e);
                if (code == 0) {
                    disconnect(connection);
                    if (attempt == 1) {
                        continue;
                    }
                }
                return new Outcome(claimed, null, reason(e, code), code >= 500, code == 0);
            }
        }
    }

    /**
     * The connection's transport, connected. Whether it still is is known only from a failed send (asking, as
     * {@code isConnected} does, costs a NOOP round trip per mail).
     */
    private synchronized Transport connected(int connection) throws MessagingException {
        while (connections.size() <= connection) {
            connections.add(session.getTransport());
        }
        Transport transport = connections.get(connection);
        if (!open.get(connection)) {
            transport.connect(relay.host(), relay.port(), relay.user(), relay.password());
            open.set(connection);
        }
        return transport;
    }

    private synchronized void disconnect(int connection) {
        open.clear(connection);
        try {
            connections.get(connection).close();
        } catch (MessagingException e) {
            // it is closed either way
        }
    }

    /** The relay's SMTP reply code, if it answered; 0 when it did not (refused, timed out, TLS failed). */
    private static int replyCode(Throwable e) {
        for (Throwable t = e; t != null; t = t instanceof MessagingException m && m.getNextException() != null
                ? m.getNextException() : t.getCause()) {
            switch (t) {
                case SMTPAddressFailedException failed -> {
                    return failed.getReturnCode();
                }
                case SMTPSendFailedException failed -> {
                    return failed.getReturnCode();
                }
                case SMTPSenderFailedException failed -> {
                    return failed.getReturnCode();
                }
                default -> {
                }
            }
        }
        return 0;
    }

    /** What the relay said, or why it could not be asked; never the relay's password (the URL is not in it). */
    private static String reason(MessagingException e, int code) {
        Throwable deepest = e;
        while (deepest instanceof MessagingException m && m.getNextException() != null) {
            deepest = m.getNextException();
        }
        String detail = deepest.getMessage() == null ? deepest.getClass().getSimpleName() : deepest.getMessage().strip();
        return (code > 0 ? "the relay answered: " : "the relay could not be reached: ") + detail;
    }

    /** 30 s, doubling each attempt, at most 30 min. */
    static Duration backoff(int attempt) {
        Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 10));
        return delay.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay;
    }

    /** New events may hold business messages to email: look now rather than at the next poll. */
    public void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    @Override
    /** Lets a round in progress finish and record what it sent (within 10 s), then stops. */
    public void close() {
        running.set(false);
        wakeUp.release();
        try {
            loop.join(Duration.ofSeconds(10));
            loop.interrupt(); // a relay that does not answer: what was sent is recorded, the rest goes out later
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Transport transport : connections) {
            try {
                transport.close();
            } catch (MessagingException e) {
                // closing anyway
            }
        }
    }
}
