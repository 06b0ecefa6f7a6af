package parley.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;

/** The inbox list and read horizons, over HTTP, as the dashboard reads them. */
class InboxListTest {
    private final Fixtures.TestSite acme = Fixtures.acme();
    private final Api agent = DashboardLogin.agentOf(acme).signIn();

    @Test
    void conversationsComeByLastActivityWithTheirSummary() {
        String older = acme.visitorConversation();
        String carla = acme.createContact("Carla");
        String withContact = acme.conversationOf("contactId", carla);
        acme.sendText(older, "first", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        Api.Response badged = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "sourceChannel": "WHATSAPP",
                 "badges": [{"text": "via WhatsApp", "badgeVisibility": "BUSINESS"}],
                 "content": {"basic": {"items": [{"text": "hi from carla"}]}, "previewText": "Hi from Carla"}}}
                """.formatted(withContact));
        assertThat(badged.status()).as(badged.raw()).isEqualTo(200);

        List<JsonNode> listed = list(agent, 100);
        assertThat(listed).extracting(c -> c.get("id").asText()).containsExactly(withContact, older);
        JsonNode top = listed.getFirst();
        assertThat(top.at("/participantDisplayData/name").asText()).isEqualTo("Carla");
        assertThat(top.at("/participant/contactId").asText()).isEqualTo(carla);
        assertThat(top.get("previewText").asText()).isEqualTo("Hi from Carla");
        assertThat(top.get("channel").asText()).isEqualTo("WHATSAPP");
        assertThat(top.at("/badge/text").asText()).isEqualTo("via WhatsApp");
        assertThat(listed.get(1).at("/participantDisplayData/name").asText()).startsWith("Visitor #");
    }

    @Test
    void aSilentMessageChangesNeitherTheSummaryNorTheOrderNorTheCount() {
        String first = acme.visitorConversation();
        String second = acme.visitorConversation();
        acme.sendText(first, "loud", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        acme.sendText(second, "later", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        Api.Response silent = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "silent": true, "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "quiet"}]}}}}
                """.formatted(first));
        assertThat(silent.status()).as(silent.raw()).isEqualTo(200);

        List<JsonNode> listed = list(agent, 100);
        assertThat(listed).extracting(c -> c.get("id").asText()).containsExactly(second, first);
        assertThat(listed.get(1).get("previewText").asText()).isEqualTo("loud");
        assertThat(listed.get(1).get("unreadCount").asInt()).isEqualTo(1);
    }

    @Test
    void unreadCountsFollowEachAgentsReadHorizon() {
        String conversation = acme.visitorConversation();
        acme.sendText(conversation, "one", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        JsonNode two = acme.sendText(conversation, "two", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        acme.sendText(conversation, "our answer", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        assertThat(unread(agent, conversation)).isEqualTo(2); // the business's own messages do not count

        assertThat(agent.post("/parley/v1/conversations/" + conversation + "/read",
                "{\"readThrough\": \"" + two.get("sequence").asText() + "\"}").status()).isEqualTo(204);
        assertThat(unread(agent, conversation)).isZero();
        acme.sendText(conversation, "three", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        assertThat(unread(agent, conversation)).isEqualTo(1);

        Api colleague = DashboardLogin.agentOf(acme).signIn();
        assertThat(unread(colleague, conversation)).isEqualTo(3); // a horizon is each agent's own
        assertThat(colleague.post("/parley/v1/conversations/" + conversation + "/read", "").status()).isEqualTo(204);
        assertThat(unread(colleague, conversation)).isZero();
        assertThat(unread(agent, conversation)).isEqualTo(1);

        // Never backwards: an older horizon reported late (another tab) changes nothing.
        assertThat(colleague.post("/parley/v1/conversations/" + conversation + "/read",
                "{\"readThrough\": \"1\"}").status()).isEqualTo(204);
        assertThat(unread(colleague, conversation)).isZero();
    }

    @Test
    void readHorizonsAreForDashboardUsersAndCheckedLikeAnyWrite() {
        String conversation = acme.visitorConversation();
        acme.sendText(conversation, "hello", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        assertThat(acme.api().post("/parley/v1/conversations/" + conversation + "/read", "").status()).isEqualTo(403);
        assertThat(agent.post("/parley/v1/conversations/" + java.util.UUID.randomUUID() + "/read", "").status())
                .isEqualTo(404);
        Api.Response bad = agent.post("/parley/v1/conversations/" + conversation + "/read", "{\"readThrough\": \"soon\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw()).contains("readThrough");
        JsonNode forApps = acme.api().get("/parley/v1/conversations").body().at("/conversations/0");
        assertThat(forApps.get("id").asText()).isEqualTo(conversation);
        assertThat(forApps.has("unreadCount")).isFalse(); // an app has no read horizon
    }

    @Test
    void pagesFollowTheCursorWithoutGapsOrRepeats() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String conversation = acme.visitorConversation();
            acme.sendText(conversation, "m" + i, "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
            created.addFirst(conversation);
        }
        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = agent.get("/parley/v1/conversations?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            page.body().get("conversations").forEach(c -> paged.add(c.get("id").asText()));
            JsonNode next = page.body().at("/pagingMetadata/cursors/next");
            cursor = next.isMissingNode() || next.isNull() ? null : next.asText();
        } while (cursor != null);
        assertThat(paged).containsExactlyElementsOf(created);
        assertThat(agent.get("/parley/v1/conversations?limit=0").status()).isEqualTo(400);
        assertThat(agent.get("/parley/v1/conversations?cursor=garbage").status()).isEqualTo(400);
    }

    @Test
    void aMergedConversationIsListedOnlyAsItsTarget() {
        String visitor = java.util.UUID.randomUUID().toString();
        String visitorConversation = acme.conversationOf("anonymousVisitorId", visitor);
        acme.sendText(visitorConversation, "before linking", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        String contact = acme.createContact("Linda");
        Api.Response linked = acme.api().post("/parley/v1/identity/link",
                "{\"anonymousVisitorId\": \"" + visitor + "\", \"contactId\": \"" + contact + "\"}");
        assertThat(linked.status()).as(linked.raw()).isEqualTo(200);
        List<String> ids = list(agent, 100).stream().map(c -> c.get("id").asText()).toList();
        assertThat(ids).containsExactly(linked.text("/conversationId"));
    }

    private static List<JsonNode> list(Api api, int limit) {
        Api.Response response = api.get("/parley/v1/conversations?limit=" + limit);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        List<JsonNode> conversations = new ArrayList<>();
        response.body().get("conversations").forEach(conversations::add);
        return conversations;
    }

    private static int unread(Api api, String conversationId) {
        return list(api, 100).stream().filter(c -> c.get("id").asText().equals(conversationId)).findFirst()
                .map(c -> c.path("unreadCount").asInt(0)).orElseThrow();
    }
}
