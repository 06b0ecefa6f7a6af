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

    private String businessName(Caller caller) {
        return sites.find(caller.site()).orElseThrow().displayName();
    }
}
