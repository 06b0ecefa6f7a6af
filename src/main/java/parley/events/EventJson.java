package parley.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import parley.web.Json;

/**
 * Events on the wire: the Wix domain event (wix-compatibility 5.1) as webhooks carry it, and as the pull API lists it.
 */
public final class EventJson {
    private EventJson() {
    }

    /**
     * The domain event, {@code data.data} of a webhook. Exactly one of the four bodies is set, as the type's
     * {@link EventType.Shape} says. Nullable: {@code originatedFrom}.
     */
    public record DomainEvent(String id, String entityFqdn, String slug, String entityId, Instant eventTime,
                              boolean triggeredByAnonymizeRequest, String originatedFrom, ActionEvent actionEvent,
                              CreatedEvent createdEvent, UpdatedEvent updatedEvent, DeletedEvent deletedEvent) {
    }

    public record ActionEvent(JsonNode body) {
    }

    public record CreatedEvent(JsonNode entity) {
    }

    public record UpdatedEvent(JsonNode currentEntity) {
    }

    public record DeletedEvent(JsonNode deletedEntity) {
    }

    record EventsRequest(Long after, Integer limit) {
    }

    /** {@code lastPosition} is where to continue from: the last event listed, or the request's own position. */
    record EventsPage(List<ObjectNode> events, long lastPosition, boolean hasMore) {
    }

    /** The stored body is the action's body, or the entity of an entity event (wix-compatibility 5.3). */
    public static DomainEvent domainEvent(Event event) {
        EventType.Shape shape = event.type().shape();
        JsonNode body = event.body();
        return new DomainEvent(event.id().toString(), event.type().entityFqdn(), event.type().slug(), event.entityId(),
                event.eventTime().truncatedTo(ChronoUnit.MILLIS), false, event.originatedFrom(),
                shape == EventType.Shape.ACTION ? new ActionEvent(body) : null,
                shape == EventType.Shape.CREATED ? new CreatedEvent(body) : null,
                shape == EventType.Shape.UPDATED ? new UpdatedEvent(body) : null,
                shape == EventType.Shape.DELETED ? new DeletedEvent(body) : null);
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
