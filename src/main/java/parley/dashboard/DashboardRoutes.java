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

    public DashboardRoutes(DashboardUsers users, DashboardSessions sessions, Authentication authentication, Sites sites,
                           Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.authentication = authentication;
        this.sites = sites;
        this.throttle = new SignInThrottle(clock);
    }

    record SignIn(String email, String password) {
    }

    record Me(String userId, String siteId, String siteName, String csrfToken) {
    }

    public void register(JavalinConfig config) {
        config.routes.post("/parley/v1/dashboard/sign-in", this::signIn);
        config.routes.post("/parley/v1/dashboard/sign-out", this::signOut);
        config.routes.get("/parley/v1/dashboard/me", this::me);
    }

    private void signIn(Context ctx) {
        SignIn request = Requests.body(ctx, SignIn.class);
        throttle.check(request.email());
        DashboardUser user = users.signIn(request.email(), request.password()).orElseThrow(() -> {
            throttle.failed(request.email());
            return new Unauthenticated("UNAUTHENTICATED", "the email or the password is wrong");
        });
        throttle.succeeded(request.email());
        DashboardSessions.Opened opened = sessions.open(user);
        ctx.header("Set-Cookie", cookie(ctx, opened.cookie(), DashboardSessions.LIFETIME.toSeconds()));
        Responses.json(ctx, me(user.site(), user.id(), opened.session().csrfToken()));
    }

    /** Needs the session and its CSRF token like any state change, so another page cannot sign the user out. */
    private void signOut(Context ctx) {
        authentication.caller(ctx);
        sessions.close(ctx.cookie(Authentication.SESSION_COOKIE));
        ctx.header("Set-Cookie", cookie(ctx, "", 0));
        ctx.status(204);
    }

    private void me(Context ctx) {
        Caller caller = authentication.caller(ctx);
        if (!(caller.identity() instanceof Caller.Agent agent)) {
            throw new Unauthenticated("UNAUTHENTICATED", "not signed in to the dashboard");
        }
        String csrf = sessions.find(ctx.cookie(Authentication.SESSION_COOKIE)).orElseThrow().csrfToken();
        Responses.json(ctx, me(caller.site(), agent.userId(), csrf));
    }

    private Me me(SiteId site, UUID user, String csrf) {
        return new Me(user.toString(), site.toString(), sites.find(site).orElseThrow().displayName(), csrf);
    }

    private static String cookie(Context ctx, String value, long maxAgeSeconds) {
        boolean https = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) || "https".equals(ctx.scheme());
        return Authentication.SESSION_COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds
                + "; HttpOnly; SameSite=Strict" + (https ? "; Secure" : "");
    }
}
