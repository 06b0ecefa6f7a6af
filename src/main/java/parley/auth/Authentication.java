package parley.auth;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.UUID;
import parley.errors.PermissionDenied;
import parley.errors.Unauthenticated;
import parley.sites.ApiKey;
import parley.sites.SiteId;
import parley.sites.Sites;

/**
 * Checks API keys as the official SDK sends them (spec 11): {@code Authorization: <key>} (or
 * {@code Bearer <key>}) with {@code wix-site-id}. No valid key → 401; a valid key with another site's
 * id → 403. When {@code wix-site-id} is absent the key's own site is meant, which keeps curl short.
 */
public final class Authentication {
    private final Sites sites;
    private final ParticipantTokens participantTokens;

    public Authentication(Sites sites, ParticipantTokens participantTokens) {
        this.sites = sites;
        this.participantTokens = participantTokens;
    }

    /** An app's caller (API key). A participant token is refused: it may call only what {@link #appOrVisitor} guards. */
    public Caller caller(Context ctx) {
        String credential = credential(ctx);
        if (ParticipantTokens.looksLikeOne(credential)) {
            throw new PermissionDenied("PERMISSION_DENIED",
                    "a participant token can only read, send and press buttons in its own conversation");
        }
        return app(ctx, credential);
    }

    /**
     * An app's caller, or the chat widget's visitor holding a participant token. Only the endpoints a
     * visitor may use call this, and each applies the visitor's limits (its own conversation, messages
     * shown to participants, sent as the participant).
     */
    public Caller appOrVisitor(Context ctx) {
        String credential = credential(ctx);
        return ParticipantTokens.looksLikeOne(credential) ? visitor(credential) : app(ctx, credential);
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
        return visitor(token.strip());
    }

    private Caller visitor(String token) {
        return participantTokens.verify(token)
                .orElseThrow(() -> new Unauthenticated("UNAUTHENTICATED", "the participant token is not valid"));
    }

    private static String credential(Context ctx) {
        return presented(ctx).orElseThrow(
                () -> new Unauthenticated("UNAUTHENTICATED", "an API key is required in the Authorization header"));
    }

    /** The credential in {@code Authorization}, raw or as {@code Bearer <credential>}. */
    private static Optional<String> presented(Context ctx) {
        String authorization = ctx.header("Authorization");
        return authorization == null || authorization.isBlank() ? Optional.empty()
                : Optional.of(authorization.strip().replaceFirst("^Bearer\\s+", ""));
    }

    private Caller app(Context ctx, String credential) {
        ApiKey key = ApiKey.parse(credential)
                .filter(sites::isValid)
                .orElseThrow(() -> new Unauthenticated("UNAUTHENTICATED", "the API key is not valid"));
        SiteId requested = requestedSite(ctx.header("wix-site-id")).orElse(key.site());
        if (!requested.equals(key.site())) {
            throw new PermissionDenied("PERMISSION_DENIED", "this API key does not belong to the site in wix-site-id");
        }
        return new Caller(key.site(), new Caller.App(key.keyId()));
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
