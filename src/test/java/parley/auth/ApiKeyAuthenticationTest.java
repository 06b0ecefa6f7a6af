package parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestParley;

class ApiKeyAuthenticationTest {
    private final TestSite acme = Fixtures.acme();
    private final TestSite globex = Fixtures.site("Globex");

    @Test
    void requestsWithoutAKeyAre401() {
        Api.Response response = Api.anonymous(TestParley.baseUrl()).withHeader("wix-site-id", acme.id())
                .get("/inbox/v2/conversations/" + acme.visitorConversation());

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.text("/details/applicationError/code")).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void aWrongOrForgedKeyIs401() {
        String forged = acme.apiKey().substring(0, acme.apiKey().length() - 4) + "AAAA";
        for (String key : new String[] {"nonsense", forged}) {
            Api.Response response = Api.of(TestParley.baseUrl(), acme.id(), key)
                    .get("/inbox/v2/conversations/" + acme.visitorConversation());
            assertThat(response.status()).isEqualTo(401);
        }
    }

    @Test
    void aKeyUsedWithAnotherSitesIdIs403() {
        Api.Response response = Api.of(TestParley.baseUrl(), globex.id(), acme.apiKey())
                .get("/inbox/v2/conversations/" + acme.visitorConversation());

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.text("/details/applicationError/code")).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void bearerPrefixIsAcceptedToo() {
        Api bearer = Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", "Bearer " + acme.apiKey())
                .withHeader("wix-site-id", acme.id());

        assertThat(bearer.get("/inbox/v2/conversations/" + acme.visitorConversation()).status()).isEqualTo(200);
    }

    @Test
    void nothingOfOneSiteIsVisibleFromAnother() {
        String conversation = acme.visitorConversation();
        acme.sendText(conversation, "secret", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

        assertThat(globex.api().get("/inbox/v2/conversations/" + conversation).status()).isEqualTo(404);
        assertThat(globex.api().get("/inbox/v2/messages?conversationId=" + conversation + "&visibility=BUSINESS")
                .status()).isEqualTo(404);
        Api.Response send = globex.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "hi"}]}}}}
                """.formatted(conversation));
        assertThat(send.status()).isEqualTo(404);
        assertThat(acme.listAll(conversation, "BUSINESS")).hasSize(1);
        assertThat(globex.events()).isEmpty();
    }
}
