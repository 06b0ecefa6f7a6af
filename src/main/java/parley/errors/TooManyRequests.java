package parley.errors;

import java.util.Map;

/** 429: the caller must wait before trying again (too many failed sign-ins, for one). */
public final class TooManyRequests extends ApiException {
    public TooManyRequests(String code, String message) {
        super(code, message, Map.of());
    }
}
