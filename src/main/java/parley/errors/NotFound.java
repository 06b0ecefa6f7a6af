package parley.errors;

import java.util.Map;

/** 404: the thing does not exist, or the caller may not know that it does. */
public final class NotFound extends ApiException {
    public NotFound(String code, String message) {
        this(code, message, Map.of());
    }

    public NotFound(String code, String message, Map<String, Object> data) {
        super(code, message, data);
    }
}
