package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.events.Event;
import parley.events.EventType;

/** Every stored message writes its event by direction in the same transaction (DESIGN.md 3, wix-compatibility D-21). */
class MessageEventsTest {
    private final TestSite acme = Fixtures.acme();
    private final String conversation = acme.visitorConversation();

    @Test
    void eachMessageWritesTheEventItsDirectionCallsFor() {
        JsonNode in = acme.sendText(conversation, "question", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        JsonNode out = acme.sendText(conversation, "answer", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");

        List<Event> events = acme.events();

        assertThat(events).extracting(Event::type)
                .containsExactly(EventType.MESSAGE_SENT_TO_BUSINESS, EventType.MESSAGE_SENT_TO_PARTICIPANT);
        assertThat(events).extracting(Event::position).containsExactly(1L, 2L);
        assertThat(events.get(0).entityId()).isEqualTo(in.get("id").asText());
        assertThat(events.get(0).body().get("conversationId").asText()).isEqualTo(conversation);
        assertThat(events.get(0).conversationId()).hasToString(conversation);
        assertThat(events.get(0).body().get("message")).isEqualTo(in);
        assertThat(events.get(1).body().get("message")).isEqualTo(out);
        assertThat(events.get(1).identity().get("identityType").asText()).isEqualTo("APP");
        assertThat(events.get(1).identity().get("appId").asText()).isEqualTo(out.get("appId").asText());
    }

    @Test
    void aRefusedMessageWritesNoEvent() {
        acme.api().post("/inbox/v2/messages", "{\"conversationId\": \"" + conversation
                + "\", \"message\": {\"direction\": \"BUSINESS_TO_PARTICIPANT\"}}");

        assertThat(acme.events()).isEmpty();
    }
}
