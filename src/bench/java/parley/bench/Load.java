package parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP load against the server: closed-loop clients (each sends its next request when the last one was
 * answered), or a fixed arrival rate for latency at a given throughput. Each client is a virtual thread
 * with its own keep-alive {@link HttpConnection}. Any non-200 answer stops the run: figures of failing
 * requests would be meaningless.
 */
final class Load {
    private Load() {
    }

    /** What one client sends next; {@code client} is the client's number, for per-client state. */
    interface Requests {
        HttpConnection.Request next(int client);

        /** Called with each answer's body, e.g. to check order; the default ignores it. */
        default void answered(int client, String body) {
        }
    }

    /**
     * {@code lateness}: how late the load generator itself sent each request; {@code timeline}: when each was
     * scheduled and how long it took (both open loop only, else empty).
     */
    record Result(long requests, double seconds, Latencies latencies, Latencies lateness, Timeline timeline) {
        double perSecond() {
            return requests / seconds;
        }
    }

    /** {@code clients} closed-loop clients for warmup + measure; counts only the measured window. */
    static Result closedLoop(int port, int clients, Duration warmup, Duration measure, Requests requests)
            throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measure.toNanos();
        Latencies latencies = new Latencies();
        AtomicLong counted = new AtomicLong();
        run(port, clients, (client, connection) -> {
            while (true) {
                long start = System.nanoTime();
                if (start >= end) {
                    return;
                }
                send(connection, client, requests);
                long done = System.nanoTime();
                if (start >= measureFrom && done <= end) {
                    latencies.add(done - start);
                    counted.incrementAndGet();
                }
            }
        });
        return new Result(counted.get(), measure.toNanos() / 1e9, latencies, new Latencies(), new Timeline());
    }

    /**
     * Requests arrive at {@code perSecond} however fast they are answered, from up to {@code clients}
     * connections; latency counts from each request's scheduled time, so a slow answer is not hidden by
     * the requests it delayed. As in {@link #closedLoop}, only requests scheduled after {@code warmup} are
     * counted: the first seconds of a new load on new connections measure the change, not the rate.
     */
    static Result fixedRate(int port, double perSecond, int clients, Duration warmup, Duration measure,
                            Requests requests) throws InterruptedException {
        long start = System.nanoTime() + 100_000_000;
        long skipped = (long) (perSecond * warmup.toNanos() / 1e9);
        long total = skipped + (long) (perSecond * measure.toNanos() / 1e9);
        AtomicLong next = new AtomicLong();
        Latencies latencies = new Latencies();
        Latencies lateness = new Latencies();
        Timeline timeline = new Timeline();
        long measureFrom = start + (long) (skipped * 1e9 / perSecond);
        run(port, clients, (client, connection) -> {
            for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                long scheduled = start + (long) (i * 1e9 / perSecond);
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                long sent = System.nanoTime();
                send(connection, client, requests);
                if (i >= skipped) {
                    long latency = System.nanoTime() - scheduled;
                    latencies.add(latency);
                    lateness.add(Math.max(0, sent - scheduled));
                    timeline.add(scheduled - measureFrom, latency);
                }
            }
        });
        return new Result(total - skipped, measure.toNanos() / 1e9, latencies, lateness, timeline);
    }

    private static void send(HttpConnection connection, int client, Requests requests) throws Exception {
        HttpConnection.Request request = requests.next(client);
        HttpConnection.Response response = connection.send(request);
        if (response.status() != 200) {
            throw new IllegalStateException(request.path() + " answered " + response.status() + ": " + response.body());
        }
        requests.answered(client, response.body());
    }

    private interface Client {
        void run(int client, HttpConnection connection) throws Exception;
    }

    private static void run(int port, int clients, Client body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (HttpConnection connection = new HttpConnection(port)) {
                    body.run(client, connection);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("load failed: " + failures.getFirst().getMessage(), failures.getFirst());
        }
    }
}
