package parley.live;

import java.time.Duration;
import java.util.UUID;
import parley.auth.Caller;
import parley.conversations.ConversationId;
import parley.storage.Database;
import parley.web.Json;
import parley.web.RateLimit;

/**
 * Typing indicators (docs/api.md, "Typing"): ephemeral, never stored. A signal is a PostgreSQL notification on
 * {@link #CHANNEL}, so every node's streams hear it; a stream that is not connected at that moment never sees it,
 * which is right for something that means "now". The business's streams show the site's signals, a participant's
 * stream only the business typing in its own conversation.
 */
public final class Typing {
    public static final String CHANNEL = "parley_typing";
    /** One signal every 2 seconds per caller is plenty: clients send one while typing, every few seconds. */
    private final RateLimit perCaller = new RateLimit(30, Duration.ofMinutes(1), "TOO_MANY_TYPING_SIGNALS",
            "typing signals are limited to one every 2 seconds on average");
    private final Database database;

    public Typing(Database database) {
        this.database = database;
    }

    /** Who typed where: {@code by} is BUSINESS or PARTICIPANT; {@code userId} the dashboard user, if one. */
    public record Signal(UUID siteId, UUID conversationId, String by, UUID userId) {
    }

    public void send(Caller caller, ConversationId conversation) {
        perCaller.take(caller.principal());
        Signal signal = new Signal(caller.site().value(), conversation.value(),
                caller.identity() instanceof Caller.Visitor ? "PARTICIPANT" : "BUSINESS",
                caller.identity() instanceof Caller.Agent agent ? agent.userId() : null);
        database.read(handle -> handle.createQuery("SELECT pg_notify(:channel, :payload)")
                .bind("channel", CHANNEL)
                .bind("payload", Json.write(signal))
                .mapTo(String.class)
                .one());
    }

    static Signal parse(String payload) {
        return Json.readStored(payload, Signal.class);
    }
}
