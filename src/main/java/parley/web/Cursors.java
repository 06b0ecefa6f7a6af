package parley.web;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import parley.errors.InvalidArgument;

/**
 * Opaque paging cursors: a feature's cursor record as base64url JSON. A cursor is not a secret; each
 * feature embeds the query that produced it and refuses it for any other query (wix-compatibility 3.4), and every
 * read still applies the caller's visibility, so a forged cursor reveals nothing.
 */
public final class Cursors {
    private Cursors() {
    }

    public static String encode(Object cursor) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor record {@code cursor} encodes, with every component present; anything else is a 400. */
    public static <T extends Record> T decode(String cursor, Class<T> type) {
        T decoded;
        try {
            decoded = Json.MAPPER.readValue(Base64.getUrlDecoder().decode(cursor), type);
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw invalid();
        }
        if (decoded == null || Arrays.stream(type.getRecordComponents()).anyMatch(c -> component(c, decoded) == null)) {
            throw invalid();
        }
        return decoded;
    }

    /** A component of a feature's cursor record (package-private, as wire records are). */
    private static Object component(RecordComponent component, Record cursor) {
        try {
            java.lang.reflect.Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(cursor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a cursor's " + component.getName(), e);
        }
    }

    public static InvalidArgument invalid() {
        return new InvalidArgument("INVALID_CURSOR", "paging.cursor is not a cursor this query produced");
    }
}
