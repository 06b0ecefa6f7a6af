package parley.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.web.Requests;
import parley.web.Responses;

/**
 * The pull API: {@code GET /parley/v1/events?after=<position>&limit=<n>} lists the caller's site's events
 * in log order, so a consumer that remembers the last position it saw catches up exactly.
 */
public final class EventRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Authentication authentication;
    private final EventLog events;

    public EventRoutes(Authentication authentication, EventLog events) {
        this.authentication = authentication;
        this.events = events;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/parley/v1/events", this::list);
    }

    private void list(Context ctx) {
        Caller caller = authentication.caller(ctx);
        EventJson.EventsRequest request = Requests.query(ctx, EventJson.EventsRequest.class);
        long after = request.after() == null ? 0 : request.after();
        int limit = Requests.limit(request.limit(), DEFAULT_LIMIT, MAX_LIMIT);
        if (after < 0) {
            throw InvalidArgument.of(new FieldViolation("after", "must not be negative", FieldViolation.Rule.MIN));
        }
        List<Event> page = events.readAfter(caller.site(), after, limit + 1);
        List<Event> listed = page.subList(0, Math.min(limit, page.size()));
        List<ObjectNode> views = listed.stream().map(EventJson::listed).toList();
        long last = listed.isEmpty() ? after : listed.getLast().position();
        Responses.json(ctx, new EventJson.EventsPage(views, last, page.size() > limit));
    }
}
