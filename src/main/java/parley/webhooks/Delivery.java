package parley.webhooks;

import java.time.Instant;
import java.util.List;

/**
 * One event for one subscription, and every attempt to deliver it. Nullable: {@code deliveredAt},
 * {@code lastStatusCode} (no answer), {@code lastError}, {@code lastLatencyMs} (never attempted).
 */
record Delivery(long position, String eventType, String orderingKey, Status status, int attempts, Instant queuedAt,
                Instant nextAttemptAt, Instant deliveredAt, Integer lastStatusCode, String lastError,
                Integer lastLatencyMs, List<Attempt> log) {

    enum Status { PENDING, DELIVERED, GAVE_UP }

    /** Nullable: {@code statusCode} (no answer), {@code error} (a 2xx). */
    record Attempt(int attempt, Instant at, Integer statusCode, int latencyMs, String error) {
    }
}
