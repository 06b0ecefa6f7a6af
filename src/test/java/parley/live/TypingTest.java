package parley.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.TestParley;

/** Typing signals go through the streams both ways, only where they belong, and are never stored. */
class TypingTest {
    private final Fixtures.TestSite acme = Fixtures.acme();

    @Test
    void theBusinessSeesTheVisitorTypeAndTheVisitorSeesTheBusinessInItsOwnConversationOnly() throws Exception {
        Api.Response session = Api.anonymous(TestParley.baseUrl())
                .post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\"}");
        String token = session.text("/token");
        String conversation = session.text("/conversationId");
        String elsewhere = acme.visitorConversation();
        Api agent = DashboardLogin.agentOf(acme).signIn();
        String agentId = agent.get("/parley/v1/dashboard/me").text("/userId");
        long eventsBefore = acme.events().size();

        try (SseStream business = SseStream.open(TestParley.baseUrl() + "/parley/v1/events/stream", acme.apiKey(), null);
             SseStream participant = SseStream.open(TestParley.baseUrl() + "/parley/v1/widget/stream?token=" + token,
                     null, null)) {
            Api visitor = Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", token);
            assertThat(visitor.post("/parley/v1/widget/typing", "").status()).isEqualTo(204);
            SseStream.Received typed = business.take(1).getFirst();
            assertThat(typed.event()).isEqualTo("typing");
            assertThat(typed.id()).isEqualTo(-1);
            assertThat(typed.data().get("conversationId").asText()).isEqualTo(conversation);
            assertThat(typed.data().get("by").asText()).isEqualTo("PARTICIPANT");

            // The agent typing in another conversation reaches the business only; in the visitor's, both.
            assertThat(agent.post("/parley/v1/conversations/" + elsewhere + "/typing", "").status()).isEqualTo(204);
            assertThat(agent.post("/parley/v1/conversations/" + conversation + "/typing", "").status()).isEqualTo(204);
            assertThat(business.take(2)).extracting(r -> r.data().get("conversationId").asText())
                    .containsExactly(elsewhere, conversation);
            SseStream.Received seen = participant.take(1).getFirst();
            assertThat(seen.event()).isEqualTo("typing");
            assertThat(seen.data().get("conversationId").asText()).isEqualTo(conversation);
            assertThat(seen.data().get("by").asText()).isEqualTo("BUSINESS");
            assertThat(seen.data().get("userId").asText()).isEqualTo(agentId);

            // A message after the signals is the participant's next entry: nothing else was queued for it.
            acme.sendText(conversation, "hello", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
            assertThat(participant.take(1).getFirst().event()).isEqualTo("message");
        }
        assertThat(acme.events()).hasSize((int) eventsBefore + 1);
        assertThat(agent.post("/parley/v1/conversations/" + Fixtures.site("Other").visitorConversation() + "/typing", "")
                .status()).isEqualTo(404);
    }
}
