package parley.conversations;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.idempotency.IdempotencyKey;
import parley.sites.Sites;
import parley.web.Requests;
import parley.web.Responses;
import parley.web.WixPaths;

/** {@code getOrCreateConversation} and {@code getConversation} on both Wix path families. */
public final class ConversationRoutes {
    private final Authentication authentication;
    private final Conversations conversations;
    private final Sites sites;

    public ConversationRoutes(Authentication authentication, Conversations conversations, Sites sites) {
        this.authentication = authentication;
        this.conversations = conversations;
        this.sites = sites;
    }

    public void register(JavalinConfig config) {
        for (String base : WixPaths.INBOX) {
            config.routes.post(base + "/conversations", this::getOrCreateConversation);
            config.routes.get(base + "/conversations/{conversationId}", this::getConversation);
        }
        config.routes.get("/parley/v1/conversations/{conversationId}/merges", this::merges);
    }

    private void getOrCreateConversation(Context ctx) {
        Caller caller = authentication.caller(ctx);
        var body = Requests.bodyTree(ctx);
        Participant participant = ConversationJson.participant(Requests.bind(body, ConversationJson.GetOrCreateRequest.class));
        var key = IdempotencyKey.from(ctx.header("Idempotency-Key"), body);
        GetOrCreateConversation.Result result = conversations.getOrCreate().getOrCreate(caller, participant, key);
        Responses.json(ctx, new ConversationJson.GetOrCreateResponse(
                ConversationJson.view(result.conversation(), businessName(caller)), result.newConversation()));
    }

    private void getConversation(Context ctx) {
        Caller caller = authentication.caller(ctx);
        Conversation conversation = conversations.get(caller.site(), ctx.pathParam("conversationId"));
        Responses.json(ctx, new ConversationJson.GetResponse(ConversationJson.view(conversation, businessName(caller))));
    }

    /** The merge ledger of a conversation (any of its ids, old or current). */
    private void merges(Context ctx) {
        Caller caller = authentication.caller(ctx);
        var entries = conversations.merge().ledger(caller.site(), ctx.pathParam("conversationId"));
        Responses.json(ctx, java.util.Map.of("merges", entries.stream().map(entry -> java.util.Map.of(
                "id", entry.mergeId().toString(),
                "targetConversationId", entry.targetConversationId().toString(),
                "oldConversationIds", entry.oldConversationIds().stream().map(Object::toString).toList(),
                "reason", entry.reason().name(),
                "requestedBy", entry.requestedBy(),
                "messagesMoved", entry.messagesMoved(),
                "mergedDate", entry.mergedAt().toString())).toList()));
    }

    private String businessName(Caller caller) {
        return sites.find(caller.site()).orElseThrow().displayName();
    }
}
