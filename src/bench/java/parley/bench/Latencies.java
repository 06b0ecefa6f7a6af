package parley.bench;

import java.util.Arrays;

/** Recorded latencies in nanoseconds and the percentiles of them. */
final class Latencies {
    private long[] values = new long[1 << 12];
    private int size;
    private boolean sorted = true;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
        sorted = false;
    }

    /** The p-th percentile in milliseconds, p in [0, 100]; the samples are sorted once, on first ask. */
    synchronized double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
        int index = (int) Math.ceil(p / 100.0 * size) - 1;
        return values[Math.max(0, Math.min(size - 1, index))] / 1e6;
    }
}
