package parley.live;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import parley.web.Json;

/** A test's Server-Sent Events client: reads the stream on its own thread, as a browser's EventSource does. */
public final class SseStream implements AutoCloseable {
    /** An event; {@code id} is -1 when it had none (a typing signal), {@code event} "message" unless named. */
    public record Received(long id, String event, JsonNode data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);

    private SseStream(HttpResponse<InputStream> response) {
        this.response = response;
        Thread.ofVirtual().start(this::read);
    }

    /** Opens {@code url} with this {@code Authorization} (or none when null); {@code lastEventId} may be null. */
    public static SseStream open(String url, String authorization, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("stream answered " + response.statusCode() + ": "
                    + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new SseStream(response);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            long id = -1;
            String event = "message";
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    events.add(new Received(id, event, Json.MAPPER.readTree(data.toString())));
                    data.setLength(0);
                    id = -1;
                    event = "message";
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            ended.countDown();
        }
    }

    /** Waits until the server ends the stream, failing when it does not within a few seconds. */
    void awaitEnd() throws InterruptedException {
        if (!ended.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the stream did not end");
        }
    }

    /** The next {@code count} events, failing when they do not all come within a few seconds. */
    public List<Received> take(int count) throws InterruptedException {
        List<Received> taken = new ArrayList<>();
        while (taken.size() < count) {
            Received next = events.poll(10, TimeUnit.SECONDS);
            if (next == null) {
                throw new AssertionError("expected " + count + " events, got " + taken);
            }
            taken.add(next);
        }
        return taken;
    }

    int comments() {
        return comments.get();
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
