package parley.email;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.stream.Stream;
import parley.channels.ChannelOutbox;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.conversations.Conversation;
import parley.conversations.Conversations;
import parley.errors.NotFound;
import parley.storage.Database;
import parley.web.PathIds;
import parley.web.Responses;

/**
 * What the business sees of a conversation's mail: {@code GET /parley/v1/conversations/{id}/deliveries}, how its
 * business messages went out by email (queued, sent, failed with the reason; each change is also a
 * {@code delivery_changed} event), and {@code …/messages/{id}/original}, a customer's mail as it arrived.
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
            // By email and to custom channels' connectors (docs/channels.md, "Replies"), in message order.
            Responses.json(ctx, Map.of("deliveries", database.read(handle -> Stream.concat(
                    MailOutbox.deliveries(handle, caller.site(), conversation.id().value()).stream()
                            .map(d -> Map.entry(Long.parseLong(d.messageId()), (Object) d)),
                    ChannelOutbox.deliveries(handle, caller.site(), conversation.id().value()).stream()
                            .map(d -> Map.entry(Long.parseLong(d.messageId()), (Object) d)))
                    .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList())));
        });
        config.routes.get("/parley/v1/conversations/{conversationId}/messages/{messageId}/original", this::original);
    }

    /**
     * The full original of a mail a customer sent, as text, for the business (docs/email.md, "The original"). Shown,
     * never rendered: plain text, no sniffing, a sandbox that runs nothing.
     */
    private void original(Context ctx) {
        Caller caller = authentication.caller(ctx);
        Conversation conversation = conversations.get(caller.site(), ctx.pathParam("conversationId"));
        long sequence = PathIds.sequence(ctx.pathParam("messageId")).orElseThrow(DeliveryRoutes::noOriginal);
        byte[] original = database.read(handle -> handle.createQuery("""
                        SELECT e.original FROM email_messages e
                        JOIN messages m ON m.site_id = e.site_id AND m.sequence = e.sequence
                        WHERE e.site_id = :site AND e.sequence = :sequence AND NOT e.outgoing
                          AND m.conversation_id = :conversation AND e.original IS NOT NULL
                        """)
                .bind("site", caller.site().value())
                .bind("sequence", sequence)
                .bind("conversation", conversation.id().value())
                .mapTo(byte[].class)
                .findOne())
                .orElseThrow(DeliveryRoutes::noOriginal);
        ctx.header("Content-Security-Policy", "default-src 'none'; sandbox")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Disposition", "inline; filename=\"message-" + sequence + ".eml\"")
                .header("Cache-Control", "private, no-store")
                .contentType("text/plain; charset=utf-8")
                .result(original);
    }

    private static NotFound noOriginal() {
        return new NotFound("ORIGINAL_NOT_FOUND", "no mail of a customer's is kept for this message");
    }
}
