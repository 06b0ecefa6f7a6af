package parley.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import parley.events.EventType;

/**
 * A site's webhook. {@code eventTypes} empty means every type. Nullable: {@code failingSince} (null while
 * healthy), {@code disabledReason} (set only when Parley turned it off).
 */
record Subscription(UUID id, String url, List<EventType> eventTypes, boolean enabled, String secret,
                    Instant failingSince, String disabledReason, Instant createdAt, Instant updatedAt) {

    enum Status { HEALTHY, FAILING, DISABLED }

    Status status() {
        return !enabled ? Status.DISABLED : failingSince != null ? Status.FAILING : Status.HEALTHY;
    }
}
