package parley.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import parley.web.Json;

/** Events on the wire: the Wix domain event (spec 5.1) as webhooks carry it, and as the pull API lists it. */
public final class EventJson {
    private EventJson() {
    }

    /** The domain event, {@code data.data} of a webhook. Nullable: {@code originatedFrom}. */
    public record DomainEvent(String id, String entityFqdn, String slug, String entityId, Instant eventTime,
                              boolean triggeredByAnonymizeRequest, String originatedFrom, ActionEvent actionEvent) {
    }

    public record ActionEvent(JsonNode body) {
    }

    record EventsRequest(Long after, Integer limit) {
    }

    /** {@code lastPosition} is where to continue from: the last event listed, or the request's own position. */
    record EventsPage(List<ObjectNode> events, long lastPosition, boolean hasMore) {
    }

    public static DomainEvent domainEvent(Event event) {
        return new DomainEvent(event.id().toString(), event.type().entityFqdn(), event.type().slug(), event.entityId(),
                event.eventTime().truncatedTo(ChronoUnit.MILLIS), false, event.originatedFrom(), new ActionEvent(event.body()));
    }

    /** One entry of the pull API: the domain event with its log position, webhook event type and identity. */
    public static ObjectNode listed(Event event) {
        ObjectNode listed = Json.MAPPER.createObjectNode();
        listed.put("position", event.position());
        listed.put("eventType", event.type().webhookEventType());
        if (event.conversationId() != null) {
            listed.put("conversationId", event.conversationId().toString());
        }
        listed.setAll((ObjectNode) Json.tree(domainEvent(event)));
        listed.set("identity", event.identity());
        return listed;
    }
}
