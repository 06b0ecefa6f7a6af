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

    public Authentication(Sites sites) {
        this.sites = sites;
    }

    public Caller caller(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new Unauthenticated("UNAUTHENTICATED", "an API key is required in the Authorization header");
        }
        ApiKey key = ApiKey.parse(authorization.strip().replaceFirst("^Bearer\\s+", ""))
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
