package parley.channels;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
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

    public enum Kind { EMAIL }

    /** What a channel of its kind is set up with; for email, the address it receives at. */
    public record Settings(String address) {
    }

    public record Channel(String id, Kind kind, Settings settings, Instant createdDate) {
    }

    /** The channel a mail's recipient address belongs to. */
    public record Owner(SiteId site, UUID channelId) {
    }

    private final Database database;
    private final Clock clock;

    public Channels(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public List<Channel> list(SiteId site) {
        return database.read(handle -> handle.createQuery("""
                        SELECT channel_id, kind, settings::text, created_at FROM channels
                        WHERE site_id = :site ORDER BY created_at, channel_id
                        """)
                .bind("site", site.value())
                .map((rs, ctx) -> new Channel(rs.getObject("channel_id", UUID.class).toString(),
                        Kind.valueOf(rs.getString("kind")), Json.readStored(rs.getString("settings"), Settings.class),
                        rs.getTimestamp("created_at").toInstant()))
                .list());
    }

    public Channel create(SiteId site, Kind kind, Settings requested) {
        if (kind == null) {
            throw InvalidArgument.of(FieldViolation.required("kind"));
        }
        Settings settings = new Settings(address(requested == null ? null : requested.address()));
        Channel channel = new Channel(UUID.randomUUID().toString(), kind, settings, clock.instant());
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
            return channel;
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

    private static NotFound notFound() {
        return new NotFound("CHANNEL_NOT_FOUND", "channel not found");
    }
}
