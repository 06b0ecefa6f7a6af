package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

/** Every rule of wix-compatibility 3.3 and D-13: a 400 naming the field, and nothing written. */
class SendMessageValidationTest {
    private static final String OK_CONTENT = "{\"basic\": {\"items\": [{\"text\": \"hi\"}]}}";

    private final TestSite acme = Fixtures.acme();
    private final String conversation = acme.visitorConversation();

    @AfterEach
    void nothingWasWritten() {
        assertThat(acme.listAll(conversation, "BUSINESS")).isEmpty();
        assertThat(acme.events()).isEmpty();
    }

    static Stream<Arguments> badMessages() {
        return Stream.of(
                bad("message.content", message("BUSINESS_TO_PARTICIPANT", "BUSINESS", null)),
                bad("message.content.system", message("{\"system\": {\"text\": \"Policy\"}}")),
                bad("message.content", message("{}")),
                bad("message.content", message("{\"basic\": {\"items\": [{\"text\": \"a\"}]}, "
                        + "\"minimal\": {\"text\": \"b\"}}")),
                bad("message.direction", message(null, "BUSINESS", OK_CONTENT)),
                bad("message.direction", message("UNKNOWN_DIRECTION", "BUSINESS", OK_CONTENT)),
                bad("message.direction", message("SIDEWAYS", "BUSINESS", OK_CONTENT)),
                bad("message.visibility", message("BUSINESS_TO_PARTICIPANT", null, OK_CONTENT)),
                bad("message.visibility", message("BUSINESS_TO_PARTICIPANT", "EVERYBODY", OK_CONTENT)),
                bad("message.badges", with("\"badges\": [{\"text\": \"a\"}, {\"text\": \"b\"}]")),
                bad("message.badges[0].text", with("\"badges\": [{\"iconUrl\": \"https://x.org/i.png\"}]")),
                bad("message.badges[0].iconUrl", with("\"badges\": [{\"text\": \"a\", \"iconUrl\": \"ftp://x.org/i\"}]")),
                bad("message.targetChannels", with("\"targetChannels\": [\"CHAT\", \"EMAIL\"]")),
                bad("message.targetChannels[0]", with("\"targetChannels\": [\"CARRIER_PIGEON\"]")),
                bad("message.targetChannelIds", with("\"targetChannelIds\": " + strings(101, "id"))),
                bad("message.targetChannelIds[0]", with("\"targetChannelIds\": [\"" + "x".repeat(101) + "\"]")),
                bad("message.sourceChannelId", with("\"sourceChannelId\": \"" + "x".repeat(101) + "\"")),
                bad("message.content.previewText", message("{\"previewText\": \"" + "x".repeat(501) + "\", "
                        + "\"basic\": {\"items\": [{\"text\": \"a\"}]}}")),
                bad("message.content.title", message("{\"title\": \"" + "x".repeat(257) + "\", "
                        + "\"basic\": {\"items\": [{\"text\": \"a\"}]}}")),
                bad("message.content.basic.items", message("{\"basic\": {\"items\": []}}")),
                bad("message.content.basic.items", message("{\"basic\": {\"items\": "
                        + repeat(51, "{\"text\": \"a\"}") + "}}")),
                bad("message.content.basic.items[0]", message("{\"basic\": {\"items\": [{\"text\": \"a\", "
                        + "\"image\": {\"url\": \"https://x.org/a.png\"}}]}}")),
                bad("message.content.basic.items[0].text", message("{\"basic\": {\"items\": [{\"text\": \"\"}]}}")),
                bad("message.content.basic.items[0].text", message("{\"basic\": {\"items\": [{\"text\": \""
                        + "x".repeat(20_001) + "\"}]}}")),
                bad("message.content.basic.items[0].text", message("{\"basic\": {\"items\": [{\"text\": 5}]}}")),
                bad("message.content.basic.items[0].image.url", message("{\"basic\": {\"items\": [{\"image\": {}}]}}")),
                bad("message.content.basic.items[0].image.url", message("{\"basic\": {\"items\": [{\"image\": "
                        + "{\"url\": \"javascript:alert(1)\"}}]}}")),
                bad("message.content.basic.items[0].file.url", message("{\"basic\": {\"items\": [{\"file\": "
                        + "{\"url\": \"https://x.org/" + "a".repeat(2_048) + "\"}}]}}")),
                bad("message.content.template.buttons", template("\"buttons\": " + repeat(11, button()))),
                bad("message.content.template.textLines", template("\"textLines\": " + strings(11, "line"))),
                bad("message.content.template.textLines[0]", template("\"textLines\": [\"" + "x".repeat(513) + "\"]")),
                bad("message.content.template.imageUrl", template("\"imageUrl\": \"data:image/png;base64,AAAA\"")),
                bad("message.content.template.buttons[0].label", template("\"buttons\": [{\"launchUrl\": \"https://x.org\"}]")),
                bad("message.content.template.buttons[0].label", template("\"buttons\": [{\"label\": \""
                        + "x".repeat(101) + "\", \"launchUrl\": \"https://x.org\"}]")),
                bad("message.content.template.buttons[0]", template("\"buttons\": [{\"label\": \"Go\"}]")),
                bad("message.content.template.buttons[0].launchUrl", template("\"buttons\": [{\"label\": \"Go\", "
                        + "\"launchUrl\": \"/relative\"}]")),
                bad("message.content.template.buttons[0].postbackProperties.interactionId",
                        template("\"buttons\": [{\"label\": \"Go\", \"postbackProperties\": {}}]")),
                bad("message.content.template.buttons[0].postbackProperties.interactionId",
                        template("\"buttons\": [{\"label\": \"Go\", \"postbackProperties\": {\"interactionId\": \""
                                + "x".repeat(257) + "\"}}]")),
                bad("message.content.template.orientation", template("\"orientation\": \"DIAGONAL\"")),
                bad("message.content.minimal.text", message("{\"minimal\": {\"iconUrl\": \"https://x.org/i.svg\"}}")),
                bad("message.content.minimal.text", message("{\"minimal\": {\"text\": \"" + "x".repeat(501) + "\"}}")),
                bad("message.content.minimal.url", message("{\"minimal\": {\"text\": \"a\", \"url\": \"javascript:x\"}}")),
                bad("message.content.form.fields[0].value", form("\"fields\": [{\"name\": \"Email\"}]")),
                bad("message.content.form.fields[0].name", form("\"fields\": [{\"value\": \"x\"}]")),
                bad("message.content.form.fields[0].value", form("\"fields\": [{\"name\": \"a\", \"value\": \""
                        + "x".repeat(5_001) + "\"}]")),
                bad("message.content.form.fields", form("\"fields\": " + repeat(101, "{\"name\": \"a\", \"value\": \"b\"}"))),
                bad("message.content.form.media", form("\"media\": " + repeat(11, "{\"image\": {\"url\": \"https://x.org/a.png\"}}"))),
                bad("message.content.form.media[0]", form("\"media\": [{\"image\": {\"url\": \"https://x.org/a.png\"}, "
                        + "\"file\": {\"url\": \"https://x.org/a.pdf\"}}]")),
                bad("message.content", message("BUSINESS_TO_PARTICIPANT", "BUSINESS", "\"text\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badMessages")
    void refusedWith400NamingTheField(String field, String message) {
        Api.Response response = acme.api().post("/inbox/v2/messages",
                "{\"conversationId\": \"" + conversation + "\", \"message\": " + message + "}");

        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(fields(response)).as(response.raw()).contains(field);
    }

    @Test
    void anErrorListsTheFirstTwentyViolationsOfAHundredThousand() {
        Api.Response session = Api.anonymous(parley.TestParley.baseUrl()).post("/parley/v1/widget/session",
                "{\"siteId\": \"" + acme.id() + "\"}");
        Api visitor = Api.anonymous(parley.TestParley.baseUrl()).withHeader("Authorization", session.text("/token"));
        String items = String.join(",", java.util.Collections.nCopies(70_000, "{\"text\": \"\"}"));

        Api.Response response = visitor.post("/inbox/v2/messages", "{\"conversationId\": \""
                + session.text("/conversationId") + "\", \"message\": " + message("PARTICIPANT_TO_BUSINESS",
                "BUSINESS_AND_PARTICIPANT", "{\"basic\": {\"items\": [" + items + "]}}") + "}");

        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        assertThat(response.body().at("/details/validationError/fieldViolations")).hasSize(20);
        assertThat(response.body().get("message").asText()).endsWith("; and 69981 more");
        assertThat(response.raw().length()).isLessThan(8_000);
    }

    @Test
    void systemMessagesAreRefusedWith400() {
        Api.Response response = acme.api().post("/inbox/v2/messages", "{\"conversationId\": \"" + conversation
                + "\", \"message\": " + message("{\"system\": {\"text\": \"Policy\"}}") + "}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/details/validationError/fieldViolations/0/description").asText())
                .isEqualTo("system messages cannot be sent through the API");
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        Api.Response response = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"visibility": "BUSINESS",
                 "badges": [{"text": "a"}, {"text": "b"}],
                 "content": {"template": {"buttons": [{"label": "Go"}]}}}}
                """.formatted(conversation));

        assertThat(fields(response)).containsExactly("message.direction", "message.badges",
                "message.content.template.buttons[0]");
    }

    @Test
    void missingConversationIdMessageOrBusinessUserAreRefused() {
        assertThat(fields(acme.api().post("/inbox/v2/messages", "{\"message\": " + message(OK_CONTENT) + "}")))
                .containsExactly("conversationId");
        assertThat(fields(acme.api().post("/inbox/v2/messages", "{\"conversationId\": \"" + conversation + "\"}")))
                .containsExactly("message");
        assertThat(fields(acme.api().post("/inbox/v2/messages", "{\"conversationId\": \"" + conversation
                + "\", \"sendAs\": \"BUSINESS_USER\", \"message\": " + message(OK_CONTENT) + "}")))
                .containsExactly("sendAs");
    }

    @Test
    void malformedJsonIs400AndNeverA500() {
        for (String body : List.of("{\"conversationId\": ", "[1, 2]", "\"text\"", "{} {}", "nul")) {
            Api.Response response = acme.api().post("/inbox/v2/messages", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.text("/details/applicationError/code")).isEqualTo("MALFORMED_JSON");
        }
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String huge = "x".repeat(1_100_000);
        Api.Response response = acme.api().post("/inbox/v2/messages", "{\"conversationId\": \"" + conversation
                + "\", \"message\": " + message("{\"basic\": {\"items\": [{\"text\": \"" + huge + "\"}]}}") + "}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.text("/details/applicationError/code")).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void anUnknownConversationIs404() {
        Api.Response response = acme.api().post("/inbox/v2/messages", "{\"conversationId\": \""
                + java.util.UUID.randomUUID() + "\", \"message\": " + message(OK_CONTENT) + "}");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text("/details/applicationError/code")).isEqualTo("CONVERSATION_NOT_FOUND");
    }

    // ---- building bad messages

    private static Arguments bad(String field, String message) {
        return Arguments.of(field, message);
    }

    private static String message(String content) {
        return message("BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT", content);
    }

    private static String message(String direction, String visibility, String content) {
        StringBuilder json = new StringBuilder("{\"_\": 0");
        if (direction != null) {
            json.append(", \"direction\": \"").append(direction).append('"');
        }
        if (visibility != null) {
            json.append(", \"visibility\": \"").append(visibility).append('"');
        }
        if (content != null) {
            json.append(", \"content\": ").append(content);
        }
        return json.append('}').toString();
    }

    private static String with(String extraField) {
        return "{\"direction\": \"BUSINESS_TO_PARTICIPANT\", \"visibility\": \"BUSINESS\", \"content\": "
                + OK_CONTENT + ", " + extraField + "}";
    }

    private static String template(String fields) {
        return message("{\"template\": {\"title\": \"Card\", " + fields + "}}");
    }

    private static String form(String fields) {
        return message("{\"form\": {\"title\": \"Form\", " + fields + "}}");
    }

    private static String button() {
        return "{\"label\": \"Go\", \"launchUrl\": \"https://x.org\"}";
    }

    private static String repeat(int times, String element) {
        return "[" + String.join(", ", Collections.nCopies(times, element)) + "]";
    }

    private static String strings(int times, String value) {
        return repeat(times, "\"" + value + "\"");
    }

    private static List<String> fields(Api.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(400);
        return response.body().at("/details/validationError/fieldViolations").valueStream()
                .map(v -> v.get("field").asText()).toList();
    }
}
