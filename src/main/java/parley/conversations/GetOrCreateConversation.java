package parley.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.idempotency.Idempotency;
import parley.idempotency.IdempotencyKey;
import parley.web.Json;

/**
 * Get Or Create Conversation (spec 3.1): the participant's one conversation, created on first use.
 * Any number of concurrent calls for a new participant create exactly one: the unique index on the
 * participant decides, and the losers read the winner's row.
 */
public final class GetOrCreateConversation {
    private final Idempotency idempotency;
    private final ConversationRepository conversations;
    private final Clock clock;

    GetOrCreateConversation(Idempotency idempotency, ConversationRepository conversations, Clock clock) {
        this.idempotency = idempotency;
        this.conversations = conversations;
        this.clock = clock;
    }

    public record Result(Conversation conversation, boolean newConversation) {
    }

    public Result getOrCreate(Caller caller, Participant participant, Optional<IdempotencyKey> key) {
        return idempotency.inTransaction(caller.site(), "getOrCreateConversation", key, new Idempotency.Work<>() {
            @Override
            public Result run(Handle handle) {
                Conversation fresh = new Conversation(new ConversationId(UUID.randomUUID()), participant,
                        null, clock.instant());
                if (conversations.insertIfAbsent(handle, caller.site(), fresh)) {
                    return new Result(fresh, true);
                }
                return new Result(conversations.findByParticipant(handle, caller.site(), participant).orElseThrow(),
                        false);
            }

            @Override
            public JsonNode remember(Result result) {
                return Json.MAPPER.createObjectNode()
                        .put("conversationId", result.conversation().id().toString())
                        .put("newConversation", result.newConversation());
            }

            @Override
            public Result recall(Handle handle, JsonNode remembered) {
                ConversationId id = new ConversationId(UUID.fromString(remembered.get("conversationId").asText()));
                return new Result(conversations.find(handle, caller.site(), id).orElseThrow(),
                        remembered.get("newConversation").asBoolean());
            }
        });
    }
}
