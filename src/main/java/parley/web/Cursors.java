package parley.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import parley.errors.InvalidArgument;

/**
 * Opaque paging cursors: a feature's cursor record as base64url JSON. A cursor is not a secret; each
 * feature embeds the query that produced it and refuses it for any other query (spec 3.4), and every
 * read still applies the caller's visibility, so a forged cursor reveals nothing.
 */
public final class Cursors {
    private Cursors() {
    }

    public static String encode(Object cursor) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(cursor).getBytes(StandardCharsets.UTF_8));
    }

    public static <T> T decode(String cursor, Class<T> type) {
        try {
            return Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), type);
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw invalid();
        } catch (java.io.IOException e) {
            throw invalid();
        }
    }

    public static InvalidArgument invalid() {
        return new InvalidArgument("INVALID_CURSOR", "paging.cursor is not a cursor this query produced");
    }
}
