package parley.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.UUID;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.errors.Unauthenticated;
import parley.sites.SiteId;
import parley.sites.Sites;
import parley.web.Clients;
import parley.web.Requests;
import parley.web.Responses;

/**
 * Signing in and out of the dashboard. The session cookie is HttpOnly (scripts never see it),
 * SameSite=Strict (no other site's page sends it) and Secure behind https; the CSRF token the page
 * needs for state changes comes in the sign-in answer and from {@code /me}.
 */
public final class DashboardRoutes {
    private final DashboardUsers users;
    private final DashboardSessions sessions;
    private final Authentication authentication;
    private final Sites sites;
    private final SignInThrottle throttle;
    private final People people;

    /** {@code signInsPerMinute}: attempts per client address (see {@link SignInThrottle}). */
    public DashboardRoutes(DashboardUsers users, DashboardSessions sessions, People people,
                           Authentication authentication, Sites sites, Clock clock, int signInsPerMinute) {
        this.users = users;
        this.people = people;
        this.sessions = sessions;
        this.authentication = authentication;
        this.sites = sites;
        // Password checks take half the cores at most: the API keeps the other half under a guessing storm.
        this.throttle = new SignInThrottle(clock, signInsPerMinute,
                Math.max(1, Runtime.getRuntime().availableProcessors() / 2), SignInThrottle.MAX_WAIT);
    }

    record SignIn(String email, String password) {
    }

    record Me(String userId, String siteId, String siteName, String csrfToken, String email, String name,
              DashboardUser.Role role) {
    }

    record Accept(String token, String name, String password) {
    }

    public void register(JavalinConfig config) {
        config.routes.post("/parley/v1/dashboard/sign-in", this::signIn);
        config.routes.post("/parley/v1/dashboard/sign-out", this::signOut);
        config.routes.get("/parley/v1/dashboard/me", this::me);
        config.routes.post("/parley/v1/dashboard/accept-invitation", this::acceptInvitation);
    }

    private void signIn(Context ctx) {
        SignIn request = Requests.body(ctx, SignIn.class);
        DashboardUser user;
        try (SignInThrottle.Attempt attempt = throttle.begin(request.email(), Clients.of(ctx))) {
            user = users.signIn(request.email(), request.password()).orElseThrow(() -> {
                attempt.failed();
                return new Unauthenticated("UNAUTHENTICATED", "the email or the password is wrong");
            });
            attempt.succeeded();
        }
        open(ctx, user);
    }

    /** Creates the invited person's account and signs it in; throttled per address as sign-ins are. */
    private void acceptInvitation(Context ctx) {
        Accept request = Requests.body(ctx, Accept.class);
        DashboardUser user;
        // Throttled per link: failures with one token must not lock out the other invitations.
        String link = "invitation " + java.util.HexFormat.of().formatHex(Tokens.sha256(String.valueOf(request.token())));
        try (SignInThrottle.Attempt attempt = throttle.begin(link, Clients.of(ctx))) {
            try {
                user = people.accept(request.token(), request.name(), request.password());
            } catch (RuntimeException e) {
                attempt.failed();
                throw e;
            }
            attempt.succeeded();
        }
        open(ctx, user);
    }

    private void open(Context ctx, DashboardUser user) {
        DashboardSessions.Opened opened = sessions.open(user);
        ctx.header("Set-Cookie", cookie(ctx, opened.cookie(), DashboardSessions.LIFETIME.toSeconds()));
        Responses.secret(ctx, me(user.site(), user.id(), opened.session().csrfToken()));
    }

    /** Needs the session and its CSRF token like any state change, so another page cannot sign the user out. */
    private void signOut(Context ctx) {
        signedIn(ctx);
        sessions.close(ctx.cookie(Authentication.SESSION_COOKIE));
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(204);
    }

    private void me(Context ctx) {
        Caller caller = signedIn(ctx);
        String csrf = sessions.find(ctx.cookie(Authentication.SESSION_COOKIE))
                .orElseThrow(() -> new Unauthenticated("UNAUTHENTICATED", "the dashboard session has ended")).csrfToken();
        Responses.secret(ctx, me(caller.site(), ((Caller.Agent) caller.identity()).userId(), csrf));
    }

    /** The dashboard user of the request's session; an API key or a participant token is not one. */
    private Caller signedIn(Context ctx) {
        Caller caller = authentication.caller(ctx);
        if (!(caller.identity() instanceof Caller.Agent)) {
            throw new Unauthenticated("UNAUTHENTICATED", "not signed in to the dashboard");
        }
        return caller;
    }

    private Me me(SiteId site, UUID user, String csrf) {
        People.Person person = people.list(site).stream().filter(p -> p.id().equals(user)).findFirst().orElseThrow();
        return new Me(user.toString(), site.toString(), sites.find(site).orElseThrow().displayName(), csrf,
                person.email(), person.name(), person.role());
    }

    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) || "https".equals(ctx.scheme());
        return Authentication.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }
}
