package parley;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import parley.events.Event;
import parley.sites.SiteId;

/**
 * The cast every test uses: a fresh site (acme) reached through its API key, and participants by kind
 * (visitor victor, contact carla, member mia), each with fresh ids so that tests never share data.
 */
public final class Fixtures {
    private Fixtures() {
    }

    /** A site of its own, with its API client. */
    public record TestSite(String id, String apiKey, Api api) {
        public SiteId siteId() {
            return new SiteId(UUID.fromString(id));
        }

        public List<Event> events() {
            return TestParley.get().events().readAfter(siteId(), 0, 10_000);
        }

        /** A new contact with a unique email; returns its id. */
        public String createContact(String first) {
            String email = first.toLowerCase().replaceAll("[^a-z]", "") + "." + UUID.randomUUID() + "@example.com";
            Api.Response response = api.post("/contacts/v4/contacts", """
                    {"info": {"name": {"first": "%s"}, "emails": {"items": [{"email": "%s"}]}}}
                    """.formatted(first, email));
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            return response.text("/contact/id");
        }

        /** Registers a new member for a new contact; returns the member id. */
        public String createMember(String first) {
            Api.Response response = api.post("/parley/v1/members",
                    "{\"contactId\": \"" + createContact(first) + "\"}");
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            return response.text("/member/id");
        }

        /** A new participant id of the given kind (contactId, memberId, anonymousVisitorId) that exists. */
        public String newParticipant(String kind) {
            return switch (kind) {
                case "contactId" -> createContact("Carla");
                case "memberId" -> createMember("Mia");
                default -> UUID.randomUUID().toString();
            };
        }

        /** A new anonymous visitor's conversation id. */
        public String visitorConversation() {
            return conversationOf("anonymousVisitorId", UUID.randomUUID().toString());
        }

        public String conversationOf(String kind, String participantId) {
            Api.Response response = api.post("/inbox/v2/conversations",
                    "{\"participantId\": {\"" + kind + "\": \"" + participantId + "\"}}");
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            return response.text("/conversation/id");
        }

        /** Sends a basic text message and returns the answered message. */
        public JsonNode sendText(String conversationId, String text, String direction, String visibility) {
            Api.Response response = api.post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "%s", "visibility": "%s",
                     "content": {"basic": {"items": [{"text": "%s"}]}}}}
                    """.formatted(conversationId, direction, visibility, text));
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            return response.body().get("message");
        }

        /** Every message of the conversation (all visibilities), oldest first, following cursors. */
        public List<JsonNode> listAllPages(String conversationId) {
            List<JsonNode> all = new java.util.ArrayList<>();
            String cursor = null;
            do {
                Api.Response response = api.get("/inbox/v2/messages?conversationId=" + conversationId
                        + "&visibility=BUSINESS&paging.limit=100&sorting.order=ASC"
                        + (cursor == null ? "" : "&paging.cursor=" + Api.encode(cursor)));
                assertThat(response.status()).as(response.raw()).isEqualTo(200);
                response.body().get("messages").forEach(all::add);
                JsonNode next = response.body().at("/pagingMetadata/cursors/next");
                cursor = next.isMissingNode() || next.isNull() ? null : next.asText();
            } while (cursor != null);
            return all;
        }

        public JsonNode listAll(String conversationId, String visibility) {
            Api.Response response = api.get("/inbox/v2/messages?conversationId=" + conversationId
                    + "&visibility=" + visibility + "&paging.limit=100&sorting.order=ASC");
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            return response.body().get("messages");
        }
    }

    public static TestSite acme() {
        return site("Acme Bakery");
    }

    public static TestSite site(String name) {
        Api.Response created = Api.anonymous(TestParley.baseUrl())
                .withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN)
                .post("/parley/v1/sites", "{\"displayName\": \"" + name + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        String id = created.text("/site/id");
        String key = created.text("/apiKey");
        return new TestSite(id, key, Api.of(TestParley.baseUrl(), id, key));
    }
}
