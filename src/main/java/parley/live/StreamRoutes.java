package parley.live;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Duration;
import java.util.List;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.events.Event;
import parley.events.EventJson;
import parley.events.EventLog;
import parley.sites.SiteId;
import parley.web.Json;

/**
 * {@code GET /parley/v1/events/stream}: the caller's site's events as Server-Sent Events, each with its
 * log position as the SSE id and the pull API's JSON as data. It starts after {@code Last-Event-ID}
 * (what a reconnecting EventSource sends), else after {@code ?after=}, else at the present; a client
 * that comes back with the last id it saw receives exactly what it missed, however long it was away.
 * A comment line every {@code heartbeat} keeps proxies from closing an idle stream.
 */
public final class StreamRoutes {
    private static final int PAGE = 500;

    private final Authentication authentication;
    private final EventLog events;
    private final LiveFeeds feeds;
    private final Duration heartbeat;

    public StreamRoutes(Authentication authentication, EventLog events, LiveFeeds feeds, Duration heartbeat) {
        this.authentication = authentication;
        this.events = events;
        this.feeds = feeds;
        this.heartbeat = heartbeat;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/parley/v1/events/stream", this::stream);
    }

    private void stream(Context ctx) throws Exception {
        Caller caller = authentication.caller(ctx);
        Long after = after(ctx);
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw InvalidArgument.of(new FieldViolation("Accept", "a stream is asked for with Accept: text/event-stream",
                    FieldViolation.Rule.VALIDATION));
        }
        // Subscribe, then fix the start, both before the client sees the stream open: whatever commits
        // after that is in the subscription, and what the catch-up sends is skipped there by position.
        SiteId site = caller.site();
        Subscription subscription = feeds.subscribe(site, event -> true);
        long start = after == null ? events.head(site) : after;
        new SseHandler(client -> follow(client, site, subscription, start)).handle(ctx);
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

    private void follow(SseClient client, SiteId site, Subscription subscription, long start) {
        try {
            client.sendComment("connected");
            long cursor = catchUp(client, site, start);
            while (!client.terminated()) {
                if (subscription.overflowed()) {
                    cursor = catchUp(client, site, cursor);
                    continue;
                }
                Event event = subscription.next(heartbeat);
                if (event == null) {
                    client.sendComment("heartbeat");
                } else if (event.position() > cursor) {
                    send(client, event);
                    cursor = event.position();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            feeds.unsubscribe(site, subscription);
        }
    }

    /** Sends everything in the log after {@code cursor}; returns the last position sent. */
    private long catchUp(SseClient client, SiteId site, long cursor) {
        List<Event> page;
        do {
            page = events.readAfter(site, cursor, PAGE);
            for (Event event : page) {
                send(client, event);
                cursor = event.position();
            }
        } while (page.size() == PAGE && !client.terminated());
        return cursor;
    }

    private static void send(SseClient client, Event event) {
        client.sendEvent("message", Json.write(EventJson.listed(event)), Long.toString(event.position()));
    }
}
