package parley.errors;

import java.util.Map;

/** 409: the request clashes with what is stored (a reused idempotency key, a duplicate, a stale revision). */
public final class Conflict extends ApiException {
    public Conflict(String code, String message) {
        this(code, message, Map.of());
    }

    public Conflict(String code, String message, Map<String, Object> data) {
        super(code, message, data);
    }
}
