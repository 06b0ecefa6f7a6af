package parley.errors;

import java.util.Map;

/** 401: no valid credentials. */
public final class Unauthenticated extends ApiException {
    public Unauthenticated(String code, String message) {
        this(code, message, Map.of());
    }

    public Unauthenticated(String code, String message, Map<String, Object> data) {
        super(code, message, data);
    }
}
