package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.web.Json;

class SendMessageTest {
    private final TestSite acme = Fixtures.acme();
    private final String conversation = acme.visitorConversation();

    private JsonNode send(String message) {
        Api.Response response = acme.api().post("/inbox/v2/messages",
                "{\"conversationId\": \"" + conversation + "\", \"message\": " + message + "}");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body().get("message");
    }

    @Test
    void basicMessagesKeepTextImageAndFileItemsInOrder() {
        JsonNode message = send("""
                {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "BUSINESS_AND_PARTICIPANT",
                 "content": {"previewText": "Your order", "basic": {"items": [
                   {"text": "Here is your receipt"},
                   {"image": {"url": "https://cdn.example.org/cake.png", "width": 640, "height": 480}},
                   {"file": {"url": "https://cdn.example.org/receipt.pdf", "filename": "receipt.pdf",
                             "mimeType": "application/pdf"}}]}}}
                """);

        assertThat(message.at("/content/contentType").asText()).isEqualTo("BASIC");
        assertThat(message.at("/content/previewText").asText()).isEqualTo("Your order");
        assertThat(message.at("/content/basic/items/0/text").asText()).isEqualTo("Here is your receipt");
        assertThat(message.at("/content/basic/items/1/image/width").asInt()).isEqualTo(640);
        assertThat(message.at("/content/basic/items/2/file/filename").asText()).isEqualTo("receipt.pdf");
    }

    @Test
    void templatesKeepBothButtonKindsAndTheServerOwnsPostbacks() {
        JsonNode message = send("""
                {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "BUSINESS_AND_PARTICIPANT",
                 "content": {"template": {"title": "Order #1042 is ready", "imageUrl": "https://cdn.example.org/o.png",
                   "textLines": ["Pick-up is open until 18:00."], "orientation": "LANDSCAPE",
                   "buttons": [
                     {"label": "Directions", "launchUrl": "https://maps.example.org/acme"},
                     {"label": "Reschedule", "postbackProperties": {"interactionId": "reschedule", "appId": "forged"}}]}}}
                """);

        assertThat(message.at("/content/contentType").asText()).isEqualTo("TEMPLATE");
        assertThat(message.at("/content/template/orientation").asText()).isEqualTo("LANDSCAPE");
        assertThat(message.at("/content/template/buttons/0/launchUrl").asText()).isEqualTo("https://maps.example.org/acme");
        assertThat(message.at("/content/template/buttons/1/postbackProperties/interactionId").asText())
                .isEqualTo("reschedule");
        assertThat(message.at("/content/template/buttons/1/postbackProperties/appId").asText())
                .isEqualTo(message.get("appId").asText())
                .isNotEqualTo("forged");
    }

    @Test
    void templateOrientationDefaultsToPortrait() {
        JsonNode message = send("""
                {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "BUSINESS_AND_PARTICIPANT",
                 "content": {"template": {"title": "Hi", "buttons": [{"label": "Go", "launchUrl": "https://x.org"}]}}}
                """);

        assertThat(message.at("/content/template/orientation").asText()).isEqualTo("PORTRAIT");
    }

    @Test
    void minimalAndFormMessagesRoundTrip() {
        JsonNode minimal = send("""
                {"direction": "PARTICIPANT_TO_BUSINESS", "visibility": "BUSINESS",
                 "content": {"minimal": {"text": "Booked Spa Treatment", "iconUrl": "https://cdn.example.org/spa.svg",
                   "url": "https://acme.example.org/bookings/7"}}}
                """);
        JsonNode form = send("""
                {"direction": "PARTICIPANT_TO_BUSINESS", "visibility": "BUSINESS",
                 "content": {"form": {"title": "Contact us", "description": "From the footer",
                   "fields": [{"name": "Email", "value": "dana@example.org"}, {"name": "Note", "value": ""}],
                   "media": [{"image": {"url": "https://cdn.example.org/photo.jpg"}}]}}}
                """);

        assertThat(minimal.at("/content/contentType").asText()).isEqualTo("MINIMAL");
        assertThat(minimal.at("/content/minimal/url").asText()).isEqualTo("https://acme.example.org/bookings/7");
        assertThat(form.at("/content/contentType").asText()).isEqualTo("FORM");
        assertThat(form.at("/content/form/fields/0/value").asText()).isEqualTo("dana@example.org");
        assertThat(form.at("/content/form/media/0/image/url").asText()).isEqualTo("https://cdn.example.org/photo.jpg");
    }

    @Test
    void theServerSetsIdSequenceDateSenderAndAppIdIgnoringInput() {
        JsonNode message = send("""
                {"id": "1", "sequence": "1", "createdDate": "2001-01-01T00:00:00Z", "appId": "forged",
                 "sender": {"wixUserId": "forged"},
                 "direction": "BUSINESS_TO_PARTICIPANT", "visibility": "BUSINESS_AND_PARTICIPANT",
                 "content": {"contentType": "FORM", "basic": {"items": [{"text": "hello"}]}}}
                """);

        assertThat(message.get("id").asText()).matches("\\d{16}").isEqualTo(message.get("sequence").asText());
        assertThat(message.get("createdDate").asText()).startsWith("20").doesNotStartWith("2001");
        assertThat(message.at("/sender/appId").asText()).isEqualTo(message.get("appId").asText());
        assertThat(message.get("appId").asText()).isNotEqualTo("forged");
        assertThat(message.at("/sender/wixUserId").isMissingNode()).isTrue();
        assertThat(message.at("/content/contentType").asText()).isEqualTo("BASIC");
    }

    @Test
    void sendAsParticipantAttributesTheMessageToTheParticipant() {
        String contact = acme.createContact("Carla");
        String contactConversation = acme.conversationOf("contactId", contact);

        Api.Response response = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "sendAs": "PARTICIPANT", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS", "content": {"basic": {"items": [{"text": "from Facebook"}]}}}}
                """.formatted(contactConversation));

        assertThat(response.body().at("/message/sender").toString()).isEqualTo("{\"contactId\":\"" + contact + "\"}");
    }

    @Test
    void optionsBadgesAndChannelsAreStoredAndReturned() {
        Api.Response response = acme.api().post("/inbox/v2/messages", """
                {"conversation_id": "%s", "silent": true, "send_notifications": true,
                 "message": {"direction": "PARTICIPANT_TO_BUSINESS", "visibility": "BUSINESS",
                   "source_channel": "FACEBOOK", "source_channel_id": "fb-page-7", "target_channels": ["EMAIL"],
                   "target_channel_ids": ["mailbox-1", "a \\" b \\\\ c, {d}", "NULL"],
                   "badges": [{"text": "Facebook", "icon_url": "https://cdn.example.org/fb.svg",
                               "badge_visibility": "BUSINESS"}],
                   "content": {"basic": {"items": [{"text": "mirrored"}]}}}}
                """.formatted(conversation));
        JsonNode listed = acme.listAll(conversation, "BUSINESS").get(0);

        JsonNode message = response.body().get("message");
        assertThat(message.get("silent").asBoolean()).isTrue();
        assertThat(message.get("sourceChannel").asText()).isEqualTo("FACEBOOK");
        assertThat(message.get("sourceChannelId").asText()).isEqualTo("fb-page-7");
        assertThat(message.get("targetChannels").toString()).isEqualTo("[\"EMAIL\"]");
        assertThat(message.get("targetChannelIds").toString()) // quotes, backslashes and "NULL" survive storage
                .isEqualTo("[\"mailbox-1\",\"a \\\" b \\\\ c, {d}\",\"NULL\"]");
        assertThat(message.at("/badges/0").toString()).isEqualTo(
                "{\"text\":\"Facebook\",\"iconUrl\":\"https://cdn.example.org/fb.svg\",\"badgeVisibility\":\"BUSINESS\"}");
        assertThat(listed).isEqualTo(message);
    }

    @Test
    void emptyOptionalFieldsComeBackInTheWixShape() {
        JsonNode message = send("""
                {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "BUSINESS_AND_PARTICIPANT",
                 "content": {"basic": {"items": [{"text": "hi"}]}}}
                """);

        assertThat(Json.write(message.get("badges"))).isEqualTo("[]");
        assertThat(Json.write(message.get("targetChannels"))).isEqualTo("[]");
        assertThat(message.get("sourceChannel").asText()).isEqualTo("UNKNOWN_CHANNEL_TYPE");
    }
}
