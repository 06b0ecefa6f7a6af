package parley.sites;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import parley.errors.PermissionDenied;
import parley.errors.Unauthenticated;
import parley.web.Requests;
import parley.web.Responses;

/**
 * The admin API for automation: {@code POST /parley/v1/sites}. It answers only to the token set in
 * {@code PARLEY_ADMIN_TOKEN}; without one it is off.
 */
public final class SiteRoutes {
    private final CreateSite createSite;
    private final String adminToken; // null: the admin API is off

    public SiteRoutes(Sites sites, String adminToken) {
        this.createSite = sites.createSite();
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken;
    }

    record CreateSiteRequest(String displayName) {
    }

    record SiteJson(String id, String displayName) {
    }

    record CreateSiteResponse(SiteJson site, String apiKey) {
    }

    public void register(JavalinConfig config) {
        config.routes.post("/parley/v1/sites", this::createSite);
    }

    private void createSite(Context ctx) {
        checkAdmin(ctx.header("Authorization"));
        CreateSiteRequest request = Requests.body(ctx, CreateSiteRequest.class);
        CreateSite.NewSite created = createSite.create(request.displayName());
        Responses.json(ctx, new CreateSiteResponse(
                new SiteJson(created.site().id().toString(), created.site().displayName()), created.apiKey()));
    }

    private void checkAdmin(String authorization) {
        if (adminToken == null) {
            throw new PermissionDenied("ADMIN_API_DISABLED", "the admin API is off: set PARLEY_ADMIN_TOKEN to use it");
        }
        String presented = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                adminToken.getBytes(StandardCharsets.UTF_8))) {
            throw new Unauthenticated("UNAUTHENTICATED", "a valid admin token is required");
        }
    }
}
