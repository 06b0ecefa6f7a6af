package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

/** wix-compatibility D-6: the v1 shapes Wix's Example Flows article still sends are accepted and translated. */
class LegacyShapesTest {
    private final TestSite acme = Fixtures.acme();
    private final String conversation = acme.visitorConversation();

    private JsonNode send(String body) {
        Api.Response response = acme.api().post("/inbox/v2/messages", body.formatted(conversation));
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body().get("message");
    }

    @Test
    void aTopLevelDirectionAndAV1MinimalPayloadAreTranslated() {
        JsonNode message = send("""
                {"conversationId": "%s", "direction": "PARTICIPANT_TO_BUSINESS",
                 "message": {"visibility": "BUSINESS",
                   "payload": {"type": "MINIMAL", "minimal": {"text": "Booked Spa Treatment"}}}}
                """);

        assertThat(message.get("direction").asText()).isEqualTo("PARTICIPANT_TO_BUSINESS");
        assertThat(message.at("/content/minimal/text").asText()).isEqualTo("Booked Spa Treatment");
    }

    @Test
    void v1PlainPayloadsAndEnumNamesBecomeV2() {
        JsonNode message = send("""
                {"conversationId": "%s", "direction": "VISITOR_TO_BUSINESS",
                 "message": {"visibility": "EVERYONE",
                   "payload": {"type": "PLAIN", "summary": "Hi there",
                     "plain": {"data": [{"type": "TEXT", "text": "Hi there"}]}}}}
                """);

        assertThat(message.get("direction").asText()).isEqualTo("PARTICIPANT_TO_BUSINESS");
        assertThat(message.get("visibility").asText()).isEqualTo("BUSINESS_AND_PARTICIPANT");
        assertThat(message.at("/content/previewText").asText()).isEqualTo("Hi there");
        assertThat(message.at("/content/basic/items/0/text").asText()).isEqualTo("Hi there");
    }

    @Test
    void v1TemplateButtonsBecomeLaunchUrlsAndPostbacks() {
        JsonNode message = send("""
                {"conversationId": "%s",
                 "message": {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "EVERYONE",
                   "payload": {"type": "TEMPLATE", "template": {"title": "Order", "iconUrl": "https://x.org/i.png",
                     "buttons": [{"type": "ACTION", "label": "Open", "url": "https://x.org/o"},
                                 {"type": "POSTBACK", "label": "Call me",
                                  "buttonPayload": {"appId": "forged", "interactionId": "call"}}]}}}}
                """);

        assertThat(message.at("/content/template/imageUrl").asText()).isEqualTo("https://x.org/i.png");
        assertThat(message.at("/content/template/buttons/0/launchUrl").asText()).isEqualTo("https://x.org/o");
        assertThat(message.at("/content/template/buttons/1/postbackProperties/interactionId").asText()).isEqualTo("call");
        assertThat(message.at("/content/template/buttons/1/postbackProperties/appId").asText())
                .isEqualTo(message.get("appId").asText());
    }

    @Test
    void aV2FieldWinsOverItsV1Twin() {
        JsonNode message = send("""
                {"conversationId": "%s", "direction": "BUSINESS_TO_PARTICIPANT",
                 "message": {"direction": "PARTICIPANT_TO_BUSINESS", "visibility": "BUSINESS",
                   "content": {"basic": {"items": [{"text": "v2"}]}},
                   "payload": {"type": "MINIMAL", "minimal": {"text": "v1"}}}}
                """);

        assertThat(message.get("direction").asText()).isEqualTo("PARTICIPANT_TO_BUSINESS");
        assertThat(message.at("/content/basic/items/0/text").asText()).isEqualTo("v2");
    }
}
