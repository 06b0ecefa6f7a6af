package parley.errors;

import java.util.Map;

/** 413: the request body is over the configured limit. */
public final class PayloadTooLarge extends ApiException {
    public PayloadTooLarge(String code, String message) {
        this(code, message, Map.of());
    }

    public PayloadTooLarge(String code, String message, Map<String, Object> data) {
        super(code, message, data);
    }
}
