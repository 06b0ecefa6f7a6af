package parley.auth;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import parley.errors.PermissionDenied;
import parley.errors.Unauthenticated;

/**
 * The admin API's credential: the token set in {@code PARLEY_ADMIN_TOKEN}, as a bearer token. Without
 * one the admin API is off.
 */
public final class AdminToken {
    private final String token; // null: the admin API is off

    public AdminToken(String token) {
        this.token = token == null || token.isBlank() ? null : token;
    }

    /** Refuses the request unless it carries the admin token. */
    public void check(Context ctx) {
        if (token == null) {
            throw new PermissionDenied("ADMIN_API_DISABLED", "the admin API is off: set PARLEY_ADMIN_TOKEN to use it");
        }
        String authorization = ctx.header("Authorization");
        String presented = authorization == null ? "" : authorization.replaceFirst("^Bearer ", "");
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new Unauthenticated("UNAUTHENTICATED", "a valid admin token is required");
        }
    }
}
