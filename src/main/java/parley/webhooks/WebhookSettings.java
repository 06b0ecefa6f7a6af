package parley.webhooks;

import java.time.Duration;

/**
 * How deliveries are attempted.
 *
 * @param timeout      how long one attempt may take (connect and answer)
 * @param firstRetry   the first back-off; each later one doubles, up to an hour, with jitter
 * @param retryFor     how long a delivery is retried before it is given up
 * @param disableAfter how long a subscription may fail without a success before Parley turns it off
 * @param poll         how often an idle node looks for new events and due retries
 */
public record WebhookSettings(Duration timeout, Duration firstRetry, Duration retryFor, Duration disableAfter,
                              Duration poll) {
    public static final WebhookSettings DEFAULTS = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5),
            Duration.ofHours(48), Duration.ofDays(5), Duration.ofMillis(250));

    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /** The wait before attempt {@code attempts + 1}: doubling from {@code firstRetry}, "equal jitter". */
    Duration backoff(int attempts, double random) {
        long base = firstRetry.toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        return Duration.ofMillis(capped / 2 + (long) (random * (capped / 2.0)));
    }
}
