package parley.channels;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.dashboard.People;
import parley.sites.Sites;
import parley.web.PathIds;
import parley.web.Requests;
import parley.web.Responses;

/**
 * {@code /parley/v1/channels}: everyone of the business reads a site's channels; owners and apps add and remove
 * them.
 */
public final class ChannelRoutes {
    private final Authentication authentication;
    private final Channels channels;
    private final People people;
    private final Connectors connectors;
    private final ChannelOutbox outbox;
    private final Sites sites;

    record DeliveryReport(String messageId, ChannelOutbox.State state, String reason) {
    }

    public ChannelRoutes(Authentication authentication, Channels channels, People people, Connectors connectors,
                         ChannelOutbox outbox, Sites sites) {
        this.authentication = authentication;
        this.outbox = outbox;
        this.sites = sites;
        this.channels = channels;
        this.people = people;
        this.connectors = connectors;
    }

    record ChannelRequest(Channels.Kind kind, Channels.Settings settings) {
    }

    public void register(JavalinConfig config) {
        config.routes.get("/parley/v1/channels", ctx -> Responses.json(ctx,
                Map.of("channels", channels.list(authentication.caller(ctx).site()))));
        config.routes.post("/parley/v1/channels", ctx -> {
            Caller caller = manager(authentication.caller(ctx));
            ChannelRequest request = Requests.body(ctx, ChannelRequest.class);
            Responses.json(ctx.status(201), channels.create(caller.site(), request.kind(), request.settings()));
        });
        // The connector contract (docs/channels.md): a message, or an activity, of a custom channel's service.
        config.routes.post("/parley/v1/channels/{channelId}/inbound", ctx -> Responses.json(ctx,
                connectors.inbound(authentication.caller(ctx), channel(ctx), Requests.bodyTree(ctx))));
        config.routes.post("/parley/v1/channels/{channelId}/activities", ctx -> Responses.json(ctx,
                connectors.activity(authentication.caller(ctx), channel(ctx), Requests.bodyTree(ctx))));
        // How a reply handed to the connector went (docs/channels.md, "Replies").
        config.routes.post("/parley/v1/channels/{channelId}/deliveries", ctx -> {
            Caller caller = authentication.caller(ctx);
            UUID channel = channel(ctx);
            channels.custom(caller.site(), channel);
            DeliveryReport report = Requests.body(ctx, DeliveryReport.class);
            outbox.report(caller, channel, report.messageId(), report.state(), report.reason());
            Responses.json(ctx, Map.of());
        });
        // A key for a custom channel's connector, which may do no more (docs/channels.md, "A connector's key").
        config.routes.post("/parley/v1/channels/{channelId}/keys", ctx -> {
            Caller caller = manager(authentication.caller(ctx));
            UUID channel = channel(ctx);
            channels.custom(caller.site(), channel);
            Responses.secret(ctx.status(201), Map.of("apiKey", sites.createChannelKey(caller.site(), channel),
                    "channelId", channel.toString()));
        });
        config.routes.patch("/parley/v1/channels/{channelId}", ctx -> {
            Caller caller = manager(authentication.caller(ctx));
            ChannelRequest request = Requests.body(ctx, ChannelRequest.class);
            Responses.json(ctx, channels.update(caller.site(), channel(ctx), request.settings()));
        });
        config.routes.delete("/parley/v1/channels/{channelId}", ctx -> {
            channels.delete(manager(authentication.caller(ctx)).site(), ctx.pathParam("channelId"));
            ctx.status(204);
        });
    }

    private static UUID channel(Context ctx) {
        return PathIds.parse(ctx.pathParam("channelId")).orElseThrow(Channels::notFound);
    }

    private Caller manager(Caller caller) {
        people.requireManager(caller);
        return caller;
    }
}
