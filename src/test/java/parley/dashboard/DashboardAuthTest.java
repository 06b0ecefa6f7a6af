package parley.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Config;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.Parley;
import parley.TestParley;
import parley.auth.Caller;
import parley.errors.Conflict;
import parley.errors.InvalidArgument;
import parley.errors.TooManyRequests;
import parley.events.Event;
import parley.events.EventType;
import parley.storage.Database;

/** Dashboard accounts and sessions over HTTP: the cookie, CSRF on every state change, sign-out. */
class DashboardAuthTest {
    private final Fixtures.TestSite acme = Fixtures.acme();
    private final DashboardLogin login = DashboardLogin.agentOf(acme);
    private final Api anonymous = Api.anonymous(TestParley.baseUrl());

    @Test
    void aWrongPasswordOrAnUnknownEmailOpensNothing() {
        for (String body : new String[] {
                "{\"email\": \"" + login.email() + "\", \"password\": \"wrong password!\"}",
                "{\"email\": \"nobody-" + login.email() + "\", \"password\": \"" + login.password() + "\"}"}) {
            Api.Response response = anonymous.post("/parley/v1/dashboard/sign-in", body);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.text("/details/applicationError/code")).isEqualTo("UNAUTHENTICATED");
            assertThat(response.header("Set-Cookie")).isNull();
        }
    }

    @Test
    void afterTenWrongPasswordsTheEmailMustWait() {
        String wrong = "{\"email\": \"" + login.email() + "\", \"password\": \"wrong password!\"}";
        for (int attempt = 0; attempt < SignInThrottle.MAX_FAILURES; attempt++) {
            assertThat(anonymous.post("/parley/v1/dashboard/sign-in", wrong).status()).isEqualTo(401);
        }
        Api.Response refused = anonymous.post("/parley/v1/dashboard/sign-in",
                "{\"email\": \"" + login.email().toUpperCase() + "\", \"password\": \"" + login.password() + "\"}");
        assertThat(refused.status()).isEqualTo(429); // even the right password, for now
        assertThat(refused.text("/details/applicationError/code")).isEqualTo("TOO_MANY_SIGN_IN_ATTEMPTS");
        DashboardLogin colleague = DashboardLogin.agentOf(acme);
        assertThat(colleague.signIn()).isNotNull(); // other emails are not held up
    }

    @Test
    void fiftyGuessesAtOnceCheckTenPasswordsAndLockOutOnlyTheGuessingAddress() throws Exception {
        String wrong = "{\"email\": \"" + login.email() + "\", \"password\": \"not the password at all\"}";
        List<Integer> answers = IntStream.range(0, 50).parallel()
                .mapToObj(i -> anonymous.post("/parley/v1/dashboard/sign-in", wrong).status()).toList();

        assertThat(answers).filteredOn(status -> status == 401).hasSize(SignInThrottle.MAX_FAILURES);
        assertThat(answers).filteredOn(status -> status == 429).hasSize(50 - SignInThrottle.MAX_FAILURES);
        String right = "{\"email\": \"" + login.email() + "\", \"password\": \"" + login.password() + "\"}";
        Api.Response here = anonymous.post("/parley/v1/dashboard/sign-in", right);
        assertThat(here.status()).isEqualTo(429);
        assertThat(Long.parseLong(here.header("Retry-After"))).isPositive();
        // The owner, signing in from another address (another loopback address here), is not locked out.
        assertThat(postFrom("127.0.0.2", "/parley/v1/dashboard/sign-in", right)).startsWith("HTTP/1.1 200");
    }

    @Test
    void oneAddressStartsTenSignInsAMinuteWhateverTheEmail() {
        try (Parley node = Parley.start(TestParley.anotherNode(0).withLimits(Config.Limits.DEFAULTS),
                Clock.systemUTC())) {
            Api there = Api.anonymous("http://127.0.0.1:" + node.port());
            List<Integer> answers = IntStream.range(0, Config.Limits.DEFAULTS.signInsPerMinute() + 1)
                    .mapToObj(i -> there.post("/parley/v1/dashboard/sign-in", "{\"email\": \"guess" + i
                            + "@example.org\", \"password\": \"not the password at all\"}").status()).toList();

            assertThat(answers.subList(0, answers.size() - 1)).containsOnly(401);
            Api.Response limited = there.post("/parley/v1/dashboard/sign-in",
                    "{\"email\": \"one-more@example.org\", \"password\": \"not the password at all\"}");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isNotNull();
            assertThat(limited.text("/details/applicationError/code")).isEqualTo("TOO_MANY_SIGN_IN_ATTEMPTS");
        }
    }

    @Test
    void answersThatCarrySecretsAreNotCachedAndThePagesCannotBeFramed() throws Exception {
        assertThat(signIn(anonymous).header("Cache-Control")).isEqualTo("no-store");
        assertThat(acme.api().get("/parley/v1/widget/settings").header("Cache-Control")).isEqualTo("no-store");
        assertThat(anonymous.post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\"}")
                .header("Cache-Control")).isEqualTo("no-store");
        assertThat(Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN)
                .post("/parley/v1/sites", "{\"displayName\": \"Secret keeper\"}").header("Cache-Control"))
                .isEqualTo("no-store");
        java.net.http.HttpHeaders page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(TestParley.baseUrl() + "/dashboard")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).headers();
        assertThat(page.firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
    }

    @Test
    void atMostTheAllowedPasswordChecksRunAtOnceAndALongWaitIsRefused() {
        SignInThrottle throttle = new SignInThrottle(Clock.systemUTC(), 100, 1, Duration.ofMillis(50));
        try (SignInThrottle.Attempt checking = throttle.begin("ann@example.org", "192.0.2.1")) {
            assertThatThrownBy(() -> throttle.begin("bob@example.org", "192.0.2.2"))
                    .isInstanceOf(TooManyRequests.class).hasMessageContaining("too many sign-ins at once");
            checking.failed();
        }
        try (SignInThrottle.Attempt next = throttle.begin("bob@example.org", "192.0.2.2")) {
            next.succeeded();
        }
    }

    /** A POST from {@code localAddress}: the status line and the rest of the answer, as the server wrote them. */
    private static String postFrom(String localAddress, String path, String json) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(localAddress, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", TestParley.get().port()));
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrictAndSecureBehindHttps() {
        String cookie = signIn(anonymous).header("Set-Cookie");
        assertThat(cookie).startsWith("parley_session=").contains("; Path=/", "; HttpOnly", "; SameSite=Strict")
                .doesNotContain("Secure");
        String behindProxy = signIn(anonymous.withHeader("X-Forwarded-Proto", "https")).header("Set-Cookie");
        assertThat(behindProxy).contains("; Secure");
    }

    @Test
    void aSessionActsAsTheBusinessAndEveryStateChangeNeedsTheCsrfToken() {
        Api.Response signedIn = signIn(anonymous);
        Api withCookie = anonymous.withHeader("Cookie", cookieOf(signedIn));
        String conversation = acme.visitorConversation();
        String send = """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "Hello"}]}}}}
                """.formatted(conversation);

        Api.Response forged = withCookie.post("/inbox/v2/messages", send);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text("/details/applicationError/code")).isEqualTo("CSRF_TOKEN_INVALID");
        assertThat(withCookie.withHeader("X-CSRF-Token", "not-the-token").post("/inbox/v2/messages", send).status())
                .isEqualTo(403);
        assertThat(acme.listAllPages(conversation)).isEmpty(); // refused before anything was written

        Api agent = withCookie.withHeader("X-CSRF-Token", signedIn.text("/csrfToken"));
        Api.Response sent = agent.post("/inbox/v2/messages", send);
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        String userId = signedIn.text("/userId");
        assertThat(sent.text("/message/sender/wixUserId")).isEqualTo(userId);
        assertThat(sent.text("/message/appId")).isEqualTo(Caller.DASHBOARD_APP_ID.toString());
        Event event = acme.events().stream().filter(e -> e.type() == EventType.MESSAGE_SENT_TO_PARTICIPANT)
                .reduce((first, second) -> second).orElseThrow();
        assertThat(event.identity().get("identityType").asText()).isEqualTo("WIX_USER");
        assertThat(event.identity().get("wixUserId").asText()).isEqualTo(userId);

        assertThat(withCookie.get("/inbox/v2/conversations/" + conversation).status()).isEqualTo(200); // reads need no token
        Api.Response me = withCookie.get("/parley/v1/dashboard/me");
        assertThat(me.text("/siteId")).isEqualTo(acme.id());
        assertThat(me.text("/siteName")).isEqualTo("Acme Bakery");
        assertThat(me.text("/csrfToken")).isEqualTo(signedIn.text("/csrfToken"));
    }

    @Test
    void anAgentSeesOnlyItsOwnSiteAndPressesNoButtons() {
        Fixtures.TestSite other = Fixtures.site("Other Bakery");
        String theirs = other.visitorConversation();
        Api.Response signedIn = signIn(anonymous);
        Api agent = anonymous.withHeader("Cookie", cookieOf(signedIn)).withHeader("X-CSRF-Token", signedIn.text("/csrfToken"));
        assertThat(agent.get("/inbox/v2/conversations/" + theirs).status()).isEqualTo(404);
        assertThat(agent.get("/inbox/v2/conversations/" + theirs).text("/details/applicationError/code"))
                .isNotEqualTo("UNAUTHENTICATED");

        String ours = acme.visitorConversation();
        Api.Response template = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"template": {"title": "Pick",
                 "buttons": [{"label": "Yes", "postbackProperties": {"interactionId": "yes"}}]}}}}
                """.formatted(ours));
        Api.Response pressed = agent.post("/parley/v1/conversations/" + ours + "/messages/"
                + template.text("/message/id") + "/interactions", "{\"interactionId\": \"yes\"}");
        assertThat(pressed.status()).isEqualTo(403);
        assertThat(acme.events()).noneMatch(e -> e.type() == EventType.BUTTON_INTERACTED);
    }

    @Test
    void signingOutNeedsTheCsrfTokenAndEndsTheSession() {
        Api.Response signedIn = signIn(anonymous);
        Api withCookie = anonymous.withHeader("Cookie", cookieOf(signedIn));
        assertThat(withCookie.post("/parley/v1/dashboard/sign-out", "").status()).isEqualTo(403);
        assertThat(withCookie.get("/parley/v1/dashboard/me").status()).isEqualTo(200);

        Api.Response out = withCookie.withHeader("X-CSRF-Token", signedIn.text("/csrfToken"))
                .post("/parley/v1/dashboard/sign-out", "");
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.header("Set-Cookie")).startsWith("parley_session=;").contains("Max-Age=0");
        assertThat(withCookie.get("/parley/v1/dashboard/me").status()).isEqualTo(401);
        assertThat(withCookie.get("/parley/v1/conversations").status()).isEqualTo(401);
    }

    @Test
    void passwordsAreStoredAsSaltedPbkdf2Hashes() {
        String hash = Passwords.hash("correct horse battery");
        assertThat(hash).startsWith("pbkdf2-sha256$600000$").doesNotContain("correct horse battery");
        assertThat(Passwords.hash("correct horse battery")).isNotEqualTo(hash); // salted
        assertThat(Passwords.matches("correct horse battery", hash)).isTrue();
        assertThat(Passwords.matches("correct horse batterz", hash)).isFalse();
    }

    @Test
    void accountsNeedAnEmailAndAPasswordOfTwelveCharactersAndEmailsAreUnique() {
        try (Database database = Database.open(TestParley.get().databaseUrl(), null, 1)) {
            DashboardUsers users = new DashboardUsers(database, Clock.systemUTC());
            assertThatThrownBy(() -> users.add(acme.siteId(), "not-an-email", "long enough password", DashboardUser.Role.AGENT))
                    .isInstanceOf(InvalidArgument.class).hasMessageContaining("email");
            assertThatThrownBy(() -> users.add(acme.siteId(), "short@example.com", "too short", DashboardUser.Role.AGENT))
                    .isInstanceOf(InvalidArgument.class).hasMessageContaining("at least 12");
            assertThatThrownBy(() -> users.add(acme.siteId(), login.email().toUpperCase(), "another long password",
                    DashboardUser.Role.AGENT)).isInstanceOf(Conflict.class);
        }
    }

    private Api.Response signIn(Api api) {
        Api.Response response = api.post("/parley/v1/dashboard/sign-in",
                "{\"email\": \"" + login.email() + "\", \"password\": \"" + login.password() + "\"}");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response;
    }

    private static String cookieOf(Api.Response signedIn) {
        return signedIn.header("Set-Cookie").split(";", 2)[0];
    }
}
