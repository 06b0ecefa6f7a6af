package parley.bench;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn in place. */
final class Progress {
    private static final int WIDTH = 30;
    private final PrintStream out = System.err;
    private final String label;
    private final long total;

    Progress(String label, long total) {
        this.label = label;
        this.total = total;
        show(0);
    }

    synchronized void show(long done) {
        int filled = (int) (WIDTH * Math.min(done, total) / Math.max(1, total));
        out.printf("\r  %-34s [%s%s] %3d%%", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                100 * Math.min(done, total) / Math.max(1, total));
        out.flush();
    }

    /** Runs {@code work} while a bar shows the time elapsed of {@code expected}. */
    static <T> T during(String label, java.time.Duration expected, java.util.concurrent.Callable<T> work)
            throws Exception {
        Progress bar = new Progress(label, expected.toMillis());
        long start = System.currentTimeMillis();
        Thread ticker = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                bar.show(System.currentTimeMillis() - start);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            return work.call();
        } finally {
            ticker.interrupt();
            ticker.join();
            bar.done();
        }
    }

    void done() {
        show(total);
        out.println();
    }
}
