package parley.errors;

import java.util.Map;

/** A request that cannot be served, with the application error code the client sees (wix-compatibility D-5). */
public abstract sealed class ApiException extends RuntimeException
        permits InvalidArgument, NotFound, Unauthenticated, PermissionDenied, Conflict, PayloadTooLarge,
        TooManyRequests {
    private final String code;
    private final Map<String, Object> data;

    ApiException(String code, String message, Map<String, Object> data) {
        super(message, null, false, false);
        this.code = code;
        this.data = Map.copyOf(data);
    }

    public String code() {
        return code;
    }

    public Map<String, Object> data() {
        return data;
    }
}
