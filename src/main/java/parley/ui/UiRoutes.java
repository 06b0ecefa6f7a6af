package parley.ui;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import parley.errors.NotFound;
import parley.sites.SiteId;

/**
 * The two web UIs, served from the jar: the dashboard ({@code /dashboard}), the widget's loader
 * ({@code /widget.js}), their modules ({@code /ui/…}), Lit from its WebJar ({@code /webjars/…}) and the
 * demo page ({@code /demo}). Pages carry a Content-Security-Policy that allows scripts, styles and
 * connections from Parley only, and images from anywhere over http(s) (message images are hosted
 * elsewhere). Scripts and styles may be loaded by any page, because the widget runs inside the site's
 * own pages; what the widget may then call is decided per site (see {@code WidgetOrigins}).
 */
public final class UiRoutes {
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' https: http: data:",
            "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'",
            "frame-ancestors 'none'");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8", "svg", "image/svg+xml", "map", "application/json");

    private final DemoSite demoSite;

    /** Which site the demo page shows the widget of: the installation's first. */
    public interface DemoSite {
        Optional<SiteId> first();
    }

    public UiRoutes(DemoSite demoSite) {
        this.demoSite = demoSite;
    }

    public void register(JavalinConfig config) {
        config.routes.get("/", ctx -> ctx.redirect("/dashboard"));
        config.routes.get("/dashboard", ctx -> page(ctx, read("ui/dashboard.html")));
        config.routes.get("/dashboard/join", ctx -> page(ctx, read("ui/dashboard.html"))); // an invitation's link
        config.routes.get("/favicon.ico", ctx -> asset(ctx, "ui/favicon.svg"));
        config.routes.get("/demo", this::demo);
        config.routes.get("/widget.js", ctx -> asset(ctx, "ui/widget.js"));
        config.routes.get("/ui/{file}", ctx -> asset(ctx, "ui/" + ctx.pathParam("file")));
        config.routes.get("/webjars/<path>", ctx -> asset(ctx, "META-INF/resources/webjars/" + ctx.pathParam("path")));
    }

    /** The demo page: the widget's one script tag, as a site would embed it, for {@code ?siteId=} or the first site. */
    private void demo(Context ctx) {
        String requested = ctx.queryParam("siteId");
        SiteId site = (requested == null ? demoSite.first() : SiteId.parse(requested))
                .orElseThrow(() -> new NotFound("SITE_NOT_FOUND", "there is no such site"));
        page(ctx, read("ui/demo.html").replace("{{siteId}}", site.toString()));
    }

    private static void page(Context ctx, String html) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Frame-Options", "DENY") // frame-ancestors, for browsers that predate it
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-cache")
                .contentType(TYPES.get("html"))
                .result(html);
    }

    private static void asset(Context ctx, String resource) {
        String type = TYPES.get(resource.substring(resource.lastIndexOf('.') + 1));
        if (type == null || resource.contains("..") || type.startsWith("text/html")) {
            throw new NotFound("NOT_FOUND", "no such file");
        }
        ctx.header("Access-Control-Allow-Origin", "*")
                .header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", resource.startsWith("META-INF") ? "public, max-age=31536000, immutable" : "no-cache")
                .contentType(type)
                .result(bytes(resource));
    }

    private static String read(String resource) {
        return new String(bytes(resource), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = UiRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new NotFound("NOT_FOUND", "no such file");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
