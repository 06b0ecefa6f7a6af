package parley.messages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.idempotency.IdempotencyKey;
import parley.messages.MessageJson.ListMessagesRequest;
import parley.web.Requests;
import parley.web.Responses;
import parley.web.WixPaths;

/**
 * {@code sendMessage} and {@code listMessages} on both Wix path families (wix-compatibility 11), and button presses:
 * the endpoints a chat-widget visitor's participant token may call, within its limits.
 */
public final class MessageRoutes {
    private final Authentication authentication;
    private final Messages messages;

    public MessageRoutes(Authentication authentication, Messages messages) {
        this.authentication = authentication;
        this.messages = messages;
    }

    public void register(JavalinConfig config) {
        for (String base : WixPaths.INBOX) {
            config.routes.post(base + "/messages", this::sendMessage);
            config.routes.get(base + "/messages", this::listMessages);
        }
        config.routes.post("/parley/v1/conversations/{conversationId}/messages/{messageId}/interactions",
                this::pressButton);
    }

    record InteractionRequest(String interactionId) {
    }

    private void pressButton(Context ctx) {
        Caller caller = authentication.appOrVisitor(ctx);
        InteractionRequest request = Requests.body(ctx, InteractionRequest.class);
        messages.press().press(caller, ctx.pathParam("conversationId"), ctx.pathParam("messageId"),
                request.interactionId());
        Responses.json(ctx, java.util.Map.of());
    }

    private void sendMessage(Context ctx) {
        Caller caller = authentication.appOrVisitor(ctx);
        ObjectNode body = LegacyShapes.translated(Requests.bodyTree(ctx));
        SendMessage.Command command = MessageChecks.check(Requests.bind(body, MessageJson.SendMessageRequest.class));
        var key = IdempotencyKey.from(ctx.header("Idempotency-Key"), body);
        Message message = messages.send().send(caller, command, key);
        Responses.json(ctx, new MessageJson.SendMessageResponse(MessageJson.view(message, messages.files())));
    }

    private void listMessages(Context ctx) {
        Caller caller = authentication.appOrVisitor(ctx);
        ListMessagesRequest request = Requests.query(ctx, ListMessagesRequest.class);
        MessageJson.Paging paging = request.paging() == null ? new MessageJson.Paging(null, null) : request.paging();
        MessageJson.Sorting sorting = request.sorting() == null ? new MessageJson.Sorting(null, null) : request.sorting();
        ListMessages.Page page = messages.list().list(caller, new ListMessages.Query(request.conversationId(),
                request.visibility(), paging.limit(), paging.cursor(), sorting.fieldName(), sorting.order()));
        boolean hasNext = page.nextCursor() != null;
        Responses.json(ctx, new MessageJson.ListMessagesResponse(
                page.messages().stream().map(m -> MessageJson.view(m, messages.files())).toList(),
                new MessageJson.PagingMetadata(page.messages().size(),
                        hasNext ? new MessageJson.Cursors(page.nextCursor()) : null, hasNext)));
    }
}
