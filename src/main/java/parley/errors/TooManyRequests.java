package parley.errors;

import java.time.Duration;
import java.util.Map;

/**
 * 429: the caller must wait before trying again (too many failed sign-ins, new widget sessions from one
 * client, streams for one credential). The answer carries {@code Retry-After} in whole seconds.
 */
public final class TooManyRequests extends ApiException {
    private final Duration retryAfter;

    public TooManyRequests(String code, String message, Duration retryAfter) {
        super(code, message, Map.of("retryAfterSeconds", seconds(retryAfter)));
        this.retryAfter = retryAfter;
    }

    /** Whole seconds, at least one. */
    public long retryAfterSeconds() {
        return seconds(retryAfter);
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
