package parley.email;

import io.javalin.config.JavalinConfig;
import java.util.Map;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.conversations.Conversation;
import parley.conversations.Conversations;
import parley.storage.Database;
import parley.web.Responses;

/**
 * {@code GET /parley/v1/conversations/{id}/deliveries}: how the conversation's business messages went out by email
 * (queued, sent, failed with the reason), for the business; each change is also a {@code delivery_changed} event.
 */
public final class DeliveryRoutes {
    private final Authentication authentication;
    private final Conversations conversations;
    private final Database database;

    public DeliveryRoutes(Authentication authentication, Conversations conversations, Database database) {
        this.authentication = authentication;
        this.conversations = conversations;
        this.database = database;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/parley/v1/conversations/{conversationId}/deliveries", ctx -> {
            Caller caller = authentication.caller(ctx);
            Conversation conversation = conversations.get(caller.site(), ctx.pathParam("conversationId"));
            Responses.json(ctx, Map.of("deliveries", database.read(handle ->
                    MailOutbox.deliveries(handle, caller.site(), conversation.id().value()))));
        });
    }
}
