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
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The load of {@link Load#fixedRate}: one thread sends each request at its scheduled time on a connection
 * that is free, another reads every connection's answers through one selector, as wrk2 does. With a
 * virtual thread per connection, each sleeping until its next request, the load generator spent 0.06–0.10
 * ms of CPU per request, half as much as the server, on the two cores it shares with it; this way
 * 0.04–0.05 ms (README, Performance).
 */
final class OpenLoop {
    private final double perSecond;
    private final long start = System.nanoTime() + 100_000_000;
    private final long skipped;
    private final long total;
    private final double measuredSeconds;
    private final Load.Requests requests;
    private final Queue<Connection> free = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Latencies latencies = new Latencies();
    private final Latencies lateness = new Latencies();

    /** Requests at {@code perSecond} for {@code warmup}, not counted, then for {@code measure}. */
    OpenLoop(double perSecond, Duration warmup, Duration measure, Load.Requests requests) {
        this.perSecond = perSecond;
        this.skipped = (long) (perSecond * warmup.toNanos() / 1e9);
        this.total = skipped + (long) (perSecond * measure.toNanos() / 1e9);
        this.measuredSeconds = measure.toNanos() / 1e9;
        this.requests = requests;
    }

    /** Runs the load on {@code clients} connections; answers the counted requests' latencies and lateness. */
    Load.Result run(int port, int clients) throws Exception {
        List<Connection> connections = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int client = 0; client < clients; client++) {
                Connection connection = new Connection(client, port);
                connections.add(connection);
                connection.channel.register(selector, SelectionKey.OP_READ, connection);
                free.add(connection);
            }
            Thread receiver = Thread.ofPlatform().name("bench-open-loop-receiver").start(() -> guarded(() -> receive(selector)));
            Thread sender = Thread.ofPlatform().name("bench-open-loop-sender").start(() -> guarded(this::send));
            sender.join();
            receiver.join();
            if (failure.get() != null) {
                throw new IllegalStateException("load failed: " + failure.get().getMessage(), failure.get());
            }
        } finally {
            for (Connection connection : connections) {
                connection.channel.close();
            }
        }
        return new Load.Result(total - skipped, measuredSeconds, latencies, lateness);
    }

    private void send() throws IOException {
        for (long i = 0; i < total && failure.get() == null; i++) {
            long scheduled = start + (long) (i * 1e9 / perSecond);
            for (long wait = scheduled - System.nanoTime(); wait > 0; wait = scheduled - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            Connection connection = free.poll();
            while (connection == null) { // every connection waits for an answer: so does this request
                if (failure.get() != null) {
                    return;
                }
                LockSupport.parkNanos(20_000);
                connection = free.poll();
            }
            long sent = System.nanoTime();
            connection.send(i, scheduled, requests.next(connection.client));
            if (i >= skipped) {
                lateness.add(Math.max(0, sent - scheduled));
            }
        }
    }

    private void receive(Selector selector) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        for (long answered = 0; answered < total && failure.get() == null; ) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Connection connection = (Connection) key.attachment();
                HttpConnection.Response response = connection.read(buffer);
                if (response != null) {
                    long done = System.nanoTime();
                    Load.check(connection.path, response);
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
    }

    private interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work}; its failure stops both threads and fails the load. */
    private void guarded(Work work) {
        try {
            work.run();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    /** A non-blocking connection, written by the sender and read by the receiver, one request at a time. */
    private static final class Connection {
        private final int client;
        private final SocketChannel channel;
        private final ResponseReader reader = new ResponseReader();
        private volatile long index;
        private volatile long scheduled;
        private volatile String path;

        private Connection(int client, int port) throws IOException {
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
}
