package parley.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Each open-loop request's scheduled time (from the start of the measurement) and latency, to tell how the
 * slow answers lie in time: a few stalls that hold every request behind them, or a queue that is slow
 * throughout. Either gives the same p99; what would move it differs.
 */
final class Timeline {
    private static final long WINDOW_NANOS = 100_000_000;

    private long[] scheduled = new long[1 << 12];
    private long[] latencies = new long[1 << 12];
    private int size;

    synchronized void add(long scheduledNanos, long latencyNanos) {
        if (size == scheduled.length) {
            scheduled = Arrays.copyOf(scheduled, size * 2);
            latencies = Arrays.copyOf(latencies, size * 2);
        }
        scheduled[size] = scheduledNanos;
        latencies[size++] = latencyNanos;
    }

    /** {@code count} answers slower than the bound, in {@code windows} of the run's windows of 100 ms. */
    record Slow(int count, int requests, int windows, int allWindows, int worstWindow) {
    }

    synchronized Slow slowerThan(long boundNanos) {
        Map<Long, Integer> byWindow = new HashMap<>();
        long last = 0;
        for (int i = 0; i < size; i++) {
            last = Math.max(last, scheduled[i]);
            if (latencies[i] > boundNanos) {
                byWindow.merge(scheduled[i] / WINDOW_NANOS, 1, Integer::sum);
            }
        }
        int count = byWindow.values().stream().mapToInt(Integer::intValue).sum();
        int worst = byWindow.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Slow(count, size, byWindow.size(), (int) (last / WINDOW_NANOS) + 1, worst);
    }
}
