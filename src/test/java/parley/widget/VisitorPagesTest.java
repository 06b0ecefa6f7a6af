package parley.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestParley;

/** The pages a visitor opened the widget on, as the business's contact panel reads them. */
class VisitorPagesTest {
    private final TestSite acme = Fixtures.site("Page Bakery");
    private final Api anonymous = Api.anonymous(TestParley.baseUrl());

    @Test
    void eachPageIsKeptOnceWithoutItsFragmentAndOnlyTheNewestTwenty() {
        Api.Response first = session(null, "https://shop.example/cakes?size=large#access_token=secret", "Cakes");
        String token = first.text("/token");
        String conversation = first.text("/conversationId");
        session(token, "https://shop.example/pricing", "Pricing");
        session(token, "https://shop.example/cakes?size=large", "Cakes, large");

        assertThat(pages(acme.api(), conversation)).extracting(page -> page.get("url").asText() + " " + page.get("title").asText())
                .containsExactly("https://shop.example/cakes?size=large Cakes, large", "https://shop.example/pricing Pricing");

        for (int i = 0; i < VisitorPages.KEPT; i++) {
            session(token, "https://shop.example/page/" + i, null);
        }
        List<JsonNode> kept = pages(acme.api(), conversation);
        assertThat(kept).hasSize(VisitorPages.KEPT);
        assertThat(kept.getFirst().get("url").asText()).isEqualTo("https://shop.example/page/19");
        assertThat(kept.getFirst().has("title")).isFalse();
        assertThat(kept.getLast().get("url").asText()).isEqualTo("https://shop.example/page/0");
    }

    @Test
    void aBadPageIsRefusedAndStartsNoVisitor() {
        for (String page : new String[] {"{\"url\": \"javascript:alert(1)\"}", "{\"url\": \"/relative\"}",
                "{\"url\": \"https://shop.example/" + "a".repeat(Appearance.MAX_URL) + "\"}",
                "{\"url\": \"https://shop.example/\", \"title\": \"" + "t".repeat(VisitorPages.MAX_TITLE + 1) + "\"}"}) {
            Api.Response refused = anonymous.post("/parley/v1/widget/session",
                    "{\"siteId\": \"" + acme.id() + "\", \"page\": " + page + "}");
            assertThat(refused.status()).as(page).isEqualTo(400);
            assertThat(refused.text("/details/validationError/fieldViolations/0/field")).startsWith("page.");
        }
        assertThat(acme.api().get("/parley/v1/conversations").body().at("/conversations")).isEmpty();
    }

    @Test
    void onlyTheSitesBusinessReadsThemAndAMemberSeesThePagesOfTheirVisitors() {
        Api.Response visit = session(null, "https://shop.example/checkout", "Checkout");
        String conversation = visit.text("/conversationId");
        Api visitor = anonymous.withHeader("Authorization", visit.text("/token"));
        assertThat(visitor.get("/parley/v1/conversations/" + conversation + "/pages").status()).isEqualTo(403);
        assertThat(Fixtures.site("Another Bakery").api().get("/parley/v1/conversations/" + conversation + "/pages")
                .status()).isEqualTo(404);

        // The visitor signs in as a member: the member's conversation shows where they came from.
        String memberId = acme.createMember("Mia");
        String secret = acme.api().get("/parley/v1/widget/settings").text("/identitySecret");
        Api.Response signedIn = anonymous.post("/parley/v1/widget/session", """
                {"siteId": "%s", "token": "%s", "member": {"memberId": "%s", "signature": "%s"},
                 "page": {"url": "https://shop.example/account", "title": "Account"}}
                """.formatted(acme.id(), visit.text("/token"), memberId, MemberIdentity.sign(secret, memberId)));
        assertThat(signedIn.status()).as(signedIn.raw()).isEqualTo(200);
        assertThat(pages(acme.api(), signedIn.text("/conversationId"))).extracting(page -> page.get("url").asText())
                .containsExactly("https://shop.example/account", "https://shop.example/checkout");
    }

    private Api.Response session(String token, String url, String title) {
        Api.Response session = anonymous.post("/parley/v1/widget/session", """
                {"siteId": "%s", "token": %s, "page": {"url": "%s", "title": %s}}
                """.formatted(acme.id(), token == null ? "null" : "\"" + token + "\"", url,
                title == null ? "null" : "\"" + title + "\""));
        assertThat(session.status()).as(session.raw()).isEqualTo(200);
        return session;
    }

    private static List<JsonNode> pages(Api api, String conversation) {
        Api.Response pages = api.get("/parley/v1/conversations/" + conversation + "/pages");
        assertThat(pages.status()).as(pages.raw()).isEqualTo(200);
        List<JsonNode> list = new java.util.ArrayList<>();
        pages.body().get("pages").forEach(list::add);
        return list;
    }
}
