package parley.auth;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.List;
import parley.errors.PermissionDenied;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Where the chat widget may run: on Parley's own pages (the demo) and on the origins a site allows
 * ({@code sites.widget_origins}, set through the widget settings). Browsers send {@code Origin} with the
 * widget's cross-origin requests; a request from an origin the site does not allow is refused before it
 * does anything, and one it allows gets the CORS header that lets the page read the answer. Requests
 * without {@code Origin} are not from a browser page and are not limited here (the participant token
 * still is). Preflights are answered for any origin: they grant nothing by themselves.
 */
public final class WidgetOrigins {
    private final Database database;

    public WidgetOrigins(Database database) {
        this.database = database;
    }

    public void register(JavalinConfig config) {
        config.routes.options("/<path>", ctx -> {
            String origin = ctx.header("Origin");
            if (origin != null) {
                ctx.header("Access-Control-Allow-Origin", origin)
                        .header("Access-Control-Allow-Methods", "GET, POST")
                        .header("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key")
                        .header("Access-Control-Max-Age", "600")
                        .header("Vary", "Origin");
            }
            ctx.status(204);
        });
    }

    /** Refuses a browser request from an origin the site does not allow; lets the page read an allowed one's answer. */
    public void check(Context ctx, SiteId site) {
        String origin = ctx.header("Origin");
        if (origin == null || sameOrigin(origin, ctx.host())) {
            return;
        }
        if (!allowed(site).contains(origin)) {
            throw new PermissionDenied("ORIGIN_NOT_ALLOWED",
                    "this site does not allow its chat widget on " + origin + " (widget settings: allowedOrigins)");
        }
        ctx.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
    }

    public List<String> allowed(SiteId site) {
        return database.read(handle -> handle.createQuery("SELECT widget_origins FROM sites WHERE site_id = :site")
                .bind("site", site.value())
                .mapTo(String[].class)
                .findOne()
                .map(List::of)
                .orElse(List.of()));
    }

    public void allow(SiteId site, List<String> origins) {
        database.inTransaction(handle -> handle.createUpdate("UPDATE sites SET widget_origins = :origins WHERE site_id = :site")
                .bind("origins", origins.toArray(String[]::new))
                .bind("site", site.value())
                .execute());
    }

    /** {@code scheme://host[:port]}, http(s), nothing after: what browsers send as {@code Origin}. */
    public static boolean isOrigin(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getRawPath().isEmpty() && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && uri.getRawUserInfo() == null && value.equals(uri.getScheme() + "://" + uri.getRawAuthority());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            return host != null && host.equalsIgnoreCase(new URI(origin).getRawAuthority());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
