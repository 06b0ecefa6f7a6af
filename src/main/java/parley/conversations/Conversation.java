package parley.conversations;

import java.time.Instant;
import java.util.UUID;

/**
 * A conversation between a site and one participant. {@code contactId} is the participant's contact
 * when it is known and is not the participant id itself (wix-compatibility D-3); it may be null.
 */
public record Conversation(ConversationId id, Participant participant, UUID contactId, Instant createdAt) {
}
