package parley.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A webhook receiver for tests: a real HTTP server on a free port that answers from a script (a status
 * code, or one of the misbehaviours below), then with its usual answer (200 unless told otherwise), and
 * keeps every request it accepted with a 2xx. It counts the requests it holds open at once.
 */
public final class Receiver implements AutoCloseable {
    /** No answer for 3 s, past the tests' time-out; then 503. */
    public static final int HANG = -1;
    /** No answer at all while the receiver runs. */
    public static final int STALL = -2;
    /** 200 and its headers at once, then the body one byte every 100 ms, without end. */
    public static final int DRIP = -3;
    /** 500 with a body that never ends, as fast as the sender reads it. */
    public static final int FLOOD = -4;

    public record Request(String body, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
    private final int usually;
    private final List<Request> accepted = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();
    private volatile int attempts;

    public Receiver(Integer... answers) {
        this(List.of(answers), 200);
    }

    /** A receiver that always answers {@code answer}. */
    public static Receiver always(int answer) {
        return new Receiver(List.of(), answer);
    }

    private Receiver(List<Integer> answers, int usually) {
        this.usually = usually;
        script.addAll(answers);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", exchange -> {
            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            try {
                receive(exchange);
            } finally {
                open.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
    }

    private void receive(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
        attempts++;
        Integer scripted = script.poll();
        int status = scripted == null ? usually : scripted;
        switch (status) {
            case HANG -> {
                sleep(Duration.ofSeconds(3));
                status = 503;
            }
            case STALL -> {
                awaitClose();
                return;
            }
            case DRIP -> {
                endless(exchange, 200, new byte[] {'.'}, Duration.ofMillis(100));
                return;
            }
            case FLOOD -> {
                endless(exchange, 500, "nope ".repeat(1000).getBytes(StandardCharsets.US_ASCII), Duration.ZERO);
                return;
            }
            default -> {
            }
        }
        if (status / 100 == 2) {
            synchronized (accepted) {
                accepted.add(new Request(body, headers));
            }
        }
        exchange.sendResponseHeaders(status, -1);
    }

    /** Writes {@code chunk} again and again until the sender goes away (or the receiver closes). */
    private void endless(HttpExchange exchange, int status, byte[] chunk, Duration pause) {
        try {
            exchange.sendResponseHeaders(status, 0);
            OutputStream out = exchange.getResponseBody();
            while (closed.getCount() > 0) {
                out.write(chunk);
                out.flush();
                sleep(pause);
            }
        } catch (IOException senderLeft) {
            // what the test waits for
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    public int attempts() {
        return attempts;
    }

    /** Requests being answered right now. */
    public int open() {
        return open.get();
    }

    /** The most requests this receiver held open at once. */
    public int mostOpen() {
        return mostOpen.get();
    }

    public List<Request> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    /** Waits (up to 30 s) until the accepted requests satisfy {@code done}; returns them. */
    public List<Request> await(Predicate<List<Request>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.test(accepted())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the receiver got only " + accepted().size() + " deliveries after "
                        + attempts + " attempts");
            }
            sleep(Duration.ofMillis(20));
        }
        return accepted();
    }

    /** Drops the rest of the script: from now on every request is answered 200. */
    public void recover() {
        script.clear();
    }

    private void awaitClose() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
