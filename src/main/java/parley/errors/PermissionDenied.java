package parley.errors;

import java.util.Map;

/** 403: valid credentials that do not reach this. */
public final class PermissionDenied extends ApiException {
    public PermissionDenied(String code, String message) {
        this(code, message, Map.of());
    }

    public PermissionDenied(String code, String message, Map<String, Object> data) {
        super(code, message, data);
    }
}
