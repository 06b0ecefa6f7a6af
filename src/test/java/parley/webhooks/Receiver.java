package parley.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Predicate;

/**
 * A webhook receiver for tests: a real HTTP server on a free port that answers from a script (a status
 * code, or "hang" past the sender's time-out), then 200, and keeps every request it accepted with a 2xx.
 */
public final class Receiver implements AutoCloseable {
    public static final int HANG = -1;

    public record Request(String body, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final Deque<Integer> script = new ConcurrentLinkedDeque<>();
    private final List<Request> accepted = new ArrayList<>();
    private volatile int attempts;

    public Receiver(Integer... answers) {
        script.addAll(List.of(answers));
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.getFirst()));
            attempts++;
            Integer answer = script.poll();
            int status = answer == null ? 200 : answer;
            if (status == HANG) {
                sleep(Duration.ofSeconds(3));
                status = 503;
            }
            if (status / 100 == 2) {
                synchronized (accepted) {
                    accepted.add(new Request(body, headers));
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    public int attempts() {
        return attempts;
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
