package parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Parley;
import parley.TestParley;

/** A webhook that keeps failing is turned off visibly, and turning it on again delivers what it missed. */
class DisableTest {
    @Test
    void aWebhookFailingLongerThanAllowedIsDisabledWithAReasonAndResumesWhenTurnedOn() throws Exception {
        Integer[] failing = new Integer[10_000];
        java.util.Arrays.fill(failing, 500);
        WebhookSettings quickToGiveUp = new WebhookSettings(Duration.ofSeconds(2), Duration.ofMillis(100),
                Duration.ofHours(48), Duration.ofMillis(500), Duration.ofMillis(50));
        try (Parley parley = Parley.start(TestParley.config(TestParley.freshDataDir(), 0).withWebhooks(quickToGiveUp),
                Clock.systemUTC());
             Receiver receiver = new Receiver(failing)) {
            Api admin = Api.anonymous("http://127.0.0.1:" + parley.port())
                    .withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN);
            JsonNode site = admin.post("/parley/v1/sites", "{\"displayName\": \"Flaky\"}").body();
            Api api = Api.of("http://127.0.0.1:" + parley.port(), site.at("/site/id").asText(),
                    site.get("apiKey").asText());
            String hook = "/parley/v1/webhooks/" + api.post("/parley/v1/webhooks",
                    "{\"url\": \"" + receiver.url() + "\"}").text("/webhook/id");
            String conversation = api.post("/inbox/v2/conversations",
                    "{\"participantId\": {\"anonymousVisitorId\": \"" + java.util.UUID.randomUUID() + "\"}}")
                    .text("/conversation/id");
            api.post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                     "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "hi"}]}}}}
                    """.formatted(conversation));

            JsonNode disabled = awaitStatus(api, hook, "DISABLED");
            assertThat(disabled.get("enabled").asBoolean()).isFalse();
            assertThat(disabled.get("disabledReason").asText()).contains("every delivery failed since");
            assertThat(disabled.get("failingSince").asText()).isNotEmpty();

            receiver.recover();
            JsonNode on = api.patch(hook, "{\"enabled\": true}").body().get("webhook");
            assertThat(on.get("status").asText()).isEqualTo("HEALTHY");
            assertThat(receiver.await(r -> r.size() == 1)).hasSize(1);
        }
    }

    private static JsonNode awaitStatus(Api api, String hook, String status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode webhook = api.get(hook).body().get("webhook");
        while (!webhook.get("status").asText().equals(status)) {
            assertThat(Instant.now()).as(webhook.toString()).isBefore(deadline);
            Thread.sleep(50);
            webhook = api.get(hook).body().get("webhook");
        }
        return webhook;
    }
}
