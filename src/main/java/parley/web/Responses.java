package parley.web;

import io.javalin.http.Context;

/** Writes a successful response as JSON through the one Jackson setup. */
public final class Responses {
    private Responses() {
    }

    public static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.write(body));
    }

    /** An answer that carries a secret (a key, a token, a session's CSRF token): no cache keeps it. */
    public static void secret(Context ctx, Object body) {
        ctx.header("Cache-Control", "no-store");
        json(ctx, body);
    }
}
