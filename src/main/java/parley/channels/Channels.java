package parley.channels;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.messages.Message;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.Json;
import parley.web.PathIds;

/**
 * A site's channels beyond the chat widget (docs/email.md, "Channels"). An email channel receives at one address,
 * which no other channel of any site may have: the address alone tells whose a mail is.
 */
public final class Channels {
    static final int MAX_ADDRESS = 254;

    static final int MAX_NAME = 100;

    /** {@code CUSTOM}: any other service, fed by its connector (docs/channels.md). */
    public enum Kind { EMAIL, CUSTOM }

    /**
     * What a channel of its kind is set up with. Email: the address it receives at and, nullable, the mailbox it reads
     * instead of (or as well as) receiving over SMTP, and its DKIM key. Custom: the service's name and icon, which
     * its messages' badge shows, and the channel type they carry as {@code sourceChannel}.
     */
    public record Settings(String address, Imap imap, Dkim dkim, String name, Message.ChannelType channelType,
                           String iconUrl) {
        /**
         * The settings as the API shows them: a password or a private key is never shown once set; a DKIM key shows
         * the DNS record that publishes its public half.
         */
        Settings shown() {
            return new Settings(address, imap == null ? null : new Imap(imap.host(), imap.port(), imap.security(),
                    imap.user(), null, imap.folder()),
                    dkim == null ? null : new Dkim(dkim.selector(), null, dkim.dnsRecord()), name, channelType, iconUrl);
        }
    }

    /**
     * How a channel's mail is signed (docs/email.md, "DKIM"): Parley makes the key; the site publishes its public
     * half in DNS, as {@code dnsRecord} says. {@code privateKey} is stored encrypted and never shown.
     */
    public record Dkim(String selector, String privateKey, DnsRecord dnsRecord) {
    }

    public record DnsRecord(String name, String type, String value) {
    }

    /** How the connection to an IMAP server is protected: TLS from the start (993), upgraded (143), or not at all. */
    public enum Security { TLS, STARTTLS, NONE }

    /** An existing mailbox an email channel reads (docs/email.md, "Reading a mailbox over IMAP"). */
    public record Imap(String host, Integer port, Security security, String user, String password, String folder) {
    }

    /** Nullable: {@code status} (a channel that only receives over SMTP has none). */
    public record Channel(String id, Kind kind, Settings settings, Status status, Instant createdDate) {
    }

    /**
     * How reading a channel's mailbox goes: {@code CONNECTING} until a first read, {@code CONNECTED}, or
     * {@code FAILING} since a time, with the last error.
     */
    public record Status(String state, Instant failingSince, String error) {
    }

    /** The channel a mail's recipient address belongs to. */
    public record Owner(SiteId site, UUID channelId) {
    }

    private final Database database;
    private final Credentials credentials;
    private final Clock clock;

    public Channels(Database database, Credentials credentials, Clock clock) {
        this.database = database;
        this.credentials = credentials;
        this.clock = clock;
    }

    public List<Channel> list(SiteId site) {
        return database.read(handle -> handle.createQuery("""
                        SELECT c.channel_id, c.kind, c.settings::text, c.created_at, m.channel_id AS mailbox,
                               m.uid_validity, m.failing_since, m.last_error
                        FROM channels c
                        LEFT JOIN imap_mailboxes m ON m.site_id = c.site_id AND m.channel_id = c.channel_id
                        WHERE c.site_id = :site ORDER BY c.created_at, c.channel_id
                        """)
                .bind("site", site.value())
                .map((rs, ctx) -> new Channel(rs.getObject("channel_id", UUID.class).toString(),
                        Kind.valueOf(rs.getString("kind")), Json.readStored(rs.getString("settings"), Settings.class)
                        .shown(), rs.getObject("mailbox") == null ? null
                        : rs.getTimestamp("failing_since") != null ? new Status("FAILING",
                                rs.getTimestamp("failing_since").toInstant(), rs.getString("last_error"))
                        : new Status(rs.getObject("uid_validity") == null ? "CONNECTING" : "CONNECTED", null, null),
                        rs.getTimestamp("created_at").toInstant()))
                .list());
    }

    /** The mailbox a channel reads, with its password; empty once the channel is gone. */
    public Optional<Imap> mailbox(SiteId site, UUID channelId) {
        return database.read(handle -> handle.createQuery(
                        "SELECT settings::text FROM channels WHERE site_id = :site AND channel_id = :id")
                .bind("site", site.value())
                .bind("id", channelId)
                .map((rs, ctx) -> Json.readStored(rs.getString(1), Settings.class).imap())
                .findOne()
                .filter(Objects::nonNull)
                .map(imap -> new Imap(imap.host(), imap.port(), imap.security(), imap.user(),
                        credentials.decrypt(imap.password()), imap.folder())));
    }

    public Channel create(SiteId site, Kind kind, Settings requested) {
        if (kind == null) {
            throw InvalidArgument.of(FieldViolation.required("kind"));
        }
        return kind == Kind.CUSTOM ? createCustom(site, custom(requested)) : createEmail(site, requested);
    }

    /** A custom channel's settings, checked: a name, a channel type, an http(s) icon if any. */
    private static Settings custom(Settings requested) {
        List<FieldViolation> violations = new ArrayList<>();
        String name = requested == null || requested.name() == null ? "" : requested.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            violations.add(new FieldViolation("settings.name", "is required, at most " + MAX_NAME + " characters",
                    FieldViolation.Rule.REQUIRED_FIELD));
        }
        Message.ChannelType type = requested == null ? null : requested.channelType();
        if (type == null || type == Message.ChannelType.UNKNOWN_CHANNEL_TYPE || type == Message.ChannelType.CHAT) {
            violations.add(new FieldViolation("settings.channelType", "is required: SMS, WHATSAPP, FACEBOOK, "
                    + "INSTAGRAM, PHONE, EMAIL or AI_ASSISTANT", FieldViolation.Rule.REQUIRED_FIELD));
        }
        String icon = requested == null ? null : requested.iconUrl();
        if (icon != null && (icon.length() > 2048 || !icon.matches("(?i)https?://\\S+"))) {
            violations.add(new FieldViolation("settings.iconUrl", "must be an absolute http or https URL",
                    FieldViolation.Rule.FORMAT));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
        return new Settings(null, null, null, name, type, icon);
    }

    private Channel createCustom(SiteId site, Settings settings) {
        Channel channel = new Channel(UUID.randomUUID().toString(), Kind.CUSTOM, settings, null, clock.instant());
        database.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO channels (site_id, channel_id, kind, settings, created_at)
                            VALUES (:site, CAST(:id AS uuid), 'CUSTOM', CAST(:settings AS jsonb), :created)
                            """)
                    .bind("site", site.value())
                    .bind("id", channel.id())
                    .bind("settings", Json.write(settings))
                    .bind("created", channel.createdDate())
                    .execute();
            // From now on the site's business messages are read for what goes to its connector (ChannelOutbox).
            return handle.createUpdate("""
                            INSERT INTO channel_scans (site_id, scanned_to)
                            SELECT :site, COALESCE((SELECT last_position FROM event_log_heads WHERE site_id = :site), 0)
                            ON CONFLICT DO NOTHING
                            """)
                    .bind("site", site.value())
                    .execute();
        });
        return channel;
    }

    /** The settings of the site's custom channel {@code channelId}, or 404. */
    public Settings custom(SiteId site, UUID channelId) {
        return database.read(handle -> custom(handle, site, channelId));
    }

    /** {@link #custom(SiteId, UUID)} inside the caller's read. */
    Settings custom(Handle handle, SiteId site, UUID channelId) {
        return handle.createQuery("""
                        SELECT settings::text FROM channels
                        WHERE site_id = :site AND channel_id = :id AND kind = 'CUSTOM'
                        """)
                .bind("site", site.value())
                .bind("id", channelId)
                .map((rs, ctx) -> Json.readStored(rs.getString(1), Settings.class))
                .findOne()
                .orElseThrow(Channels::notFound);
    }

    private Channel createEmail(SiteId site, Settings requested) {
        Kind kind = Kind.EMAIL;
        String address = address(requested == null ? null : requested.address());
        Settings settings = new Settings(address,
                requested == null || requested.imap() == null ? null : imap(requested.imap()),
                requested == null || requested.dkim() == null ? null
                        : DkimKeys.create(requested.dkim().selector(), address, credentials), null, null, null);
        Channel channel = new Channel(UUID.randomUUID().toString(), kind, settings,
                settings.imap() == null ? null : new Status("CONNECTING", null, null), clock.instant());
        return database.inTransaction(handle -> {
            int taken = handle.createUpdate("""
                            WITH channel AS (
                                INSERT INTO channels (site_id, channel_id, kind, settings, created_at)
                                VALUES (:site, CAST(:id AS uuid), :kind, CAST(:settings AS jsonb), :created))
                            INSERT INTO email_addresses (address, site_id, channel_id)
                            VALUES (:address, :site, CAST(:id AS uuid))
                            ON CONFLICT (address) DO NOTHING
                            """)
                    .bind("site", site.value())
                    .bind("id", channel.id())
                    .bind("kind", kind.name())
                    .bind("settings", Json.write(settings))
                    .bind("created", channel.createdDate())
                    .bind("address", settings.address())
                    .execute();
            if (taken == 0) { // the exception rolls the channel back too
                throw new Conflict("EMAIL_ADDRESS_TAKEN", "another channel already receives at this address");
            }
            // From now on the site's business messages are read for what to email (docs/email.md, "Sending").
            handle.createUpdate("""
                            INSERT INTO email_scans (site_id, scanned_to)
                            SELECT :site, COALESCE((SELECT last_position FROM event_log_heads WHERE site_id = :site), 0)
                            ON CONFLICT DO NOTHING
                            """)
                    .bind("site", site.value())
                    .execute();
            if (settings.imap() != null) { // read by one node at a time from now on (ImapReaders)
                handle.createUpdate("INSERT INTO imap_mailboxes (channel_id, site_id) VALUES (CAST(:id AS uuid), :site)")
                        .bind("id", channel.id())
                        .bind("site", site.value())
                        .execute();
            }
            return new Channel(channel.id(), kind, settings.shown(), channel.status(), channel.createdDate());
        });
    }

    /** A mailbox's settings, checked, with the defaults filled in (TLS, its port, INBOX), its password sealed. */
    private Imap imap(Imap imap) {
        List<FieldViolation> violations = new ArrayList<>();
        if (imap.host() == null || !imap.host().strip().matches("[A-Za-z0-9.:\\[\\]-]{1,253}")) {
            violations.add(new FieldViolation("settings.imap.host", "must be a host name or address",
                    FieldViolation.Rule.FORMAT));
        }
        if (imap.port() != null && (imap.port() < 1 || imap.port() > 65_535)) {
            violations.add(new FieldViolation("settings.imap.port", "must be from 1 to 65535",
                    FieldViolation.Rule.FORMAT));
        }
        if (imap.user() == null || imap.user().isBlank() || imap.user().length() > MAX_ADDRESS) {
            violations.add(FieldViolation.required("settings.imap.user"));
        }
        if (imap.password() == null || imap.password().isEmpty() || imap.password().length() > 1024) {
            violations.add(FieldViolation.required("settings.imap.password"));
        }
        if (imap.folder() != null && (imap.folder().isBlank() || imap.folder().length() > 200)) {
            violations.add(new FieldViolation("settings.imap.folder", "must be a folder name of at most 200 "
                    + "characters", FieldViolation.Rule.FORMAT));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
        Security security = imap.security() == null ? Security.TLS : imap.security();
        int port = imap.port() != null ? imap.port() : security == Security.TLS ? 993 : 143;
        return new Imap(imap.host().strip(), port, security, imap.user().strip(), credentials.encrypt(imap.password()),
                imap.folder() == null ? "INBOX" : imap.folder());
    }

    /**
     * Changes a custom channel's name, type or icon: what the request leaves out stays. Its messages keep the badge
     * they were stored with; later ones carry the new one. (An email channel's address is what mail is routed by:
     * to move it, add a channel and delete the old one.)
     */
    public Channel update(SiteId site, UUID channelId, Settings changes) {
        return database.inTransaction(handle -> {
            Settings stored = custom(handle, site, channelId);
            Settings settings = custom(new Settings(null, null, null,
                    changes == null || changes.name() == null ? stored.name() : changes.name(),
                    changes == null || changes.channelType() == null ? stored.channelType() : changes.channelType(),
                    changes == null || changes.iconUrl() == null ? stored.iconUrl() : changes.iconUrl()));
            return handle.createQuery("""
                            UPDATE channels SET settings = CAST(:settings AS jsonb)
                            WHERE site_id = :site AND channel_id = :id
                            RETURNING created_at
                            """)
                    .bind("settings", Json.write(settings))
                    .bind("site", site.value())
                    .bind("id", channelId)
                    .map((rs, ctx) -> new Channel(channelId.toString(), Kind.CUSTOM, settings, null,
                            rs.getTimestamp("created_at").toInstant()))
                    .one();
        });
    }

    public void delete(SiteId site, String channelId) {
        UUID id = PathIds.parse(channelId).orElseThrow(Channels::notFound);
        int deleted = database.inTransaction(handle -> handle.createUpdate(
                        "DELETE FROM channels WHERE site_id = :site AND channel_id = :id")
                .bind("site", site.value())
                .bind("id", id)
                .execute());
        if (deleted == 0) {
            throw notFound();
        }
    }

    /** The channel that receives at {@code address} (any case), if any. */
    public Optional<Owner> ownerOf(String address) {
        return database.read(handle -> handle.createQuery(
                        "SELECT site_id, channel_id FROM email_addresses WHERE address = :address")
                .bind("address", address.toLowerCase(Locale.ROOT))
                .map((rs, ctx) -> new Owner(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("channel_id", UUID.class)))
                .findOne());
    }

    /** A plain address (no display name), lower-cased: mail routing ignores case in practice. */
    private static String address(String value) {
        FieldViolation invalid = new FieldViolation("settings.address", "must be an email address such as "
                + "support@example.com", FieldViolation.Rule.FORMAT);
        if (value == null || value.isBlank() || value.length() > MAX_ADDRESS) {
            throw InvalidArgument.of(invalid);
        }
        try {
            InternetAddress parsed = new InternetAddress(value.strip(), true);
            if (parsed.getPersonal() != null || !parsed.getAddress().contains("@")) {
                throw InvalidArgument.of(invalid);
            }
            return parsed.getAddress().toLowerCase(Locale.ROOT);
        } catch (AddressException e) {
            throw InvalidArgument.of(invalid);
        }
    }

    public static NotFound notFound() {
        return new NotFound("CHANNEL_NOT_FOUND", "channel not found");
    }
}
