package parley.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * List Messages in a big site: pages of 30 walked newest to oldest through a long conversation, in a
 * site holding many messages in other conversations too. Seeded in bulk with SQL, not through HTTP.
 */
final class ListReads implements Section {
    static final double TARGET_P99_MS = 5;
    private static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]+)\"");

    @Override
    public String key() {
        return "list";
    }

    @Override
    public String title() {
        return "List Messages";
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        BenchContext.BenchSite site = context.site("Read benchmark");
        int others = 10_000;
        Seeding.conversations(context.database(), site.id(), "others-", others);
        Seeding.conversations(context.database(), site.id(), "long-", 1);
        Seeding.messages(context.database(), site.id(), "others-", others, settings.seededMessages(), "long-1",
                settings.readConversationMessages());
        // Bulk-loaded rows would otherwise wake autovacuum in the middle of the measurement; a table that
        // grew to this size in production would long since have been vacuumed.
        context.database().read(handle -> handle.execute("VACUUM (ANALYZE) messages"));
        context.database().read(handle -> handle.execute("CHECKPOINT"));
        ServerProcess server = context.server();

        ConcurrentHashMap<Integer, String> cursors = new ConcurrentHashMap<>();
        Load.Requests pages = new Load.Requests() {
            @Override
            public HttpConnection.Request next(int client) {
                String cursor = cursors.get(client);
                return site.get("/inbox/v2/messages?conversationId=" + Seeding.conversationId("long-1")
                        + "&visibility=BUSINESS&paging.limit=30" + (cursor == null ? "" : "&paging.cursor=" + cursor));
            }

            @Override
            public void answered(int client, String body) {
                Matcher next = NEXT.matcher(body);
                if (next.find()) {
                    cursors.put(client, next.group(1));
                } else {
                    cursors.remove(client);
                }
            }
        };
        Progress.during("warming up the read path's JIT", settings.jitWarmup(),
                () -> Load.closedLoop(server.port(), 4, settings.jitWarmup(), java.time.Duration.ZERO, pages));
        part.table("clients", "pages", "pages/s", "p50 ms", "p99 ms", "p99.9 ms", "target");
        for (int clients : new int[] {1, 8}) {
            cursors.clear();
            Load.Result result = Progress.during("List Messages, " + clients + " clients",
                    settings.warmup().plus(settings.measure()),
                    () -> Load.closedLoop(server.port(), clients, settings.warmup(), settings.measure(), pages));
            double p99 = result.latencies().percentileMillis(99);
            part.row(clients, result.requests(), result.perSecond(), result.latencies().percentileMillis(50), p99,
                    result.latencies().percentileMillis(99.9), "p99 ≤ 5 ms " + Report.verdict(p99 <= TARGET_P99_MS));
            part.figure("clients" + clients, java.util.Map.of("pagesPerSecond", result.perSecond(),
                    "p50ms", result.latencies().percentileMillis(50), "p99ms", p99));
        }
        part.endTable();
        part.note("The site holds " + Report.format(settings.seededMessages()) + " messages; the listed conversation "
                + Report.format((long) settings.readConversationMessages()) + ", one message in every "
                + Report.format(settings.seededMessages() / settings.readConversationMessages())
                + " of the table (spread through it, as a conversation's messages are among those of the site's "
                + "other conversations). Each client walks it page by page with `cursors.next`, newest first, and "
                + "starts over at the end.");
    }
}
