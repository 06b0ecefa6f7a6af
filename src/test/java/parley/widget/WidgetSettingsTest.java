package parley.widget;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestParley;

/** The origins a site lets its widget run on, and members whose identity the site's backend signs. */
class WidgetSettingsTest {
    private static final String SHOP = "https://shop.example.com";
    private final TestSite acme = Fixtures.site("Embedding Bakery");
    private final Api anonymous = Api.anonymous(TestParley.baseUrl());

    @Test
    void onlyAllowedOriginsAndParleysOwnPagesMayUseTheWidget() {
        String session = "{\"siteId\": \"" + acme.id() + "\"}";
        Api.Response refused = anonymous.withHeader("Origin", SHOP).post("/parley/v1/widget/session", session);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.text("/details/applicationError/code")).isEqualTo("ORIGIN_NOT_ALLOWED");
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
        assertThat(acme.api().get("/parley/v1/conversations").body().get("conversations")).isEmpty(); // nothing created

        String ownOrigin = TestParley.baseUrl(); // the demo page
        assertThat(anonymous.withHeader("Origin", ownOrigin).post("/parley/v1/widget/session", session).status())
                .isEqualTo(200);

        Api.Response updated = acme.api().patch("/parley/v1/widget/settings",
                "{\"allowedOrigins\": [\"" + SHOP + "\", \"http://localhost:3000\"]}");
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        assertThat(updated.body().get("allowedOrigins")).hasSize(2);
        Api fromShop = anonymous.withHeader("Origin", SHOP);
        Api.Response allowed = fromShop.post("/parley/v1/widget/session", session);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(SHOP);

        // The token's requests are held to the same list.
        String token = allowed.text("/token");
        String conversation = allowed.text("/conversationId");
        String list = "/inbox/v2/messages?conversationId=" + conversation + "&visibility=BUSINESS_AND_PARTICIPANT";
        assertThat(fromShop.withHeader("Authorization", token).get(list).header("Access-Control-Allow-Origin"))
                .isEqualTo(SHOP);
        Api.Response elsewhere = anonymous.withHeader("Origin", "https://evil.example").withHeader("Authorization", token)
                .post("/inbox/v2/messages", """
                        {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                         "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "x"}]}}}}
                        """.formatted(conversation));
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(acme.listAllPages(conversation)).isEmpty();

        Api.Response preflight = anonymous.withHeader("Origin", SHOP).withHeader("Access-Control-Request-Method", "POST")
                .options("/inbox/v2/messages");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
    }

    @Test
    void settingsAreCheckedAndBelongToTheSitesBackend() {
        Api.Response bad = acme.api().patch("/parley/v1/widget/settings",
                "{\"allowedOrigins\": [\"https://ok.example\", \"https://shop.example.com/path\", \"javascript:alert(1)\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw()).contains("allowedOrigins[1]");
        assertThat(acme.api().get("/parley/v1/widget/settings").body().get("allowedOrigins")).isEmpty();
        assertThat(acme.api().patch("/parley/v1/widget/settings", "{}").status()).isEqualTo(400);

        Api agent = DashboardLogin.agentOf(acme).signIn();
        assertThat(agent.get("/parley/v1/widget/settings").status()).isEqualTo(403);
        String token = anonymous.post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\"}").text("/token");
        assertThat(anonymous.withHeader("Authorization", token).get("/parley/v1/widget/settings").status()).isEqualTo(403);
    }

    @Test
    void aSignedMemberContinuesTheMembersConversation() {
        String memberId = acme.createMember("Mia");
        String memberConversation = acme.conversationOf("memberId", memberId);
        acme.sendText(memberConversation, "Welcome back, Mia", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        String secret = acme.api().get("/parley/v1/widget/settings").text("/identitySecret");
        assertThat(secret).hasSize(64);

        Api.Response session = anonymous.post("/parley/v1/widget/session", """
                {"siteId": "%s", "member": {"memberId": "%s", "signature": "%s"}}
                """.formatted(acme.id(), memberId, MemberIdentity.sign(secret, memberId)));
        assertThat(session.status()).as(session.raw()).isEqualTo(200);
        assertThat(session.text("/conversationId")).isEqualTo(memberConversation);
        Api mia = anonymous.withHeader("Authorization", session.text("/token"));
        assertThat(mia.get("/inbox/v2/messages?conversationId=" + memberConversation
                + "&visibility=BUSINESS_AND_PARTICIPANT").raw()).contains("Welcome back, Mia");

        // A reload with the same token stays Mia; another member signing in on that browser gets a new visitor.
        Api.Response again = anonymous.post("/parley/v1/widget/session", """
                {"siteId": "%s", "token": "%s", "member": {"memberId": "%s", "signature": "%s"}}
                """.formatted(acme.id(), session.text("/token"), memberId, MemberIdentity.sign(secret, memberId)));
        assertThat(again.text("/anonymousVisitorId")).isEqualTo(session.text("/anonymousVisitorId"));
        String maxId = acme.createMember("Max");
        Api.Response max = anonymous.post("/parley/v1/widget/session", """
                {"siteId": "%s", "token": "%s", "member": {"memberId": "%s", "signature": "%s"}}
                """.formatted(acme.id(), session.text("/token"), maxId, MemberIdentity.sign(secret, maxId)));
        assertThat(max.status()).as(max.raw()).isEqualTo(200);
        assertThat(max.text("/anonymousVisitorId")).isNotEqualTo(session.text("/anonymousVisitorId"));
        assertThat(max.text("/conversationId")).isNotEqualTo(memberConversation);
        // ... and Mia's token, copied before, opens her conversation no more.
        assertThat(mia.get("/inbox/v2/messages?conversationId=" + memberConversation
                + "&visibility=BUSINESS_AND_PARTICIPANT").status()).isEqualTo(404);
        assertThat(mia.post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "hi"}]}}}}
                """.formatted(memberConversation)).status()).isEqualTo(404);

        // Mia signed out (the page names no member): her token does not open her conversation any more.
        Api.Response signedOut = anonymous.post("/parley/v1/widget/session",
                "{\"siteId\": \"" + acme.id() + "\", \"token\": \"" + session.text("/token") + "\"}");
        assertThat(signedOut.text("/anonymousVisitorId")).isNotEqualTo(session.text("/anonymousVisitorId"));
        assertThat(signedOut.text("/conversationId")).isNotEqualTo(memberConversation);
    }

    @Test
    void aMemberIdWithoutTheSitesSignatureIsRefused() {
        String memberId = acme.createMember("Mia");
        String secret = acme.api().get("/parley/v1/widget/settings").text("/identitySecret");
        for (String signature : new String[] {"", "00".repeat(32), MemberIdentity.sign("another secret", memberId),
                MemberIdentity.sign(secret, memberId + "x")}) {
            Api.Response refused = anonymous.post("/parley/v1/widget/session", """
                    {"siteId": "%s", "member": {"memberId": "%s", "signature": "%s"}}
                    """.formatted(acme.id(), memberId, signature));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.text("/details/applicationError/code")).isEqualTo("MEMBER_SIGNATURE_INVALID");
        }
        String unknown = UUID.randomUUID().toString();
        assertThat(anonymous.post("/parley/v1/widget/session", """
                {"siteId": "%s", "member": {"memberId": "%s", "signature": "%s"}}
                """.formatted(acme.id(), unknown, MemberIdentity.sign(secret, unknown))).status()).isEqualTo(404);
        assertThat(acme.api().get("/parley/v1/conversations").body().get("conversations")).isEmpty();
    }
}
