package parley;

import java.time.Clock;
import java.util.UUID;
import parley.dashboard.DashboardUser;
import parley.dashboard.DashboardUsers;
import parley.storage.Database;

/** A dashboard account for a test site, added the way {@code parley user add} adds one. */
public record DashboardLogin(String email, String password) {
    public static DashboardLogin agentOf(Fixtures.TestSite site) {
        return of(site, DashboardUser.Role.AGENT);
    }

    public static DashboardLogin ownerOf(Fixtures.TestSite site) {
        return of(site, DashboardUser.Role.OWNER);
    }

    private static DashboardLogin of(Fixtures.TestSite site, DashboardUser.Role role) {
        DashboardLogin login = new DashboardLogin(role.name().toLowerCase(java.util.Locale.ROOT) + "-" + UUID.randomUUID()
                + "@example.com", "correct horse battery");
        try (Database database = Database.open(TestParley.get().databaseUrl(), null, 1)) {
            new DashboardUsers(database, Clock.systemUTC()).add(site.siteId(), login.email(), login.password(), role);
        }
        return login;
    }

    /** Signs in over HTTP: an API client carrying the session cookie and the CSRF token, as the dashboard page does. */
    public Api signIn() {
        Api.Response signedIn = Api.anonymous(TestParley.baseUrl()).post("/parley/v1/dashboard/sign-in",
                "{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}");
        if (signedIn.status() != 200) {
            throw new AssertionError(signedIn.raw());
        }
        return Api.anonymous(TestParley.baseUrl())
                .withHeader("Cookie", signedIn.header("Set-Cookie").split(";", 2)[0])
                .withHeader("X-CSRF-Token", signedIn.text("/csrfToken"));
    }
}
