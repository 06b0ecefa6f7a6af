package parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live delivery to connected chat widgets: thousands of idle widget streams stay open while the business
 * replies into the conversations of a hundred active ones; each reply's latency runs from the moment its
 * Send Message answer arrives to the moment its event arrives on the visitor's stream.
 */
final class LiveDelivery implements Section {
    static final double TARGET_P99_MS = 50;
    private static final Pattern FIELD = Pattern.compile("\"(token|conversationId)\":\"([^\"]+)\"");

    @Override
    public String key() {
        return "live";
    }

    @Override
    public String title() {
        return "Live delivery";
    }

    private record Visitor(String token, String conversationId) {
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        int idle = settings.quick() ? 1_000 : 10_000;
        int active = settings.quick() ? 20 : 100;
        BenchContext.BenchSite site = context.site("Live delivery benchmark");
        ServerProcess server = context.server();
        List<Visitor> visitors = Progress.during("opening " + (idle + active) + " widget sessions",
                Duration.ofSeconds(settings.quick() ? 5 : 40), () -> sessions(server.port(), site, idle + active));
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        List<Socket> streams = new ArrayList<>();
        AtomicInteger open = new AtomicInteger();
        Progress.during("connecting " + (idle + active) + " streams", Duration.ofSeconds(settings.quick() ? 5 : 30),
                () -> {
                    for (int i = 0; i < visitors.size(); i++) {
                        streams.add(stream(server.port(), visitors.get(i), i < active ? arrived : null, open));
                    }
                    while (open.get() < visitors.size()) {
                        Thread.sleep(10);
                    }
                    return null;
                });
        double connectedMiB = server.residentMiB();
        List<Visitor> talking = visitors.subList(0, active);
        AtomicInteger next = new AtomicInteger();
        // The business replies to the active visitors in turn, at about 100 messages a second in all.
        Answered replies = new Answered(client -> site.post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT",
                 "content": {"basic": {"items": [{"text": "Your order is on its way."}]}}}}
                """.formatted(talking.get(Math.floorMod(next.getAndIncrement(), talking.size())).conversationId())));
        Map<String, Long> answered = replies.at;
        // As in every section, the JIT first compiles the paths measured (send, wake, stream write): the
        // first replies into a fresh server take tens of milliseconds for that alone.
        Progress.during("warming up the delivery path's JIT", settings.jitWarmup(),
                () -> Load.fixedRate(server.port(), 100, 4, Duration.ZERO, settings.jitWarmup(), replies));
        replies.measure();
        Progress.during("replying to " + active + " visitors", settings.measure(),
                () -> Load.fixedRate(server.port(), 100, 4, Duration.ZERO, settings.measure(), replies));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!arrived.keySet().containsAll(answered.keySet()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Latencies latencies = new Latencies();
        long missing = 0;
        for (Map.Entry<String, Long> answer : answered.entrySet()) {
            Long arrival = arrived.get(answer.getKey());
            if (arrival == null) {
                missing++;
            } else {
                latencies.add(Math.max(0, arrival - answer.getValue())); // the event may beat the answer
            }
        }
        for (Socket stream : streams) {
            stream.close();
        }
        double p99 = latencies.percentileMillis(99);
        part.table("streams open", "replies", "p50 ms", "p99 ms", "p99.9 ms", "not delivered", "server MiB", "target");
        part.row(idle + active, answered.size(), latencies.percentileMillis(50), p99,
                latencies.percentileMillis(99.9), missing, connectedMiB,
                "p99 ≤ 50 ms " + Report.verdict(p99 <= TARGET_P99_MS && missing == 0));
        part.endTable();
        part.note(idle + " idle and " + active + " active chat-widget streams (`/parley/v1/widget/stream`, one "
                + "socket each) stay open; the business sends about 100 replies a second to the active visitors' "
                + "conversations. Latency runs from the Send Message answer reaching the client to the reply's "
                + "event reaching the visitor's stream (both read by the load generator). Server MiB: the server "
                + "JVM's resident memory with every stream open.");
        part.figure("p99ms", p99);
        part.figure("notDelivered", missing);
        part.figure("streams", idle + active);
    }

    private static List<Visitor> sessions(int port, BenchContext.BenchSite site, int count) throws Exception {
        List<Visitor> visitors = new ArrayList<>();
        try (HttpConnection connection = new HttpConnection(port)) {
            for (int i = 0; i < count; i++) {
                HttpConnection.Response response = connection.send(new HttpConnection.Request("POST",
                        "/parley/v1/widget/session", "", "{\"siteId\": \"" + site.id() + "\"}"));
                Matcher fields = FIELD.matcher(response.body());
                String token = null;
                String conversation = null;
                while (fields.find()) {
                    if (fields.group(1).equals("token")) {
                        token = fields.group(2);
                    } else {
                        conversation = fields.group(2);
                    }
                }
                visitors.add(new Visitor(token, conversation));
            }
        }
        return visitors;
    }

    /** Opens a widget stream; when {@code arrivals} is given, notes when each message arrives on it. */
    private static Socket stream(int port, Visitor visitor, Map<String, Long> arrivals, AtomicInteger open)
            throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /parley/v1/widget/stream?token=" + visitor.token() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8))) {
                boolean counted = false;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!counted && line.startsWith(":")) { // the stream's first comment: it is open
                        open.incrementAndGet();
                        counted = true;
                    } else if (arrivals != null && line.startsWith("data:")) {
                        long now = System.nanoTime();
                        Matcher id = Answered.MESSAGE_ID.matcher(line);
                        if (id.find()) {
                            arrivals.put(id.group(1), now);
                        }
                    }
                }
            } catch (IOException e) {
                // closed at the end of the run
            }
        });
        return socket;
    }
}
