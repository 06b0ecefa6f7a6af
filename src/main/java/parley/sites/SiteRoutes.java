package parley.sites;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import parley.auth.AdminToken;
import parley.web.Requests;
import parley.web.Responses;

/**
 * The admin API for automation: {@code POST /parley/v1/sites}. It answers only to the token set in
 * {@code PARLEY_ADMIN_TOKEN}; without one it is off.
 */
public final class SiteRoutes {
    private final CreateSite createSite;
    private final AdminToken admin;

    public SiteRoutes(Sites sites, AdminToken admin) {
        this.createSite = sites.createSite();
        this.admin = admin;
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
        admin.check(ctx);
        CreateSiteRequest request = Requests.body(ctx, CreateSiteRequest.class);
        CreateSite.NewSite created = createSite.create(request.displayName());
        Responses.secret(ctx, new CreateSiteResponse(
                new SiteJson(created.site().id().toString(), created.site().displayName()), created.apiKey()));
    }
}
