package parley.web;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import parley.errors.TooManyRequests;

/**
 * A rate per key (a client's address): a token bucket each, {@code perPeriod} in each {@code period} from the
 * key's first request, refilled whole when the period ends (a refill in small steps would make "30 a
 * minute" depend on how fast the 30 came). Per node and in memory: N nodes allow N times the rate. Buckets
 * that have refilled completely are forgotten when the map grows past {@link #SWEEP_AT}, so a flood of new
 * keys costs memory only while it lasts.
 */
public final class RateLimit {
    static final int SWEEP_AT = 10_000;

    private final String code;
    private final String message;
    private final long perPeriod;
    private final Duration period;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code code} and {@code message}: the 429 a caller past the rate gets. */
    public RateLimit(long perPeriod, Duration period, String code, String message) {
        this.perPeriod = perPeriod;
        this.period = period;
        this.code = code;
        this.message = message;
    }

    /** Takes one from {@code key}'s bucket, or refuses with 429 and how long until there is one. */
    public void take(String key) {
        if (buckets.size() > SWEEP_AT) {
            buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= perPeriod);
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(key, k -> Bucket.builder()
                        .addLimit(Bandwidth.builder().capacity(perPeriod).refillIntervally(perPeriod, period).build()).build())
                .tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            throw new TooManyRequests(code, message, Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }
}
