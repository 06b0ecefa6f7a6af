package parley.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every client sends into one conversation: how fast one busy thread can go, with its order kept. */
final class HotConversation implements Section {
    static final double TARGET_PER_SECOND = 300;
    private static final Pattern SEQUENCE = Pattern.compile("\"sequence\":\"(\\d+)\"");

    @Override
    public String key() {
        return "hot";
    }

    @Override
    public String title() {
        return "Hot conversation";
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        BenchContext.BenchSite site = context.site("Hot conversation benchmark");
        Seeding.conversations(context.database(), site.id(), "hot-", 1);
        ServerProcess server = context.server();
        ConcurrentHashMap<Integer, Long> lastSeen = new ConcurrentHashMap<>();
        AtomicLong outOfOrder = new AtomicLong();
        Load.Requests sends = new Load.Requests() {
            @Override
            public HttpConnection.Request next(int client) {
                return SendThroughput.send(site, "hot-1");
            }

            @Override
            public void answered(int client, String body) {
                Matcher matcher = SEQUENCE.matcher(body);
                long sequence = matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
                Long previous = lastSeen.put(client, sequence);
                if (previous != null && previous >= sequence) {
                    outOfOrder.incrementAndGet();
                }
            }
        };
        Load.Result result = Progress.during("Parley, " + settings.hotConcurrency() + " clients, one conversation",
                settings.warmup().plus(settings.measure()),
                () -> Load.closedLoop(server.port(), settings.hotConcurrency(), settings.warmup(), settings.measure(),
                        sends));
        part.table("clients", "msg/s", "p50 ms", "p99 ms", "answers out of order", "target");
        part.row(settings.hotConcurrency(), result.perSecond(), result.latencies().percentileMillis(50),
                result.latencies().percentileMillis(99), outOfOrder.get(),
                "≥ 300 msg/s " + Report.verdict(result.perSecond() >= TARGET_PER_SECOND && outOfOrder.get() == 0));
        part.endTable();
        part.note("Order: each client checks that every answer carries a higher sequence than its previous one.");
        part.figure("messagesPerSecond", result.perSecond());
        part.figure("p99ms", result.latencies().percentileMillis(99));
        part.figure("outOfOrder", outOfOrder.get());
    }
}
