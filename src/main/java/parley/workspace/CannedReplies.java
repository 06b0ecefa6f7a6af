package parley.workspace;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.PathIds;

/**
 * A site's canned replies: snippets an agent inserts from the reply box by typing {@code /} and the start of the
 * shortcut. Shortcuts are lower-case letters, digits, {@code -} and {@code _}, unique in the site.
 */
public final class CannedReplies {
    static final int MAX_BODY = 4000;
    static final int MAX_REPLIES = 1000;

    private final Database database;
    private final Clock clock;

    public CannedReplies(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public record CannedReply(UUID id, String shortcut, String body) {
    }

    /** The replies whose shortcut starts with {@code prefix} (all when null), by shortcut. */
    public List<CannedReply> list(SiteId site, String prefix) {
        String from = prefix == null ? "" : prefix.strip().toLowerCase(Locale.ROOT);
        return database.read(handle -> handle.createQuery("""
                        SELECT reply_id, shortcut, body FROM canned_replies
                        WHERE site_id = :site AND shortcut >= :from AND left(shortcut, length(:from)) = :from
                        ORDER BY shortcut LIMIT :max
                        """)
                .bind("site", site.value())
                .bind("from", from)
                .bind("max", MAX_REPLIES)
                .map((rs, ctx) -> new CannedReply(rs.getObject("reply_id", UUID.class), rs.getString("shortcut"),
                        rs.getString("body")))
                .list());
    }

    public CannedReply create(SiteId site, String shortcut, String body) {
        CannedReply reply = checked(UUID.randomUUID(), shortcut, body);
        return database.inTransaction(handle -> {
            int count = handle.createQuery("SELECT count(*) FROM canned_replies WHERE site_id = :site")
                    .bind("site", site.value()).mapTo(Integer.class).one();
            if (count >= MAX_REPLIES) {
                throw InvalidArgument.of(new FieldViolation("shortcut", "a site has at most " + MAX_REPLIES
                        + " canned replies", FieldViolation.Rule.MAX_SIZE));
            }
            write(handle, site, reply, """
                    INSERT INTO canned_replies (site_id, reply_id, shortcut, body, created_at)
                    VALUES (:site, :id, :shortcut, :body, :at) ON CONFLICT DO NOTHING
                    """);
            return reply;
        });
    }

    /** Changes the shortcut or the text; a null field stays as it is. */
    public CannedReply update(SiteId site, String id, String shortcut, String body) {
        return database.inTransaction(handle -> {
            CannedReply stored = find(handle, site, id);
            CannedReply reply = checked(stored.id(), shortcut == null ? stored.shortcut() : shortcut,
                    body == null ? stored.body() : body);
            write(handle, site, reply, """
                    UPDATE canned_replies SET shortcut = :shortcut, body = :body
                    WHERE site_id = :site AND reply_id = :id
                      AND NOT EXISTS (SELECT 1 FROM canned_replies o WHERE o.site_id = :site AND o.reply_id <> :id
                                      AND o.shortcut = :shortcut)
                    """);
            return reply;
        });
    }

    public void delete(SiteId site, String id) {
        database.inTransaction(handle -> handle.createUpdate(
                        "DELETE FROM canned_replies WHERE site_id = :site AND reply_id = :id")
                .bind("site", site.value())
                .bind("id", find(handle, site, id).id())
                .execute());
    }

    private void write(Handle handle, SiteId site, CannedReply reply, String sql) {
        int written = handle.createUpdate(sql)
                .bind("site", site.value())
                .bind("id", reply.id())
                .bind("shortcut", reply.shortcut())
                .bind("body", reply.body())
                .bind("at", clock.instant())
                .execute();
        if (written == 0) {
            throw new Conflict("SHORTCUT_ALREADY_EXISTS", "a canned reply with this shortcut already exists");
        }
    }

    private static CannedReply find(Handle handle, SiteId site, String id) {
        return PathIds.parse(id).flatMap(uuid -> handle.createQuery("""
                                SELECT shortcut, body FROM canned_replies WHERE site_id = :site AND reply_id = :id
                                """)
                        .bind("site", site.value())
                        .bind("id", uuid)
                        .map((rs, ctx) -> new CannedReply(uuid, rs.getString("shortcut"), rs.getString("body")))
                        .findOne())
                .orElseThrow(() -> new NotFound("CANNED_REPLY_NOT_FOUND", "canned reply not found"));
    }

    private static CannedReply checked(UUID id, String shortcut, String body) {
        List<FieldViolation> violations = new ArrayList<>();
        if (shortcut == null || !shortcut.matches("[a-z0-9_-]{1,32}")) {
            violations.add(new FieldViolation("shortcut", "1-32 lower-case letters, digits, - or _",
                    FieldViolation.Rule.FORMAT));
        }
        if (body == null || body.isBlank()) {
            violations.add(FieldViolation.required("body"));
        } else if (body.length() > MAX_BODY) {
            violations.add(new FieldViolation("body", "at most " + MAX_BODY + " characters",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
        return new CannedReply(id, shortcut, body);
    }
}
