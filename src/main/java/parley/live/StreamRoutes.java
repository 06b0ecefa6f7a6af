package parley.live;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.conversations.Conversation;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.TooManyRequests;
import parley.events.Event;
import parley.events.EventJson;
import parley.events.EventLog;
import parley.events.EventType;
import parley.messages.Messages;
import parley.sites.SiteId;
import parley.web.Json;

/**
 * The live streams, as Server-Sent Events whose id is the log position of what they carry:
 * <ul>
 * <li>{@code GET /parley/v1/events/stream} (API key): every event of the caller's site, as the pull API
 * lists it;</li>
 * <li>{@code GET /parley/v1/widget/stream} (participant token, also as {@code ?token=}): the messages the
 * visitor's participant sees in its conversation, following merges.</li>
 * </ul>
 * A stream starts after {@code Last-Event-ID} (what a reconnecting EventSource sends), else after
 * {@code ?after=}, else at the present. It sends what its source has after that position, then waits for
 * its feed to say the log grew and sends what its source has after what it sent: the database decides
 * what a stream shows, so a client that comes back with the last id it saw gets exactly what it missed.
 * A comment line every {@code heartbeat} keeps proxies from closing an idle stream. Both streams also carry
 * {@link Typing} signals as {@code event: typing} (no id: they are not in the log and never replayed).
 */
public final class StreamRoutes {
    private static final int PAGE = 500;
    private static final Duration RETRY_STREAM = Duration.ofSeconds(5);

    private final Authentication authentication;
    private final EventLog events;
    private final Messages messages;
    private final Conversations conversations;
    private final LiveFeeds feeds;
    private final Typing typing;
    private final Duration heartbeat;
    private final int perVisitor;
    private final int perCredential;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /**
     * {@code perVisitor}, {@code perCredential}: how many streams one widget visitor (its tabs), and one API key
     * or dashboard user, may hold open at once on this node.
     */
    public StreamRoutes(Authentication authentication, EventLog events, Messages messages, Conversations conversations,
                        LiveFeeds feeds, Typing typing, Duration heartbeat, int perVisitor, int perCredential) {
        this.typing = typing;
        this.authentication = authentication;
        this.events = events;
        this.messages = messages;
        this.conversations = conversations;
        this.feeds = feeds;
        this.heartbeat = heartbeat;
        this.perVisitor = perVisitor;
        this.perCredential = perCredential;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/parley/v1/events/stream", this::businessStream);
        config.routes.get("/parley/v1/widget/stream", this::participantStream);
        config.routes.post("/parley/v1/conversations/{conversationId}/typing", ctx -> {
            Caller caller = authentication.caller(ctx);
            typing.send(caller, conversations.get(caller.site(), ctx.pathParam("conversationId")).id());
            ctx.status(204);
        });
        config.routes.post("/parley/v1/widget/typing", ctx -> {
            Caller caller = authentication.visitor(ctx);
            typing.send(caller, conversations.ofVisitor(caller.site(), (Caller.Visitor) caller.identity())
                    .orElseThrow(Conversations::notFound).id());
            ctx.status(204);
        });
    }

    /** A typing signal as streams send it: an {@code event: typing} without an id (it is not in the log). */
    record TypingView(String conversationId, String by, String userId) {
    }

    /** One entry of a stream: its log position and its JSON. */
    private record Entry(long position, String json) {
    }

    /** What a stream shows after a position, oldest first, at most {@code limit}. */
    private interface Source {
        List<Entry> after(long position, int limit);
    }

    private void businessStream(Context ctx) throws Exception {
        Caller caller = authentication.caller(ctx);
        SiteId site = caller.site();
        Source all = (position, limit) -> events.readAfter(site, position, limit).stream()
                .map(event -> new Entry(event.position(), Json.write(EventJson.listed(event)))).toList();
        open(ctx, caller, event -> true, signal -> true, all);
    }

    private void participantStream(Context ctx) throws Exception {
        Caller caller = authentication.visitor(ctx);
        SiteId site = caller.site();
        Caller.Visitor visitor = (Caller.Visitor) caller.identity();
        // The visitor's conversation as it is now; a merge moves it, so each read looks again.
        AtomicReference<ConversationId> current = new AtomicReference<>(currentConversation(site, visitor));
        Source seen = (position, limit) -> {
            ConversationId conversation = currentConversation(site, visitor);
            current.set(conversation);
            return conversation == null ? List.of() : messages.seenByParticipant(site, conversation, position, limit)
                    .stream().map(s -> new Entry(s.position(), messages.json(s))).toList();
        };
        Predicate<Event> ours = event -> event.type() == EventType.CONVERSATIONS_MERGED
                || current.get() != null && current.get().value().equals(event.conversationId());
        Predicate<Typing.Signal> businessInOurs = signal -> "BUSINESS".equals(signal.by())
                && current.get() != null && current.get().value().equals(signal.conversationId());
        open(ctx, caller, ours, businessInOurs, seen);
    }

    private ConversationId currentConversation(SiteId site, Caller.Visitor visitor) {
        return conversations.ofVisitor(site, visitor).map(Conversation::id).orElse(null);
    }

    private void open(Context ctx, Caller caller, Predicate<Event> wakesFor, Predicate<Typing.Signal> showsTyping,
                      Source source) throws Exception {
        SiteId site = caller.site();
        Long after = after(ctx);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw InvalidArgument.of(new FieldViolation("Accept", "a stream is asked for with Accept: text/event-stream",
                    FieldViolation.Rule.VALIDATION));
        }
        String holder = caller.principal();
        int limit = caller.identity() instanceof Caller.Visitor ? perVisitor : perCredential;
        if (open.merge(holder, 1, Integer::sum) > limit) {
            release(holder);
            throw new TooManyRequests("TOO_MANY_STREAMS", "at most " + limit + " streams may be open at once for "
                    + "this credential: close one first", RETRY_STREAM);
        }
        try {
            // Subscribe, then fix the start, both before the client sees the stream open: whatever commits
            // after the start wakes the subscription.
            Subscription subscription = feeds.subscribe(site, wakesFor, showsTyping);
            long start = after == null ? events.head(site) : after;
            // The stream runs on after this returns; it counts as open until it ends (follow).
            new SseHandler(client -> follow(client, site, subscription, start, source, holder)).handle(ctx);
        } catch (Exception e) {
            release(holder);
            throw e;
        }
    }

    private void release(String holder) {
        open.computeIfPresent(holder, (h, n) -> n == 1 ? null : n - 1);
    }

    /** Where to start: {@code Last-Event-ID}, else {@code after}; null for "from now on". */
    private static Long after(Context ctx) {
        String lastEventId = ctx.header("Last-Event-ID");
        String value = lastEventId != null && !lastEventId.isBlank() ? lastEventId : ctx.queryParam("after");
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long position = Long.parseLong(value.strip());
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidArgument.of(new FieldViolation(lastEventId != null ? "Last-Event-ID" : "after",
                "must be an event position (a whole number, 0 or more)", FieldViolation.Rule.FORMAT));
    }

    private void follow(SseClient client, SiteId site, Subscription subscription, long start, Source source,
                        String holder) {
        try {
            client.sendComment("connected");
            long cursor = catchUp(client, source, start);
            while (!client.terminated()) {
                // Streams opened together would send their heartbeats together: thousands of writes in
                // one instant, which every live delivery of that moment waits behind. Each wait is drawn
                // between half the heartbeat and the heartbeat.
                Duration wait = heartbeat.dividedBy(2).plusMillis(
                        ThreadLocalRandom.current().nextLong(Math.max(1, heartbeat.toMillis() / 2)));
                if (subscription.await(wait)) {
                    for (Typing.Signal signal : subscription.takeSignals()) {
                        client.sendEvent("typing", Json.write(new TypingView(signal.conversationId().toString(),
                                signal.by(), signal.userId() == null ? null : signal.userId().toString())), null);
                    }
                    cursor = catchUp(client, source, cursor);
                } else {
                    client.sendComment("heartbeat");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            feeds.unsubscribe(site, subscription);
            release(holder);
        }
    }

    /** Sends what the source has after {@code cursor}; returns the last position sent. */
    private static long catchUp(SseClient client, Source source, long cursor) {
        List<Entry> page;
        do {
            page = source.after(cursor, PAGE);
            for (Entry entry : page) {
                client.sendEvent("message", entry.json(), Long.toString(entry.position()));
                cursor = entry.position();
            }
        } while (page.size() == PAGE && !client.terminated());
        return cursor;
    }
}
