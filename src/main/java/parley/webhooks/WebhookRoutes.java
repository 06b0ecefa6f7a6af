package parley.webhooks;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import parley.auth.AdminToken;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.events.EventType;
import parley.web.Requests;
import parley.web.Responses;

/**
 * {@code /parley/v1/webhooks…} for a site's API key, the public {@code /.well-known/jwks.json}, and key
 * rotation on the admin API.
 */
public final class WebhookRoutes {
    private static final String BASE = "/parley/v1/webhooks";

    private final Authentication authentication;
    private final Webhooks webhooks;
    private final SigningKeys keys;
    private final AdminToken admin;

    public WebhookRoutes(Authentication authentication, Webhooks webhooks, SigningKeys keys, AdminToken admin) {
        this.authentication = authentication;
        this.webhooks = webhooks;
        this.keys = keys;
        this.admin = admin;
    }

    /** Nullable: {@code secret} (shown on create and get), {@code failingSince}, {@code disabledReason}. */
    record WebhookView(String id, String url, List<String> eventTypes, boolean enabled, Subscription.Status status,
                       Instant failingSince, String disabledReason, String secret, Instant createdDate,
                       Instant updatedDate) {
        static WebhookView of(Subscription s, boolean withSecret) {
            return new WebhookView(s.id().toString(), s.url(),
                    s.eventTypes().stream().map(EventType::webhookEventType).toList(), s.enabled(), s.status(),
                    s.failingSince(), s.disabledReason(), withSecret ? s.secret() : null, s.createdAt(), s.updatedAt());
        }
    }

    record DeliveryView(long position, String eventType, String orderingKey, Delivery.Status status, int attempts,
                        Instant queuedDate, Instant nextAttemptDate, Instant deliveredDate, Integer lastStatusCode,
                        String lastError, Integer lastLatencyMs, List<Delivery.Attempt> attemptLog) {
        static DeliveryView of(Delivery d) {
            return new DeliveryView(d.position(), d.eventType(), d.orderingKey(), d.status(), d.attempts(),
                    d.queuedAt(), d.status() == Delivery.Status.PENDING ? d.nextAttemptAt() : null, d.deliveredAt(),
                    d.lastStatusCode(), d.lastError(), d.lastLatencyMs(), d.log().isEmpty() ? null : d.log());
        }
    }

    record ReplayRequest(Long fromPosition, Long toPosition) {
    }

    record DeliveriesRequest(Long before, Integer limit) {
    }

    public void register(JavalinConfig config) {
        config.routes.get("/.well-known/jwks.json", ctx -> Responses.json(ctx, keys.jwks()));
        config.routes.post("/parley/v1/signing-keys/rotate", ctx -> { // admin API: the keys are the installation's
            admin.check(ctx);
            keys.rotate();
            Responses.json(ctx, keys.jwks());
        });
        config.routes.post(BASE, this::create);
        config.routes.get(BASE, ctx -> Responses.json(ctx, Map.of("webhooks",
                webhooks.list(caller(ctx)).stream().map(s -> WebhookView.of(s, false)).toList())));
        config.routes.get(BASE + "/{id}", ctx -> Responses.secret(ctx, Map.of("webhook",
                WebhookView.of(webhooks.get(caller(ctx), ctx.pathParam("id")), true))));
        config.routes.patch(BASE + "/{id}", this::update);
        config.routes.delete(BASE + "/{id}", ctx -> {
            webhooks.delete(caller(ctx), ctx.pathParam("id"));
            Responses.json(ctx, Map.of());
        });
        config.routes.get(BASE + "/{id}/deliveries", this::deliveries);
        config.routes.get(BASE + "/{id}/deliveries/{position}", ctx -> Responses.json(ctx, Map.of("delivery",
                DeliveryView.of(webhooks.delivery(caller(ctx), ctx.pathParam("id"), position(ctx))))));
        config.routes.post(BASE + "/{id}/deliveries/{position}/redeliver", ctx -> Responses.json(ctx,
                Map.of("delivery", DeliveryView.of(webhooks.redeliver(caller(ctx), ctx.pathParam("id"),
                        position(ctx))))));
        config.routes.post(BASE + "/{id}/replay", this::replay);
    }

    private void create(Context ctx) {
        Caller caller = caller(ctx);
        Subscription created = webhooks.create(caller, Requests.body(ctx, Webhooks.Changes.class));
        Responses.secret(ctx, Map.of("webhook", WebhookView.of(created, true)));
    }

    private void update(Context ctx) {
        Caller caller = caller(ctx);
        Subscription updated = webhooks.update(caller, ctx.pathParam("id"), Requests.body(ctx, Webhooks.Changes.class));
        Responses.json(ctx, Map.of("webhook", WebhookView.of(updated, false)));
    }

    private void deliveries(Context ctx) {
        Caller caller = caller(ctx);
        DeliveriesRequest request = Requests.query(ctx, DeliveriesRequest.class);
        int limit = Requests.limit(request.limit(), 50, 1000);
        long before = request.before() == null ? Long.MAX_VALUE : request.before();
        Responses.json(ctx, Map.of("deliveries", webhooks.deliveries(caller, ctx.pathParam("id"), before, limit)
                .stream().map(DeliveryView::of).toList()));
    }

    private void replay(Context ctx) {
        Caller caller = caller(ctx);
        ReplayRequest request = Requests.body(ctx, ReplayRequest.class);
        int queued = webhooks.replay(caller, ctx.pathParam("id"), request.fromPosition(), request.toPosition());
        Responses.json(ctx, Map.of("queued", queued));
    }

    private Caller caller(Context ctx) {
        return authentication.caller(ctx);
    }

    private static long position(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("position"));
        } catch (NumberFormatException e) {
            throw Webhooks.deliveryNotFound();
        }
    }
}
