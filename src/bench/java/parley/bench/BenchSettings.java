package parley.bench;

import java.time.Duration;
import java.util.List;

/** How big and how long: the full run, or {@code --quick} for a run of about three minutes. */
record BenchSettings(boolean quick, Duration jitWarmup, Duration warmup, Duration measure, List<Integer> concurrencies,
                     int conversations, int hotConcurrency, long seededMessages, int readConversationMessages,
                     long seededContacts, int walWarmupMiB) {
    static BenchSettings fullRun() {
        return new BenchSettings(false, Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofSeconds(10),
                List.of(1, 8, 32, 128), 1_000,
                32, 10_000_000, 100_000, 1_000_000, 1024);
    }

    static BenchSettings quickRun() {
        return new BenchSettings(true, Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(2),
                List.of(1, 8, 32, 128), 1_000,
                32, 200_000, 20_000, 50_000, 256);
    }
}
