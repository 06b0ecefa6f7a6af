package parley.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;

/** The search box over messages and contacts, and canned replies, over HTTP. */
class SearchAndRepliesTest {
    private final Fixtures.TestSite acme = Fixtures.acme();
    private final Api agent = DashboardLogin.agentOf(acme).signIn();

    @Test
    void messagesAreFoundByWordPrefixesWithMarkedSnippetsInternalNotesToo() {
        String conversation = acme.visitorConversation();
        acme.sendText(conversation, "I would like a refund for order 4417, the cake was <b>stale</b>",
                "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        acme.sendText(conversation, "Refunded by card, see ticket", "BUSINESS_TO_PARTICIPANT", "BUSINESS");
        Api.Response card = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"template": {"title": "Your refund",
                 "imageUrl": "https://example.com/refundimage.png", "textLines": ["processed today"]}}}}
                """.formatted(conversation));
        assertThat(card.status()).as(card.raw()).isEqualTo(200);
        Fixtures.TestSite other = Fixtures.site("Other");
        other.sendText(other.visitorConversation(), "refund elsewhere", "PARTICIPANT_TO_BUSINESS",
                "BUSINESS_AND_PARTICIPANT");

        JsonNode found = search("refu");
        assertThat(found.get("messages")).hasSize(3);
        JsonNode newest = found.get("messages").get(0);
        assertThat(newest.get("conversationId").asText()).isEqualTo(conversation);
        assertThat(snippet(newest)).isEqualTo("Your [refund] processed today");
        assertThat(snippet(found.get("messages").get(1))).isEqualTo("[Refunded] by card, see ticket");
        assertThat(found.get("messages").get(1).get("visibility").asText()).isEqualTo("BUSINESS");
        // The text is only ever shown escaped; PostgreSQL's headline leaves tag-like text out of the snippet.
        assertThat(snippet(found.get("messages").get(2))).contains("[refund] for order 4417").contains("stale");

        assertThat(search("refund 4417").get("messages")).hasSize(1);
        assertThat(search("refundimage").get("messages")).isEmpty(); // URLs are not words people wrote
        assertThat(search("&|!:*()").get("messages")).isEmpty();
        assertThat(agent.get("/parley/v1/search?q=" + "a".repeat(201)).status()).isEqualTo(400);
        assertThat(agent.get("/parley/v1/search?q=a+b+c+d+e+f+g+h+i").status()).isEqualTo(400);
    }

    @Test
    void contactsAreFoundByNameEmailAndPhonePrefixes() {
        Api.Response created = acme.api().post("/contacts/v4/contacts", """
                {"info": {"name": {"first": "Zelda", "last": "Quincey"}, "emails": {"items": [{"email": "zq@hyrule.example"}]},
                          "phones": {"items": [{"phone": "+1 555 0199"}]}, "company": "Hyrule Castle"}}
                """);
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String id = created.text("/contact/id");
        acme.createContact("Zeke");

        assertThat(contactIds("zel")).containsExactly(id);
        assertThat(contactIds("Zelda Quin")).containsExactly(id);
        assertThat(contactIds("zq@hyr")).containsExactly(id);
        assertThat(contactIds("hyrule")).containsExactly(id);
        assertThat(contactIds("ze")).hasSize(2);
        assertThat(contactIds("zelda smith")).isEmpty();
        JsonNode first = search("quincey").get("contacts").get(0);
        assertThat(first.get("name").asText()).isEqualTo("Zelda Quincey");
        assertThat(first.get("email").asText()).isEqualTo("zq@hyrule.example");
        assertThat(Fixtures.site("Other").api().get("/parley/v1/search?q=zelda").body().get("contacts")).isEmpty();
    }

    @Test
    void cannedRepliesAreListedByShortcutPrefix() {
        Api.Response hours = agent.post("/parley/v1/canned-replies", "{\"shortcut\": \"hours\", \"body\": \"We open 8-18.\"}");
        assertThat(hours.status()).as(hours.raw()).isEqualTo(201);
        assertThat(agent.post("/parley/v1/canned-replies", "{\"shortcut\": \"holiday\", \"body\": \"Closed Dec 25.\"}")
                .status()).isEqualTo(201);
        assertThat(agent.post("/parley/v1/canned-replies", "{\"shortcut\": \"thanks\", \"body\": \"Thank you!\"}")
                .status()).isEqualTo(201);
        assertThat(agent.post("/parley/v1/canned-replies", "{\"shortcut\": \"hours\", \"body\": \"again\"}").status())
                .isEqualTo(409);
        assertThat(agent.post("/parley/v1/canned-replies", "{\"shortcut\": \"Bad Shortcut\", \"body\": \"x\"}").status())
                .isEqualTo(400);
        assertThat(shortcuts("ho")).containsExactly("holiday", "hours");
        assertThat(shortcuts("")).containsExactly("holiday", "hours", "thanks");
        assertThat(agent.patch("/parley/v1/canned-replies/" + hours.text("/id"), "{\"body\": \"We open 9-17.\"}")
                .text("/body")).isEqualTo("We open 9-17.");
        assertThat(agent.delete("/parley/v1/canned-replies/" + hours.text("/id")).status()).isEqualTo(204);
        assertThat(shortcuts("h")).containsExactly("holiday");
        assertThat(Fixtures.site("Other").api().get("/parley/v1/canned-replies").body().get("cannedReplies")).isEmpty();
    }

    private java.util.List<String> shortcuts(String prefix) {
        return agent.get("/parley/v1/canned-replies?prefix=" + prefix).body().get("cannedReplies").findValuesAsText("shortcut");
    }

    private java.util.List<String> contactIds(String query) {
        return search(query).get("contacts").findValuesAsText("id");
    }

    private JsonNode search(String query) {
        Api.Response response = agent.get("/parley/v1/search?q=" + Api.encode(query));
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    /** The snippet with its matches in brackets. */
    private static String snippet(JsonNode message) {
        StringBuilder text = new StringBuilder();
        message.get("snippet").forEach(s -> text.append(s.get("match").asBoolean() ? "[" + s.get("text").asText() + "]"
                : s.get("text").asText()));
        return text.toString();
    }
}
