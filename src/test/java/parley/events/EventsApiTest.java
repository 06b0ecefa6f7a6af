package parley.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

/** The pull API: a site's events in log order from any position, as Wix domain events (wix-compatibility 5.1). */
class EventsApiTest {
    private final TestSite acme = Fixtures.acme();

    @Test
    void pagesThroughTheLogFromAnyPosition() {
        String conversation = acme.visitorConversation();
        for (int i = 1; i <= 5; i++) {
            acme.sendText(conversation, "m" + i, "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        }

        JsonNode first = events("?limit=2");
        assertThat(positions(first)).containsExactly(1L, 2L);
        assertThat(first.get("lastPosition").asLong()).isEqualTo(2);
        assertThat(first.get("hasMore").asBoolean()).isTrue();
        JsonNode rest = events("?after=2&limit=10");
        assertThat(positions(rest)).containsExactly(3L, 4L, 5L);
        assertThat(rest.get("hasMore").asBoolean()).isFalse();
        JsonNode caughtUp = events("?after=5");
        assertThat(caughtUp.get("events")).isEmpty();
        assertThat(caughtUp.get("lastPosition").asLong()).isEqualTo(5);
    }

    @Test
    void eachEntryIsTheWixDomainEventWithItsPositionTypeAndIdentity() {
        String conversation = acme.visitorConversation();
        JsonNode message = acme.sendText(conversation, "hello", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

        JsonNode event = events("").get("events").get(0);

        assertThat(event.get("position").asLong()).isEqualTo(1);
        assertThat(event.get("eventType").asText()).isEqualTo("wix.crm.inbox.v2.message_message_sent_to_business");
        assertThat(event.get("id").asText()).hasSize(36);
        assertThat(event.get("entityFqdn").asText()).isEqualTo("wix.crm.inbox.v2.message");
        assertThat(event.get("slug").asText()).isEqualTo("message_sent_to_business");
        assertThat(event.get("entityId").asText()).isEqualTo(message.get("id").asText());
        assertThat(event.get("eventTime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(event.get("triggeredByAnonymizeRequest").asBoolean()).isFalse();
        assertThat(event.has("originatedFrom")).isFalse();
        assertThat(event.get("conversationId").asText()).isEqualTo(conversation);
        assertThat(event.at("/actionEvent/body/message")).isEqualTo(message);
        assertThat(event.at("/identity/identityType").asText()).isEqualTo("APP");
    }

    @Test
    void aContactMergedAwayIsDeletedWithOriginatedFromMerge() {
        String target = acme.createContact("Ann");
        String source = acme.createContact("Anne");
        Api.Response merged = acme.api().post("/contacts/v4/contacts/" + target + "/merge",
                "{\"targetContactRevision\": 1, \"sourceContactIds\": [\"" + source + "\"]}");
        assertThat(merged.status()).as(merged.raw()).isEqualTo(200);

        List<JsonNode> deleted = new ArrayList<>();
        events("").get("events").forEach(e -> {
            if (e.get("slug").asText().equals("deleted")) {
                deleted.add(e);
            }
        });

        assertThat(deleted).hasSize(1);
        assertThat(deleted.getFirst().get("entityId").asText()).isEqualTo(source);
        assertThat(deleted.getFirst().get("originatedFrom").asText()).isEqualTo("merge");
        assertThat(deleted.getFirst().at("/deletedEvent/deletedEntity/id").asText()).isEqualTo(source);
    }

    @Test
    void contactChangesAreEntityEventsAndAMergeIsAnActionEvent() {
        String id = acme.createContact("Ann");
        Api.Response updated = acme.api().patch("/contacts/v4/contacts/" + id,
                "{\"revision\": 1, \"info\": {\"name\": {\"first\": \"Anna\"}}}");
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        String source = acme.createContact("Anne");
        acme.api().post("/contacts/v4/contacts/" + id + "/merge",
                "{\"targetContactRevision\": 2, \"sourceContactIds\": [\"" + source + "\"]}");
        acme.api().delete("/contacts/v4/contacts/" + id);

        List<JsonNode> events = new ArrayList<>();
        events("").get("events").forEach(events::add);

        assertThat(events).extracting(e -> e.get("eventType").asText()).containsExactly(
                "wix.contacts.v4.contact_created", "wix.contacts.v4.contact_updated", "wix.contacts.v4.contact_created",
                "wix.contacts.v4.contact_deleted", "wix.contacts.v4.contact_merged", "wix.contacts.v4.contact_deleted");
        assertThat(events.get(0).at("/createdEvent/entity/id").asText()).isEqualTo(id);
        assertThat(events.get(1).at("/updatedEvent/currentEntity/info/name/first").asText()).isEqualTo("Anna");
        assertThat(events.get(1).at("/updatedEvent/currentEntity/revision").asInt()).isEqualTo(2);
        assertThat(events.get(4).at("/actionEvent/body/targetContactId").asText()).isEqualTo(id);
        assertThat(events.get(4).at("/actionEvent/body/sourceContactIds/0").asText()).isEqualTo(source);
        assertThat(events.get(5).at("/deletedEvent/deletedEntity/id").asText()).isEqualTo(id);
        for (JsonNode event : events) {
            assertThat(List.of("actionEvent", "createdEvent", "updatedEvent", "deletedEvent"))
                    .as(event.toString()).filteredOn(event::has).hasSize(1);
        }
    }

    @Test
    void aSiteSeesOnlyItsOwnEvents() {
        acme.sendText(acme.visitorConversation(), "mine", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

        assertThat(Fixtures.site("Other").api().get("/parley/v1/events").body().get("events")).isEmpty();
    }

    @Test
    void badPositionsAndLimitsAre400s() {
        for (String query : List.of("?limit=0", "?limit=1001", "?after=-1", "?after=abc")) {
            Api.Response response = acme.api().get("/parley/v1/events" + query);
            assertThat(response.status()).as(query + " " + response.raw()).isEqualTo(400);
            assertThat(response.body().at("/details/validationError/fieldViolations/0/field").asText())
                    .as(response.raw()).isIn("limit", "after");
        }
    }

    private JsonNode events(String query) {
        Api.Response response = acme.api().get("/parley/v1/events" + query);
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private static List<Long> positions(JsonNode page) {
        List<Long> positions = new ArrayList<>();
        page.get("events").forEach(e -> positions.add(e.get("position").asLong()));
        return positions;
    }
}
