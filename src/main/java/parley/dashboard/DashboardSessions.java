package parley.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Signed-in browsers. The cookie holds 256 random bits; the database keeps only their SHA-256, so a
 * leaked table opens nothing. A deactivated user's sessions open nothing either (and are deleted with it). A session lasts {@link #LIFETIME} from sign-in, then the user signs in
 * again (no sliding renewal: one fewer write per request, and a stolen cookie dies on a known date).
 */
public final class DashboardSessions {
    static final Duration LIFETIME = Duration.ofDays(14);

    private final Database database;
    private final Clock clock;

    public DashboardSessions(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** A session: the user it is for and the CSRF token its state changes must carry. */
    public record Session(SiteId site, UUID userId, String csrfToken) {
    }

    /** A new session: the cookie value (returned only here) and the session it opens. */
    public record Opened(String cookie, Session session) {
    }

    public Opened open(DashboardUser user) {
        String cookie = Tokens.random();
        Session session = new Session(user.site(), user.id(), Tokens.random());
        database.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO dashboard_sessions (token_hash, site_id, user_id, csrf_token, expires_at)
                        VALUES (:hash, :site, :user, :csrf, :expires)
                        """)
                .bind("hash", Tokens.sha256(cookie))
                .bind("site", user.site().value())
                .bind("user", user.id())
                .bind("csrf", session.csrfToken())
                .bind("expires", clock.instant().plus(LIFETIME))
                .execute());
        return new Opened(cookie, session);
    }

    public Optional<Session> find(String cookie) {
        return database.read(handle -> handle.createQuery("""
                        SELECT s.site_id, s.user_id, s.csrf_token FROM dashboard_sessions s
                        JOIN dashboard_users u ON u.site_id = s.site_id AND u.user_id = s.user_id
                        WHERE s.token_hash = :hash AND s.expires_at > :now AND u.deactivated_at IS NULL
                        """)
                .bind("hash", Tokens.sha256(cookie))
                .bind("now", clock.instant())
                .map((rs, ctx) -> new Session(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("user_id", UUID.class), rs.getString("csrf_token")))
                .findOne());
    }

    /** Ends the session and, while at it, every expired one. */
    public void close(String cookie) {
        database.inTransaction(handle -> handle.createUpdate("""
                        DELETE FROM dashboard_sessions WHERE token_hash = :hash OR expires_at <= :now
                        """)
                .bind("hash", Tokens.sha256(cookie))
                .bind("now", clock.instant())
                .execute());
    }
}
