package parley.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.idempotency.Idempotency;
import parley.idempotency.IdempotencyKey;
import parley.sites.SiteId;
import parley.storage.Deferred;
import parley.web.Json;

/**
 * Get Or Create Conversation (wix-compatibility 3.1): the participant's one conversation, created on first use.
 * Any number of concurrent calls for a new participant create exactly one: the unique index on the
 * participant decides, and the losers read the winner's row.
 */
public final class GetOrCreateConversation {
    private final Idempotency idempotency;
    private final ConversationRepository conversations;
    private final ParticipantResolver resolver;
    private final Clock clock;

    GetOrCreateConversation(Idempotency idempotency, ConversationRepository conversations, ParticipantResolver resolver,
                            Clock clock) {
        this.idempotency = idempotency;
        this.conversations = conversations;
        this.resolver = resolver;
        this.clock = clock;
    }

    public record Result(Conversation conversation, boolean newConversation) {
    }

    /**
     * The conversation of the person behind {@code participant} as it is now (wix-compatibility D-4): a visitor who
     * became a contact gets the contact's conversation, a contact who became a member the member's.
     */
    public Result getOrCreate(Caller caller, Participant participant, Optional<IdempotencyKey> key) {
        return idempotency.inTransaction(caller, "getOrCreateConversation", key, new Idempotency.Work<>() {
            @Override
            public Result run(Handle handle, Deferred deferred) {
                ParticipantResolver.Resolved current = resolver.resolve(handle, caller.site(), participant);
                return getOrCreate(handle, caller.site(), current.participant(), current.contactId());
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

    /** Inside the caller's transaction, for an already resolved participant; {@code contactId} may be null. */
    public Result getOrCreate(Handle handle, SiteId site, Participant participant, UUID contactId) {
        Conversation fresh = new Conversation(new ConversationId(UUID.randomUUID()), participant, contactId,
                clock.instant());
        if (conversations.insertIfAbsent(handle, site, fresh)) {
            return new Result(fresh, true);
        }
        Conversation existing = conversations.findByParticipant(handle, site, participant).orElseThrow();
        return new Result(conversations.find(handle, site, existing.id()).orElseThrow(), false);
    }
}
