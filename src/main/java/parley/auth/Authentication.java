package parley.auth;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import parley.dashboard.DashboardSessions;
import parley.errors.PermissionDenied;
import parley.errors.Unauthenticated;
import parley.sites.ApiKey;
import parley.sites.SiteId;
import parley.sites.Sites;

/**
 * Who is calling. Apps: API keys as the official SDK sends them (wix-compatibility 11), {@code Authorization: <key>}
 * (or {@code Bearer <key>}) with {@code wix-site-id}; no valid key → 401, a valid key with another
 * site's id → 403, no {@code wix-site-id} means the key's own site (keeps curl short). The dashboard:
 * its session cookie, when no {@code Authorization} is sent, plus the session's CSRF token in
 * {@value #CSRF_HEADER} on every request that changes state. Visitors: participant tokens, accepted
 * only where {@link #appOrVisitor} or {@link #visitor} is asked.
 */
public final class Authentication {
    public static final String SESSION_COOKIE = "parley_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Sites sites;
    private final ParticipantTokens participantTokens;
    private final DashboardSessions sessions;
    private final WidgetOrigins widgetOrigins;

    public Authentication(Sites sites, ParticipantTokens participantTokens, DashboardSessions sessions,
                          WidgetOrigins widgetOrigins) {
        this.sites = sites;
        this.participantTokens = participantTokens;
        this.sessions = sessions;
        this.widgetOrigins = widgetOrigins;
    }

    /**
     * The business: an app (API key) or a dashboard user. A participant token is refused: it may call
     * only what {@link #appOrVisitor} guards.
     */
    public Caller caller(Context ctx) {
        Optional<String> credential = presented(ctx);
        if (credential.isEmpty()) {
            return agent(ctx);
        }
        if (ParticipantTokens.looksLikeOne(credential.get())) {
            throw new PermissionDenied("PERMISSION_DENIED",
                    "a participant token can only read, send and press buttons in its own conversation");
        }
        return app(ctx, credential.get());
    }

    /**
     * An app's caller, or the chat widget's visitor holding a participant token. Only the endpoints a
     * visitor may use call this, and each applies the visitor's limits (its own conversation, messages
     * shown to participants, sent as the participant).
     */
    public Caller appOrVisitor(Context ctx) {
        Optional<String> credential = presented(ctx);
        if (credential.isEmpty()) {
            return agent(ctx);
        }
        return ParticipantTokens.looksLikeOne(credential.get()) ? visitor(ctx, credential.get()) : app(ctx, credential.get());
    }

    /**
     * The chat widget's visitor, from its participant token in {@code Authorization} or, for a browser's
     * EventSource (which cannot send headers), in the {@code token} query parameter.
     */
    public Caller visitor(Context ctx) {
        String token = presented(ctx).orElse(ctx.queryParam("token"));
        if (token == null || token.isBlank()) {
            throw new Unauthenticated("UNAUTHENTICATED", "a participant token is required");
        }
        return visitor(ctx, token.strip());
    }

    /** The token's visitor, while the token is current and the page it runs on one its site allows the widget on. */
    private Caller visitor(Context ctx, String token) {
        ParticipantTokens.Token verified = participantTokens.read(token)
                .orElseThrow(() -> new Unauthenticated("UNAUTHENTICATED", "the participant token is not valid"));
        if (!participantTokens.current(verified)) {
            throw new Unauthenticated("PARTICIPANT_TOKEN_EXPIRED", "the participant token has expired: renew it with "
                    + "POST /parley/v1/widget/session");
        }
        widgetOrigins.check(ctx, verified.site());
        return verified.caller();
    }

    /** A dashboard user, from the session cookie; state changes must also carry the session's CSRF token. */
    private Caller agent(Context ctx) {
        String cookie = ctx.cookie(SESSION_COOKIE);
        if (cookie == null || cookie.isBlank()) {
            throw new Unauthenticated("UNAUTHENTICATED", "an API key is required in the Authorization header");
        }
        DashboardSessions.Session session = sessions.find(cookie)
                .orElseThrow(() -> new Unauthenticated("UNAUTHENTICATED", "the dashboard session has ended: sign in again"));
        if (!SAFE_METHODS.contains(ctx.method().name()) && !sameToken(ctx.header(CSRF_HEADER), session.csrfToken())) {
            throw new PermissionDenied("CSRF_TOKEN_INVALID", "a dashboard request that changes state must carry the "
                    + "session's CSRF token in " + CSRF_HEADER);
        }
        return new Caller(session.site(), new Caller.Agent(session.userId()));
    }

    private static boolean sameToken(String presented, String expected) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** The credential in {@code Authorization}, raw or as {@code Bearer <credential>}. */
    private static Optional<String> presented(Context ctx) {
        String authorization = ctx.header("Authorization");
        return authorization == null || authorization.isBlank() ? Optional.empty()
                : Optional.of(authorization.strip().replaceFirst("^Bearer\\s+", ""));
    }

    private Caller app(Context ctx, String credential) {
        ApiKey key = ApiKey.parse(credential)
                .orElseThrow(() -> new Unauthenticated("UNAUTHENTICATED", "the API key is not valid"));
        Sites.Grant grant = sites.grant(key)
                .orElseThrow(() -> new Unauthenticated("UNAUTHENTICATED", "the API key is not valid"));
        SiteId requested = requestedSite(ctx.header("wix-site-id")).orElse(key.site());
        if (!requested.equals(key.site())) {
            throw new PermissionDenied("PERMISSION_DENIED", "this API key does not belong to the site in wix-site-id");
        }
        if (!grant.wholeSite() && !connectorMayCall(ctx, grant.channel())) {
            throw new PermissionDenied("PERMISSION_DENIED", "this API key is the connector's of channel "
                    + grant.channel() + ": it hands in that channel's messages and activities and uploads files, "
                    + "nothing else");
        }
        return new Caller(key.site(), new Caller.App(key.keyId()));
    }

    /** What a connector's key may call (docs/channels.md, "A connector's key"). */
    private static boolean connectorMayCall(Context ctx, UUID channel) {
        String path = ctx.path();
        String own = "/parley/v1/channels/" + channel + "/";
        return ctx.method().name().equals("POST") && (path.equals("/parley/v1/files")
                || path.equals(own + "inbound") || path.equals(own + "activities") || path.equals(own + "deliveries"));
    }

    private static Optional<SiteId> requestedSite(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SiteId(UUID.fromString(header.strip())));
        } catch (IllegalArgumentException e) {
            throw new PermissionDenied("PERMISSION_DENIED", "this API key does not belong to the site in wix-site-id");
        }
    }
}
