package parley.dashboard;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.sites.SiteId;
import parley.storage.Database;

/** Dashboard accounts: created by the first start, by {@code parley user add}, checked at sign-in. */
public final class DashboardUsers {
    static final int MIN_PASSWORD_LENGTH = 12;
    /** The first owner's email: a placeholder the owner signs in with, until accounts can be edited. */
    static final String FIRST_OWNER_EMAIL = "owner@parley.local";

    private final Database database;
    private final Clock clock;

    public DashboardUsers(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The first owner, with the only copy of its password. */
    public record NewAccount(DashboardUser user, String password) {
    }

    public DashboardUser add(SiteId site, String email, String password, DashboardUser.Role role) {
        return database.inTransaction(handle -> add(handle, site, email, password, role));
    }

    /** {@link #add(SiteId, String, String, DashboardUser.Role)} inside the caller's transaction. */
    DashboardUser add(Handle handle, SiteId site, String email, String password, DashboardUser.Role role) {
        check(email, password);
        return insert(handle, site, email.strip(), password, role);
    }

    /**
     * On a start against an installation without any dashboard user: an owner of the oldest site, with a
     * generated password. Exactly one node creates it (an advisory lock, as for the first site).
     */
    public Optional<NewAccount> createFirstOwner() {
        return database.inTransaction(handle -> {
            handle.execute("SELECT pg_advisory_xact_lock(hashtext('parley.dashboard.first-owner'))");
            boolean anyUser = handle.createQuery("SELECT EXISTS (SELECT 1 FROM dashboard_users)")
                    .mapTo(Boolean.class).one();
            Optional<UUID> oldestSite = handle.createQuery("SELECT site_id FROM sites ORDER BY created_at LIMIT 1")
                    .mapTo(UUID.class).findOne();
            if (anyUser || oldestSite.isEmpty()) {
                return Optional.empty();
            }
            String password = Passwords.generate();
            return Optional.of(new NewAccount(insert(handle, new SiteId(oldestSite.get()), FIRST_OWNER_EMAIL,
                    password, DashboardUser.Role.OWNER), password));
        });
    }

    /**
     * The account these credentials open (never a deactivated one); the same work is done whether or not the email
     * exists.
     */
    public Optional<DashboardUser> signIn(String email, String password) {
        if (email == null || password == null) {
            return Optional.empty();
        }
        Optional<Stored> stored = database.read(handle -> handle.createQuery("""
                        SELECT site_id, user_id, email, role, password_hash FROM dashboard_users
                        WHERE lower(email) = lower(:email) AND deactivated_at IS NULL
                        """)
                .bind("email", email.strip())
                .map((rs, ctx) -> new Stored(new DashboardUser(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("user_id", UUID.class), rs.getString("email"),
                        DashboardUser.Role.valueOf(rs.getString("role"))), rs.getString("password_hash")))
                .findOne());
        boolean matches = Passwords.matches(password, stored.map(Stored::passwordHash).orElseGet(() -> UnknownEmail.HASH));
        return stored.filter(s -> matches).map(Stored::user);
    }

    private record Stored(DashboardUser user, String passwordHash) {
    }

    /**
     * Checked against when the email is unknown, so that a wrong email costs the same time as a wrong
     * password. Made on first use (a holder class): hashing takes a third of a second, not for start-up.
     */
    private static final class UnknownEmail {
        static final String HASH = Passwords.hash(Passwords.generate());
    }

    private DashboardUser insert(Handle handle, SiteId site, String email, String password, DashboardUser.Role role) {
        DashboardUser user = new DashboardUser(site, UUID.randomUUID(), email, role);
        int inserted = handle.createUpdate("""
                        INSERT INTO dashboard_users (site_id, user_id, email, password_hash, role, created_at)
                        VALUES (:site, :user, :email, :hash, :role, :at)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("site", site.value())
                .bind("user", user.id())
                .bind("email", email)
                .bind("hash", Passwords.hash(password))
                .bind("role", role.name())
                .bind("at", clock.instant())
                .execute();
        if (inserted == 0) {
            throw new Conflict("USER_ALREADY_EXISTS", "a dashboard user with this email already exists");
        }
        return user;
    }

    private static void check(String email, String password) {
        List<FieldViolation> violations = new ArrayList<>();
        if (email == null || !email.strip().matches("[^@\\s]+@[^@\\s]+") || email.strip().length() > 254) {
            violations.add(new FieldViolation("email", "must be an email address", FieldViolation.Rule.FORMAT));
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            violations.add(new FieldViolation("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters",
                    FieldViolation.Rule.MIN_LENGTH));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
    }
}
