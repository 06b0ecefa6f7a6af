package parley.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import parley.auth.Caller;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.errors.PermissionDenied;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.PathIds;

/**
 * The people of a site's dashboard (docs/dashboard-and-widget.md, "People and teams"): owners invite agents by a
 * one-time link, set roles, deactivate and reactivate. Only an owner (or an app) manages people; a site always
 * keeps one active owner. Deactivating ends the person's sessions in the same transaction.
 */
public final class People {
    static final Duration INVITATION_LIFETIME = Duration.ofDays(7);
    static final int MAX_NAME = 80;

    private final Database database;
    private final DashboardUsers users;
    private final Clock clock;

    public People(Database database, DashboardUsers users, Clock clock) {
        this.database = database;
        this.users = users;
        this.clock = clock;
    }

    /** Someone of the site's dashboard. Nullable: {@code name}, {@code deactivatedDate}. */
    public record Person(UUID id, String email, String name, DashboardUser.Role role, Instant deactivatedDate) {
    }

    /** An open invitation; {@code token} only in the answer that created it (the link to pass on). */
    public record Invitation(UUID id, String email, DashboardUser.Role role, Instant expiresDate, String token) {
    }

    public List<Person> list(SiteId site) {
        return database.read(handle -> handle.createQuery("""
                        SELECT user_id, email, display_name, role, deactivated_at FROM dashboard_users
                        WHERE site_id = :site ORDER BY deactivated_at IS NOT NULL, lower(email)
                        """)
                .bind("site", site.value())
                .map((rs, ctx) -> new Person(rs.getObject("user_id", UUID.class), rs.getString("email"),
                        rs.getString("display_name"), DashboardUser.Role.valueOf(rs.getString("role")),
                        Optional.ofNullable(rs.getTimestamp("deactivated_at")).map(java.sql.Timestamp::toInstant)
                                .orElse(null)))
                .list());
    }

    /** Whether the caller may manage the site's people, labels and teams: an app, or an active owner. */
    public boolean isManager(Caller caller) {
        return switch (caller.identity()) {
            case Caller.App ignored -> true;
            case Caller.Visitor ignored -> false;
            case Caller.Agent agent -> database.read(handle -> handle.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM dashboard_users WHERE site_id = :site AND user_id = :user
                                           AND role = 'OWNER' AND deactivated_at IS NULL)
                            """)
                    .bind("site", caller.site().value())
                    .bind("user", agent.userId())
                    .mapTo(Boolean.class)
                    .one());
        };
    }

    public void requireManager(Caller caller) {
        if (!isManager(caller)) {
            throw new PermissionDenied("PERMISSION_DENIED", "only an owner may manage the site's people, teams and labels");
        }
    }

    /** Changes a person's name, role or whether they are active; a null field stays as it is. */
    public Person update(Caller caller, String userId, String name, DashboardUser.Role role, Boolean active) {
        requireManager(caller);
        if (name != null && name.strip().length() > MAX_NAME) {
            throw InvalidArgument.of(new FieldViolation("name", "at most " + MAX_NAME + " characters",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        SiteId site = caller.site();
        UUID id = PathIds.parse(userId).orElseThrow(People::notFound);
        database.inTransaction(handle -> {
            // One owner at a time changes who the owners are: the last active one cannot be demoted or deactivated.
            handle.execute("SELECT pg_advisory_xact_lock(hashtext('parley.people.' || ?))", site.toString());
            int updated = handle.createUpdate("""
                            UPDATE dashboard_users SET
                                display_name = coalesce(:name, display_name),
                                role = coalesce(:role, role),
                                deactivated_at = CASE WHEN :active IS NULL THEN deactivated_at
                                                      WHEN :active THEN NULL
                                                      ELSE coalesce(deactivated_at, :now) END
                            WHERE site_id = :site AND user_id = :user
                            """)
                    .bind("site", site.value())
                    .bind("user", id)
                    .bind("name", name == null ? null : name.strip())
                    .bind("role", role == null ? null : role.name())
                    .bind("active", active)
                    .bind("now", clock.instant())
                    .execute();
            if (updated == 0) {
                throw notFound();
            }
            boolean anOwnerLeft = handle.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM dashboard_users WHERE site_id = :site AND role = 'OWNER'
                                           AND deactivated_at IS NULL)
                            """)
                    .bind("site", site.value()).mapTo(Boolean.class).one();
            if (!anOwnerLeft) {
                throw new Conflict("LAST_OWNER", "a site keeps at least one active owner");
            }
            handle.createUpdate("""
                            DELETE FROM dashboard_sessions s USING dashboard_users u
                            WHERE s.site_id = u.site_id AND s.user_id = u.user_id
                              AND u.site_id = :site AND u.user_id = :user AND u.deactivated_at IS NOT NULL
                            """)
                    .bind("site", site.value())
                    .bind("user", id)
                    .execute();
            return null;
        });
        return list(site).stream().filter(person -> person.id().equals(id)).findFirst().orElseThrow();
    }

    /** A one-time link for {@code email} to join as {@code role}, valid {@link #INVITATION_LIFETIME}. */
    public Invitation invite(Caller caller, String email, DashboardUser.Role role) {
        requireManager(caller);
        if (email == null || !email.strip().matches("[^@\\s]+@[^@\\s]+") || email.strip().length() > 254) {
            throw InvalidArgument.of(new FieldViolation("email", "must be an email address", FieldViolation.Rule.FORMAT));
        }
        String token = Tokens.random();
        Invitation invitation = new Invitation(UUID.randomUUID(), email.strip(), role == null ? DashboardUser.Role.AGENT
                : role, clock.instant().plus(INVITATION_LIFETIME), token);
        database.inTransaction(handle -> {
            boolean taken = handle.createQuery("SELECT EXISTS (SELECT 1 FROM dashboard_users WHERE lower(email) = lower(:email))")
                    .bind("email", invitation.email()).mapTo(Boolean.class).one();
            if (taken) {
                throw new Conflict("USER_ALREADY_EXISTS", "a dashboard user with this email already exists");
            }
            return handle.createUpdate("""
                            INSERT INTO invitations (site_id, invitation_id, token_hash, email, role, invited_by,
                                                     created_at, expires_at)
                            VALUES (:site, :id, :hash, :email, :role, :by, :now, :expires)
                            """)
                    .bind("site", caller.site().value())
                    .bind("id", invitation.id())
                    .bind("hash", Tokens.sha256(token))
                    .bind("email", invitation.email())
                    .bind("role", invitation.role().name())
                    .bind("by", caller.principal())
                    .bind("now", clock.instant())
                    .bind("expires", invitation.expiresDate())
                    .execute();
        });
        return invitation;
    }

    /** The site's invitations not yet accepted nor expired (without their tokens). */
    public List<Invitation> invitations(Caller caller) {
        requireManager(caller);
        return database.read(handle -> handle.createQuery("""
                        SELECT invitation_id, email, role, expires_at FROM invitations
                        WHERE site_id = :site AND expires_at > :now ORDER BY created_at
                        """)
                .bind("site", caller.site().value())
                .bind("now", clock.instant())
                .map((rs, ctx) -> new Invitation(rs.getObject("invitation_id", UUID.class), rs.getString("email"),
                        DashboardUser.Role.valueOf(rs.getString("role")), rs.getTimestamp("expires_at").toInstant(), null))
                .list());
    }

    public void revoke(Caller caller, String invitationId) {
        requireManager(caller);
        int deleted = database.inTransaction(handle -> handle.createUpdate(
                        "DELETE FROM invitations WHERE site_id = :site AND invitation_id = :id")
                .bind("site", caller.site().value())
                .bind("id", PathIds.parse(invitationId).orElseThrow(People::invitationNotFound))
                .execute());
        if (deleted == 0) {
            throw invitationNotFound();
        }
    }

    /** Accepts an invitation: the new account, signed in by the caller. The link works once, before it expires. */
    public DashboardUser accept(String token, String name, String password) {
        return database.inTransaction(handle -> {
            Optional<Pending> pending = token == null ? Optional.empty() : handle.createQuery("""
                            DELETE FROM invitations WHERE token_hash = :hash AND expires_at > :now
                            RETURNING site_id, email, role
                            """)
                    .bind("hash", Tokens.sha256(token))
                    .bind("now", clock.instant())
                    .map((rs, ctx) -> new Pending(new SiteId(rs.getObject("site_id", UUID.class)), rs.getString("email"),
                            DashboardUser.Role.valueOf(rs.getString("role"))))
                    .findOne();
            Pending invited = pending.orElseThrow(() -> new NotFound("INVITATION_NOT_FOUND",
                    "this invitation link is not valid: it was used, revoked or has expired"));
            DashboardUser user = users.add(handle, invited.site(), invited.email(), password, invited.role());
            if (name != null && !name.isBlank()) {
                handle.createUpdate("UPDATE dashboard_users SET display_name = :name WHERE site_id = :site AND user_id = :user")
                        .bind("name", name.strip().substring(0, Math.min(MAX_NAME, name.strip().length())))
                        .bind("site", user.site().value())
                        .bind("user", user.id())
                        .execute();
            }
            return user;
        });
    }

    private record Pending(SiteId site, String email, DashboardUser.Role role) {
    }

    private static NotFound notFound() {
        return new NotFound("USER_NOT_FOUND", "dashboard user not found");
    }

    private static NotFound invitationNotFound() {
        return new NotFound("INVITATION_NOT_FOUND", "invitation not found");
    }
}
