package parley.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a site's log. {@code position} is dense and increasing per site; {@code body} is the
 * Wix {@code actionEvent.body} and {@code identity} who triggered it (wix-compatibility 5.1). Nullable:
 * {@code conversationId}, {@code originatedFrom}.
 */
public record Event(long position, UUID id, EventType type, String entityId, UUID conversationId,
                    Instant eventTime, String originatedFrom, JsonNode body, JsonNode identity) {
}
