package parley.workspace;

import io.javalin.config.JavalinConfig;
import java.util.Map;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.dashboard.People;
import parley.web.Requests;
import parley.web.Responses;

/**
 * Labels, canned replies and search (docs/api.md, "The agent workspace"). Every business caller reads them and
 * writes canned replies; labels are the owners' (and apps').
 */
public final class WorkspaceRoutes {
    private final Authentication authentication;
    private final Labels labels;
    private final CannedReplies replies;
    private final Search search;
    private final People people;

    public WorkspaceRoutes(Authentication authentication, Labels labels, CannedReplies replies, Search search,
                           People people) {
        this.authentication = authentication;
        this.labels = labels;
        this.replies = replies;
        this.search = search;
        this.people = people;
    }

    record LabelRequest(String name, String color) {
    }

    record CannedReplyRequest(String shortcut, String body) {
    }

    record SearchQuery(String q, Integer limit) {
    }

    record ReplyQuery(String prefix) {
    }

    public void register(JavalinConfig config) {
        config.routes.get("/parley/v1/labels", ctx -> Responses.json(ctx,
                Map.of("labels", labels.list(authentication.caller(ctx).site()))));
        config.routes.post("/parley/v1/labels", ctx -> {
            Caller caller = manager(authentication.caller(ctx));
            LabelRequest request = Requests.body(ctx, LabelRequest.class);
            Responses.json(ctx.status(201), labels.create(caller.site(), request.name(), request.color()));
        });
        config.routes.patch("/parley/v1/labels/{labelId}", ctx -> {
            Caller caller = manager(authentication.caller(ctx));
            LabelRequest request = Requests.body(ctx, LabelRequest.class);
            Responses.json(ctx, labels.update(caller.site(), ctx.pathParam("labelId"), request.name(), request.color()));
        });
        config.routes.delete("/parley/v1/labels/{labelId}", ctx -> {
            labels.delete(manager(authentication.caller(ctx)).site(), ctx.pathParam("labelId"));
            ctx.status(204);
        });
        config.routes.get("/parley/v1/canned-replies", ctx -> Responses.json(ctx, Map.of("cannedReplies",
                replies.list(authentication.caller(ctx).site(), Requests.query(ctx, ReplyQuery.class).prefix()))));
        config.routes.post("/parley/v1/canned-replies", ctx -> {
            Caller caller = authentication.caller(ctx);
            CannedReplyRequest request = Requests.body(ctx, CannedReplyRequest.class);
            Responses.json(ctx.status(201), replies.create(caller.site(), request.shortcut(), request.body()));
        });
        config.routes.patch("/parley/v1/canned-replies/{replyId}", ctx -> {
            Caller caller = authentication.caller(ctx);
            CannedReplyRequest request = Requests.body(ctx, CannedReplyRequest.class);
            Responses.json(ctx, replies.update(caller.site(), ctx.pathParam("replyId"), request.shortcut(),
                    request.body()));
        });
        config.routes.delete("/parley/v1/canned-replies/{replyId}", ctx -> {
            replies.delete(authentication.caller(ctx).site(), ctx.pathParam("replyId"));
            ctx.status(204);
        });
        config.routes.get("/parley/v1/search", ctx -> {
            Caller caller = authentication.caller(ctx);
            SearchQuery query = Requests.query(ctx, SearchQuery.class);
            Responses.json(ctx, search.search(caller.site(), query.q(), Requests.limit(query.limit(), 20, 50)));
        });
    }

    private Caller manager(Caller caller) {
        people.requireManager(caller);
        return caller;
    }
}
