package parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import parley.web.Json;

/**
 * Webhook delivery: (1) how many events a second reach a fast local receiver, from a backlog the
 * subscription is turned on to; (2) the delivery latency of a healthy subscription while another
 * subscription's receiver accepts connections and never answers, with a thousand of its events pending.
 */
final class WebhookDelivery implements Section {
    static final double TARGET_P99_MS = 1000;
    private static final Pattern WEBHOOK_ID = Pattern.compile("\"webhook\":\\{\"id\":\"([^\"]+)\"");

    @Override
    public String key() {
        return "webhooks";
    }

    @Override
    public String title() {
        return "Webhook delivery";
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        ServerProcess server = context.server();
        try (Receiver fast = new Receiver(); Hanging hanging = new Hanging()) {
            double perSecond = throughput(context, server, fast, settings.quick() ? 2_000 : 20_000);
            Latencies latencies = whileAnotherHangs(context, server, hanging, settings);
            double p99 = latencies.percentileMillis(99);
            part.table("delivered events/s", "p50 ms, another hanging", "p99 ms, another hanging", "target");
            part.row(perSecond, latencies.percentileMillis(50), p99, "p99 < 1 s " + Report.verdict(p99 < TARGET_P99_MS));
            part.endTable();
            part.note("Delivered events/s: a subscription is turned off, a backlog of message events is written into "
                    + "500 conversations, and the subscription is turned on; the figure is the backlog over the time "
                    + "until a local receiver (answering 200 at once) has every event. Latency: a second site's "
                    + "receiver accepts connections and never answers, with 1,000 of its events (one per "
                    + "conversation) pending; a healthy subscription's events are sent at 20 a second, and each "
                    + "latency runs from the Send Message answer to the event's arrival at its receiver.");
            part.figure("eventsPerSecond", perSecond);
            part.figure("p99msWhileAnotherHangs", p99);
        }
    }

    private static double throughput(BenchContext context, ServerProcess server, Receiver receiver, int events)
            throws Exception {
        BenchContext.BenchSite site = context.site("Webhook throughput benchmark");
        String hook = subscribe(server, site, receiver.url());
        call(server, site.patch(hook, "{\"enabled\": false}"));
        List<String> conversations = conversations(server, site, 500);
        AtomicInteger next = new AtomicInteger();
        Progress.during("writing " + events + " events", Duration.ofSeconds(events / 2_000 + 1), () ->
                Load.fixedRate(server.port(), 4_000, 8, Duration.ZERO, Duration.ofMillis(events / 4), client ->
                        send(site, conversations.get(Math.floorMod(next.getAndIncrement(), conversations.size())))));
        int written = next.get();
        long start = System.nanoTime();
        call(server, site.patch(hook, "{\"enabled\": true}"));
        Progress.during("delivering " + written + " events", Duration.ofSeconds(written / 1_000 + 1), () -> {
            while (receiver.arrived.size() < written) {
                Thread.sleep(5);
            }
            return null;
        });
        return written / ((System.nanoTime() - start) / 1e9);
    }

    private static Latencies whileAnotherHangs(BenchContext context, ServerProcess server, Hanging hanging,
                                               BenchSettings settings) throws Exception {
        BenchContext.BenchSite stuck = context.site("Webhook benchmark: a receiver that hangs");
        subscribe(server, stuck, hanging.url());
        for (String conversation : conversations(server, stuck, 1_000)) {
            call(server, send(stuck, conversation));
        }
        BenchContext.BenchSite healthy = context.site("Webhook benchmark: a healthy receiver");
        try (Receiver receiver = new Receiver()) {
            subscribe(server, healthy, receiver.url());
            List<String> conversations = conversations(server, healthy, 20);
            AtomicInteger next = new AtomicInteger();
            Answered sends = new Answered(client ->
                    send(healthy, conversations.get(Math.floorMod(next.getAndIncrement(), conversations.size()))));
            Map<String, Long> answered = sends.at;
            Progress.during("warming up", settings.warmup(),
                    () -> Load.fixedRate(server.port(), 20, 2, Duration.ZERO, settings.warmup(), sends));
            sends.measure();
            Duration measure = settings.measure().multipliedBy(2);
            Progress.during("sending while another receiver hangs", measure,
                    () -> Load.fixedRate(server.port(), 20, 2, Duration.ZERO, measure, sends));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!receiver.arrived.keySet().containsAll(answered.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Latencies latencies = new Latencies();
            answered.forEach((id, at) -> {
                Long arrival = receiver.arrived.get(id);
                // not delivered within the 30 s wait: counted at the wait, so the percentiles show it
                latencies.add(Math.max(0, (arrival == null ? System.nanoTime() : arrival) - at));
            });
            return latencies;
        }
    }

    private static String subscribe(ServerProcess server, BenchContext.BenchSite site, String url) throws Exception {
        Matcher id = WEBHOOK_ID.matcher(call(server, site.post("/parley/v1/webhooks", "{\"url\": \"" + url + "\"}")));
        if (!id.find()) {
            throw new IllegalStateException("no webhook id in the answer");
        }
        return "/parley/v1/webhooks/" + id.group(1);
    }

    private static List<String> conversations(ServerProcess server, BenchContext.BenchSite site, int count)
            throws Exception {
        List<String> ids = new ArrayList<>();
        Pattern id = Pattern.compile("\"conversation\":\\{\"id\":\"([^\"]+)\"");
        try (HttpConnection connection = new HttpConnection(server.port())) {
            for (int i = 0; i < count; i++) {
                Matcher found = id.matcher(connection.send(site.post("/inbox/v2/conversations",
                        "{\"participantId\": {\"anonymousVisitorId\": \"" + java.util.UUID.randomUUID() + "\"}}"))
                        .body());
                if (!found.find()) {
                    throw new IllegalStateException("no conversation id in the answer");
                }
                ids.add(found.group(1));
            }
        }
        return ids;
    }

    private static HttpConnection.Request send(BenchContext.BenchSite site, String conversation) {
        return site.post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "Hello"}]}}}}
                """.formatted(conversation));
    }

    private static String call(ServerProcess server, HttpConnection.Request request) throws Exception {
        try (HttpConnection connection = new HttpConnection(server.port())) {
            HttpConnection.Response response = connection.send(request);
            if (response.status() != 200) {
                throw new IllegalStateException(request.method() + " " + request.path() + ": " + response.body());
            }
            return response.body();
        }
    }

    /** Answers 200 at once and notes when each message's event arrived, by message id (the entity id). */
    private static final class Receiver implements AutoCloseable {
        final Map<String, Long> arrived = new ConcurrentHashMap<>();
        private final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                String jwt = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.US_ASCII);
                long now = System.nanoTime();
                arrived.putIfAbsent(entityId(jwt), now);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        /** The JWT's claims → {@code data} (a JSON string) → its {@code data} (again) → {@code entityId}. */
        private static String entityId(String jwt) throws IOException {
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
            JsonNode envelope = Json.MAPPER.readTree(claims.get("data").asText());
            return Json.MAPPER.readTree(envelope.get("data").asText()).get("entityId").asText();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Accepts connections and never answers, until closed. */
    private static final class Hanging implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 1024, java.net.InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();

        Hanging() throws IOException {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket connection = socket.accept();
                        synchronized (accepted) {
                            accepted.add(connection);
                        }
                    }
                } catch (IOException closed) {
                    // the run is over
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/hooks";
        }

        @Override
        public void close() throws IOException {
            socket.close();
            synchronized (accepted) {
                for (Socket connection : accepted) {
                    connection.close();
                }
            }
        }
    }
}
