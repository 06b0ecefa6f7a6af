package parley.channels;

import io.javalin.config.JavalinConfig;
import java.util.Map;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.dashboard.People;
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

    public ChannelRoutes(Authentication authentication, Channels channels, People people) {
        this.authentication = authentication;
        this.channels = channels;
        this.people = people;
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
        config.routes.delete("/parley/v1/channels/{channelId}", ctx -> {
            channels.delete(manager(authentication.caller(ctx)).site(), ctx.pathParam("channelId"));
            ctx.status(204);
        });
    }

    private Caller manager(Caller caller) {
        people.requireManager(caller);
        return caller;
    }
}
