package parley.conversations;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
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
        config.routes.get("/parley/v1/conversations", this::inbox);
        config.routes.post("/parley/v1/conversations/{conversationId}/read", this::markRead);
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

    /** The inbox list: {@code ?limit=} (1–100, default 50) and {@code ?cursor=} from the previous page. */
    private void inbox(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ConversationJson.InboxQuery query = Requests.query(ctx, ConversationJson.InboxQuery.class);
        InboxList.Page page = conversations.inbox().list(caller, Requests.limit(query.limit(), 50, 100), query.cursor());
        var items = page.entries().stream().map(ConversationJson::item).toList();
        Responses.json(ctx, new ConversationJson.InboxPage(items, new ConversationJson.PagingMetadata(items.size(),
                new ConversationJson.Cursors(page.nextCursor().orElse(null)))));
    }

    /** A dashboard user has read the conversation up to {@code readThrough} (a sequence), or all of it. */
    private void markRead(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ConversationJson.ReadRequest request = ctx.body().isBlank() ? new ConversationJson.ReadRequest(null)
                : Requests.body(ctx, ConversationJson.ReadRequest.class);
        Long readThrough;
        try {
            readThrough = request.readThrough() == null ? null : Long.valueOf(request.readThrough());
        } catch (NumberFormatException e) {
            throw InvalidArgument.of(new FieldViolation("readThrough", "must be a message sequence",
                    FieldViolation.Rule.FORMAT));
        }
        conversations.inbox().markRead(caller, ctx.pathParam("conversationId"), readThrough);
        ctx.status(204);
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
