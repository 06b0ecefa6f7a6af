package parley.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP load against the server: closed-loop clients (each sends its next request when the last one was
 * answered), or a fixed arrival rate for latency at a given throughput. Each closed-loop client is a
 * virtual thread with its own keep-alive {@link HttpConnection}; the fixed rate's connections are
 * non-blocking, written by one thread and read by another. Any non-200 answer stops the run: figures of
 * failing requests would be meaningless.
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

    /** {@code lateness}: how late the load generator itself sent each request (open loop only, else empty). */
    record Result(long requests, double seconds, Latencies latencies, Latencies lateness) {
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
        return new Result(counted.get(), measure.toNanos() / 1e9, latencies, new Latencies());
    }

    /**
     * Requests arrive at {@code perSecond} however fast they are answered, from up to {@code clients}
     * connections; latency counts from each request's scheduled time, so a slow answer is not hidden by
     * the requests it delayed. As in {@link #closedLoop}, only requests scheduled after {@code warmup} are
     * counted: the first seconds of a new load on new connections measure the change, not the rate.
     *
     * <p>One thread sends each request at its time on a connection that is free, another reads every
     * connection's answers through one selector, as wrk2 does. With a virtual thread per connection, each
     * sleeping until its next request, the load generator spent 0.06–0.10 ms of CPU per request, more
     * than half of what the server spent, on the two cores it shares with it (README, Performance).
     */
    static Result fixedRate(int port, double perSecond, int clients, Duration warmup, Duration measure,
                            Requests requests) throws Exception {
        long start = System.nanoTime() + 100_000_000;
        long skipped = (long) (perSecond * warmup.toNanos() / 1e9);
        long total = skipped + (long) (perSecond * measure.toNanos() / 1e9);
        Latencies latencies = new Latencies();
        Latencies lateness = new Latencies();
        List<OpenConnection> connections = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            Queue<OpenConnection> free = new ConcurrentLinkedQueue<>();
            for (int client = 0; client < clients; client++) {
                OpenConnection connection = new OpenConnection(client, port);
                connections.add(connection);
                connection.channel.register(selector, SelectionKey.OP_READ, connection);
                free.add(connection);
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread receiver = Thread.ofPlatform().name("bench-open-loop-receiver").start(() -> {
                try {
                    ByteBuffer read = ByteBuffer.allocate(16 * 1024);
                    for (long answered = 0; answered < total && failure.get() == null; ) {
                        selector.select(100);
                        for (SelectionKey key : selector.selectedKeys()) {
                            OpenConnection connection = (OpenConnection) key.attachment();
                            HttpConnection.Response response = connection.read(read);
                            if (response != null) {
                                long done = System.nanoTime();
                                check(connection.path, response);
                                requests.answered(connection.client, response.body());
                                if (connection.index >= skipped) {
                                    latencies.add(done - connection.scheduled);
                                }
                                answered++;
                                free.add(connection);
                            }
                        }
                        selector.selectedKeys().clear();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            Thread sender = Thread.ofPlatform().name("bench-open-loop-sender").start(() -> {
                try {
                    for (long i = 0; i < total && failure.get() == null; i++) {
                        long scheduled = start + (long) (i * 1e9 / perSecond);
                        for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        OpenConnection connection = free.poll();
                        while (connection == null && failure.get() == null) { // all waiting for answers: so does this one
                            LockSupport.parkNanos(20_000);
                            connection = free.poll();
                        }
                        if (connection == null) {
                            return;
                        }
                        long sent = System.nanoTime();
                        connection.send(i, scheduled, requests.next(connection.client));
                        if (i >= skipped) {
                            lateness.add(Math.max(0, sent - scheduled));
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            sender.join();
            receiver.join();
            if (failure.get() != null) {
                throw new IllegalStateException("load failed: " + failure.get().getMessage(), failure.get());
            }
        } finally {
            for (OpenConnection connection : connections) {
                connection.channel.close();
            }
        }
        return new Result(total - skipped, measure.toNanos() / 1e9, latencies, lateness);
    }

    /** A connection of the open loop: written by the sender, read by the receiver, one request at a time. */
    private static final class OpenConnection {
        private final int client;
        private final SocketChannel channel;
        private final ResponseReader reader = new ResponseReader();
        private volatile long index;
        private volatile long scheduled;
        private volatile String path;

        private OpenConnection(int client, int port) throws IOException {
            this.client = client;
            this.channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
        }

        void send(long index, long scheduled, HttpConnection.Request request) throws IOException {
            this.index = index;
            this.scheduled = scheduled;
            this.path = request.path();
            ByteBuffer bytes = ByteBuffer.wrap(request.bytes());
            while (bytes.hasRemaining()) { // a free connection's socket buffer takes a request at once
                if (channel.write(bytes) == 0) {
                    Thread.onSpinWait();
                }
            }
        }

        /** Reads what arrived; the answer once it is whole, else null. */
        HttpConnection.Response read(ByteBuffer buffer) throws IOException {
            buffer.clear();
            int read = channel.read(buffer);
            if (read < 0) {
                throw new IOException("connection closed by the server");
            }
            reader.add(buffer.array(), 0, read);
            return reader.next();
        }
    }

    private static void send(HttpConnection connection, int client, Requests requests) throws Exception {
        HttpConnection.Request request = requests.next(client);
        HttpConnection.Response response = connection.send(request);
        check(request.path(), response);
        requests.answered(client, response.body());
    }

    private static void check(String path, HttpConnection.Response response) {
        if (response.status() != 200) {
            throw new IllegalStateException(path + " answered " + response.status() + ": " + response.body());
        }
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
