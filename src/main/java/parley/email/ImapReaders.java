package parley.email;

import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.StoreClosedException;
import jakarta.mail.UIDFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.channels.Channels;
import parley.outbound.PrivateAddresses;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Reads the mailboxes of email channels set up with IMAP (docs/email.md, "Reading a mailbox over IMAP"). Each
 * mailbox is read by one node at a time, under a lease in {@code imap_mailboxes} that the node renews every
 * {@link #CLAIM_EVERY}; a node that dies loses its mailboxes to another within {@link #LEASE}. A reader takes every
 * message above the last UID it stored, one by one, recording the UID after each, then waits with IDLE where the
 * server has it and polls where not. Each mail goes through the same intake as SMTP, so its Message-ID keeps it
 * stored once however often it is read (another node after a lease ran out, a folder whose UIDVALIDITY changed).
 */
public final class ImapReaders implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ImapReaders.class);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration CLAIM_EVERY = Duration.ofSeconds(2);
    static final Duration IDLE_FOR = Duration.ofSeconds(20); // then a NOOP ends the IDLE and the reader looks again
    static final Duration POLL = Duration.ofSeconds(30);
    static final Duration RETRY = Duration.ofSeconds(30);
    static final Duration HISTORY = Duration.ofDays(1); // a new channel takes the mail of the day before it too
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final UUID node = UUID.randomUUID();
    private final Database database;
    private final Channels channels;
    private final EmailIntake intake;
    private final boolean allowPrivateTargets;
    private final Clock clock;
    private final Map<UUID, Thread> readers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("parley-imap").daemon().factory());

    /** A mailbox this node reads. */
    private record Mailbox(SiteId site, UUID channel, Instant channelCreated) {
    }

    public ImapReaders(Database database, Channels channels, EmailIntake intake, boolean allowPrivateTargets,
                       Clock clock) {
        this.database = database;
        this.channels = channels;
        this.intake = intake;
        this.allowPrivateTargets = allowPrivateTargets;
        this.clock = clock;
        timer.scheduleWithFixedDelay(this::claimQuietly, 0, CLAIM_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void claimQuietly() {
        try {
            claim();
        } catch (RuntimeException e) {
            log.warn("could not claim IMAP mailboxes; trying again", e);
        }
    }

    /** Renews the leases of this node's mailboxes and takes the free ones; starts and stops readers to match. */
    private void claim() {
        Instant now = clock.instant();
        List<Mailbox> mine = database.inTransaction(handle -> handle.createQuery("""
                        UPDATE imap_mailboxes m SET reader = :node, leased_until = :until
                          FROM channels c
                         WHERE c.site_id = m.site_id AND c.channel_id = m.channel_id
                           AND (m.reader = :node OR m.leased_until IS NULL OR m.leased_until < :now)
                        RETURNING m.site_id, m.channel_id, c.created_at
                        """)
                .bind("node", node)
                .bind("until", now.plus(LEASE))
                .bind("now", now)
                .map((rs, ctx) -> new Mailbox(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("channel_id", UUID.class), rs.getTimestamp("created_at").toInstant()))
                .list());
        Set<UUID> ours = mine.stream().map(Mailbox::channel).collect(Collectors.toSet());
        readers.keySet().removeIf(channel -> {
            if (!ours.contains(channel)) { // deleted, or taken over after this node failed to renew in time
                readers.get(channel).interrupt();
                return true;
            }
            return false;
        });
        for (Mailbox mailbox : mine) {
            if (!readers.containsKey(mailbox.channel())) { // in the map before it runs: it reads while it is there
                Thread reader = Thread.ofVirtual().name("parley-imap-reader").unstarted(() -> read(mailbox));
                readers.put(mailbox.channel(), reader);
                reader.start();
            }
        }
    }

    private boolean reading(Mailbox mailbox) {
        return readers.get(mailbox.channel()) == Thread.currentThread();
    }

    /**
     * Connects, reads what is new, waits for more; on any failure records it and connects again after a while. A
     * reader leaves the map when it ends, however it ends, so that the next claim starts another if the mailbox is
     * still this node's.
     */
    private void read(Mailbox mailbox) {
        try {
            while (reading(mailbox)) {
                try {
                    if (!readUntilFailure(mailbox)) {
                        return; // the channel is gone
                    }
                } catch (MessagingException | IOException | RuntimeException e) {
                    if (!reading(mailbox)) {
                        return;
                    }
                    try {
                        recordFailing(mailbox, e);
                    } catch (RuntimeException notRecorded) {
                        log.warn("could not record the failure of the mailbox of channel {}", mailbox.channel(),
                                notRecorded);
                    }
                }
                Thread.sleep(RETRY);
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            readers.remove(mailbox.channel(), Thread.currentThread());
        }
    }

    /** One connection: reads and waits until something fails; false if the channel is gone. */
    private boolean readUntilFailure(Mailbox mailbox) throws MessagingException, IOException, InterruptedException {
        Channels.Imap settings = channels.mailbox(mailbox.site(), mailbox.channel()).orElse(null);
        if (settings == null) {
            return false;
        }
        Store store = null;
        try {
            refusePrivate(settings.host());
            Session session = Session.getInstance(properties(settings));
            store = session.getStore(settings.security() == Channels.Security.TLS ? "imaps" : "imap");
            store.connect(settings.host(), settings.port(), settings.user(), settings.password());
            Folder folder = store.getFolder(settings.folder());
            folder.open(Folder.READ_ONLY);
            boolean idle = ((IMAPStore) store).hasCapability("IDLE");
            while (reading(mailbox)) {
                readNew(mailbox, (IMAPFolder) folder);
                recordWorking(mailbox);
                if (idle) {
                    idle((IMAPFolder) folder);
                } else {
                    Thread.sleep(POLL);
                }
            }
            return true;
        } finally {
            close(store);
        }
    }

    /**
     * Every message above the last UID read, in UID order; read from the start (a new channel, a folder whose
     * UIDVALIDITY changed), only the mail of {@link #HISTORY} before the channel was set up and after.
     */
    private void readNew(Mailbox mailbox, IMAPFolder folder) throws MessagingException, IOException {
        long validity = folder.getUIDValidity();
        record Progress(Long validity, long lastUid) {
        }
        Progress progress = database.read(handle -> handle.createQuery(
                        "SELECT uid_validity, last_uid FROM imap_mailboxes WHERE channel_id = :channel")
                .bind("channel", mailbox.channel())
                .map((rs, ctx) -> new Progress((Long) rs.getObject("uid_validity"), rs.getLong("last_uid")))
                .one());
        boolean fresh = progress.validity() == null || progress.validity() != validity;
        long next = fresh ? 1 : progress.lastUid() + 1;
        Instant since = mailbox.channelCreated().minus(HISTORY);
        for (Message message : folder.getMessagesByUID(next, UIDFolder.MAXUID)) {
            long uid = folder.getUID(message);
            if (uid < next) {
                continue; // "n:*" names the last message even when there is none above n
            }
            if (!(fresh && message.getReceivedDate() != null
                    && message.getReceivedDate().toInstant().isBefore(since))) {
                take(mailbox, message, uid);
            }
            database.inTransaction(handle -> handle.createUpdate("""
                            UPDATE imap_mailboxes SET uid_validity = :validity, last_uid = :uid
                            WHERE channel_id = :channel AND reader = :node
                            """)
                    .bind("validity", validity)
                    .bind("uid", uid)
                    .bind("channel", mailbox.channel())
                    .bind("node", node)
                    .execute());
        }
        if (fresh) { // an empty folder, or one whose messages were all older
            database.inTransaction(handle -> handle.createUpdate("""
                            UPDATE imap_mailboxes SET uid_validity = :validity
                            WHERE channel_id = :channel AND reader = :node
                            """)
                    .bind("validity", validity)
                    .bind("channel", mailbox.channel())
                    .bind("node", node)
                    .execute());
        }
    }

    /**
     * Takes one message in. A message that cannot be read as a mail (broken MIME, too big) is skipped with a line in
     * the log, so that one bad mail never stops the mailbox; failing to store a good one fails the connection, and
     * the mail is read again.
     */
    private void take(Mailbox mailbox, Message message, long uid) throws MessagingException {
        ReceivedMail mail;
        try {
            if (message.getSize() > SmtpListener.MAX_MAIL_BYTES) {
                throw new MessagingException("a mail of " + message.getSize() + " bytes");
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            String[] returnPath = message.getHeader("Return-Path");
            // The envelope sender a server keeps in Return-Path ("<>" for a bounce); without one, take the mail as
            // its From says.
            String sender = returnPath == null ? "unknown" : returnPath[0].strip().replaceAll("^<|>$", "");
            mail = ReceivedMail.parse(raw.toByteArray(), sender).orElse(null);
        } catch (MessagingException | IOException | RuntimeException e) {
            if (e instanceof FolderClosedException || e instanceof StoreClosedException) {
                throw (MessagingException) e; // the connection, not the mail
            }
            log.info("skipped the message of UID {} in the mailbox of channel {}: {}", uid, mailbox.channel(),
                    e.toString());
            return;
        }
        if (mail != null) {
            intake.take(new Channels.Owner(mailbox.site(), mailbox.channel()), mail, List.of());
        }
    }

    /** IDLE until the server reports a change, or at most {@link #IDLE_FOR}: a NOOP from the timer ends it. */
    private void idle(IMAPFolder folder) throws MessagingException {
        // On a thread of its own: a hung server must not hold up the timer, which renews every lease.
        ScheduledFuture<?> wake = timer.schedule(() -> Thread.ofVirtual().name("parley-imap-noop").start(() -> {
            try {
                folder.doCommand(protocol -> {
                    protocol.simpleCommand("NOOP", null);
                    return null;
                });
            } catch (MessagingException e) {
                // the reader's own IDLE fails too, and it connects again
            }
        }), IDLE_FOR.toMillis(), TimeUnit.MILLISECONDS);
        try {
            folder.idle(true);
        } finally {
            wake.cancel(false);
        }
    }

    /** A mailbox set up by a site must not reach this machine or its private network unless allowed. */
    private void refusePrivate(String host) throws IOException {
        if (allowPrivateTargets) {
            return;
        }
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (PrivateAddresses.isPrivate(address)) {
                throw new IOException("the IMAP host " + host + " is a private address");
            }
        }
    }

    private static Properties properties(Channels.Imap settings) {
        String protocol = settings.security() == Channels.Security.TLS ? "imaps" : "imap";
        Properties p = new Properties();
        p.put("mail." + protocol + ".connectiontimeout", Long.toString(TIMEOUT.toMillis()));
        p.put("mail." + protocol + ".timeout", Long.toString(IDLE_FOR.plus(TIMEOUT).toMillis()));
        p.put("mail." + protocol + ".writetimeout", Long.toString(TIMEOUT.toMillis()));
        if (settings.security() == Channels.Security.TLS) {
            p.put("mail.imaps.ssl.checkserveridentity", "true");
        } else if (settings.security() == Channels.Security.STARTTLS) {
            p.put("mail.imap.starttls.enable", "true");
            p.put("mail.imap.starttls.required", "true");
        }
        return p;
    }

    private void recordWorking(Mailbox mailbox) {
        database.inTransaction(handle -> handle.createUpdate("""
                        UPDATE imap_mailboxes SET failing_since = NULL, last_error = NULL
                        WHERE channel_id = :channel AND failing_since IS NOT NULL
                        """)
                .bind("channel", mailbox.channel())
                .execute());
    }

    /** The failure as the channel's status shows it; never the password (Jakarta Mail's messages do not hold it). */
    private void recordFailing(Mailbox mailbox, Exception e) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        log.info("IMAP mailbox of channel {} failing: {}", mailbox.channel(), reason);
        database.inTransaction(handle -> handle.createUpdate("""
                        UPDATE imap_mailboxes SET failing_since = COALESCE(failing_since, :now), last_error = :error
                        WHERE channel_id = :channel
                        """)
                .bind("now", clock.instant())
                .bind("error", reason.length() > 500 ? reason.substring(0, 500) : reason)
                .bind("channel", mailbox.channel())
                .execute());
    }

    private static void close(Store store) {
        if (store != null) {
            try {
                store.close();
            } catch (MessagingException e) {
                // closed either way
            }
        }
    }

    /** Stops reading and gives the mailboxes up, so that another node takes them at once rather than after a lease. */
    @Override
    public void close() {
        timer.shutdownNow();
        readers.values().forEach(Thread::interrupt);
        readers.clear();
        try {
            database.inTransaction(handle -> handle.createUpdate(
                            "UPDATE imap_mailboxes SET reader = NULL, leased_until = NULL WHERE reader = :node")
                    .bind("node", node)
                    .execute());
        } catch (RuntimeException e) {
            log.warn("could not give up this node's IMAP mailboxes; others take them when the leases run out", e);
        }
    }
}
