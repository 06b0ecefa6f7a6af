package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.events.Event;
import parley.events.EventType;

/**
 * Postback buttons: a press writes Button Interacted (wix-compatibility 5.2, D-8, D-20); a bad press writes nothing.
 */
class PressButtonTest {
    private final TestSite acme = Fixtures.acme();
    private final String visitor = UUID.randomUUID().toString();
    private final String conversation = acme.conversationOf("anonymousVisitorId", visitor);

    @Test
    void aPressWritesButtonInteractedForTheButtonsApp() {
        JsonNode card = sendCard(conversation, "BUSINESS_AND_PARTICIPANT");

        Api.Response pressed = press(conversation, card.get("id").asText(), "reschedule");

        assertThat(pressed.status()).as(pressed.raw()).isEqualTo(200);
        Event event = acme.events().getLast();
        assertThat(event.type()).isEqualTo(EventType.BUTTON_INTERACTED);
        assertThat(event.entityId()).isEqualTo(card.get("id").asText());
        assertThat(event.conversationId()).hasToString(conversation);
        JsonNode body = event.body();
        assertThat(body.get("conversationId").asText()).isEqualTo(conversation);
        assertThat(body.get("appId").asText()).isEqualTo(card.get("appId").asText());
        assertThat(body.get("interactionId").asText()).isEqualTo("reschedule");
        assertThat(body.get("interactedBy").get("anonymousVisitorId").asText()).isEqualTo(visitor);
        assertThat(event.identity().get("identityType").asText()).isEqualTo("APP");
    }

    @Test
    void badPressesAreRefusedAndWriteNothing() {
        String card = sendCard(conversation, "BUSINESS_AND_PARTICIPANT").get("id").asText();
        String note = sendCard(conversation, "BUSINESS").get("id").asText();
        String elsewhere = sendCard(acme.visitorConversation(), "BUSINESS_AND_PARTICIPANT").get("id").asText();
        int before = acme.events().size();

        assertRefused(press(conversation, card, "cancel"), 400, "interactionId");
        assertRefused(press(conversation, card, "  "), 400, "interactionId");
        assertRefused(press(conversation, note, "reschedule"), 400, "messageId");
        assertRefused(press(conversation, elsewhere, "reschedule"), 404, null);
        assertRefused(press(conversation, "999999999999", "reschedule"), 404, null);
        assertRefused(press(conversation, "not-a-number", "reschedule"), 404, null);
        assertRefused(press(UUID.randomUUID().toString(), card, "reschedule"), 404, null);
        assertRefused(Fixtures.site("Other").api().post(path(conversation, card),
                "{\"interactionId\": \"reschedule\"}"), 404, null);

        assertThat(acme.events()).hasSize(before);
    }

    private static void assertRefused(Api.Response response, int status, String field) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        if (field != null) {
            assertThat(response.raw()).contains("\"field\":\"" + field + "\"");
        }
    }

    private JsonNode sendCard(String conversationId, String visibility) {
        Api.Response sent = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "%s",
                 "content": {"template": {"title": "Your order", "buttons": [
                   {"label": "Track", "launchUrl": "https://shop.example.org/track"},
                   {"label": "Reschedule", "postbackProperties": {"interactionId": "reschedule"}}]}}}}
                """.formatted(conversationId, visibility));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        return sent.body().get("message");
    }

    private Api.Response press(String conversationId, String messageId, String interactionId) {
        return acme.api().post(path(conversationId, messageId), "{\"interactionId\": \"" + interactionId + "\"}");
    }

    private static String path(String conversationId, String messageId) {
        return "/parley/v1/conversations/" + conversationId + "/messages/" + messageId + "/interactions";
    }
}
