package parley.bench;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The agent workspace's reads in a big site: the inbox list under combined filters, its view counts, and message
 * search. The site holds many conversations with statuses, assignees, teams and labels, and many messages of
 * varied words; all seeded in bulk with SQL. One client: these are one agent's clicks and keystrokes.
 */
final class WorkspaceReads implements Section {
    static final double TARGET_LIST_P99_MS = 10;
    static final double TARGET_SEARCH_P99_MS = 50;
    private static final int AGENTS = 12;
    private static final int TEAMS = 4;
    private static final int LABELS = 6;
    /** Words per message, each drawn from {@link #VOCABULARY} words: each word is in about 0.16% of messages. */
    private static final int WORDS = 8;
    private static final int VOCABULARY = 5_000;

    @Override
    public String key() {
        return "workspace";
    }

    @Override
    public String title() {
        return "Agent workspace: inbox filters and search";
    }

    private record Kind(String name, double target, Load.Requests requests) {
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        int conversations = settings.quick() ? 10_000 : 100_000;
        long messages = settings.seededMessages();
        BenchContext.BenchSite site = context.site("Workspace benchmark");
        Seeding.workspace(context.database(), site.id(), conversations, AGENTS, TEAMS, LABELS);
        Seeding.wordyMessages(context.database(), site.id(), conversations, messages, WORDS, VOCABULARY);
        context.database().read(handle -> handle.execute("VACUUM (ANALYZE) conversations, conversation_labels, messages"));
        context.database().read(handle -> handle.execute("CHECKPOINT"));
        List<UUID> agents = ids(context, "SELECT user_id FROM dashboard_users WHERE site_id = :site", site.id());
        List<UUID> teams = ids(context, "SELECT team_id FROM teams WHERE site_id = :site", site.id());
        List<UUID> labels = ids(context, "SELECT label_id FROM labels WHERE site_id = :site", site.id());
        ServerProcess server = context.server();

        Load.Requests mine = client -> site.get("/parley/v1/conversations?status=OPEN&limit=50&assignee="
                + random(agents));
        Load.Requests labelled = client -> site.get("/parley/v1/conversations?status=OPEN,PENDING&limit=50&label="
                + random(labels));
        Load.Requests everything = client -> site.get("/parley/v1/conversations?status=OPEN&limit=50&team="
                + random(teams) + "&label=" + random(labels) + "&channel=CHAT&assignee=" + random(agents));
        Load.Requests counts = client -> site.get("/parley/v1/conversations/counts?status=OPEN&label=" + random(labels));
        Load.Requests oneWord = client -> site.get("/parley/v1/search?limit=20&q=" + Seeding.word(random(VOCABULARY)));
        Load.Requests prefix = client -> site.get("/parley/v1/search?limit=20&q="
                + Seeding.word(random(VOCABULARY)).substring(0, 4));
        Load.Requests twoWords = client -> site.get("/parley/v1/search?limit=20&q=" + Seeding.word(random(VOCABULARY))
                + "+" + Seeding.word(random(VOCABULARY)));

        Progress.during("warming up the workspace's JIT", settings.jitWarmup(),
                () -> Load.closedLoop(server.port(), 2, settings.jitWarmup(), java.time.Duration.ZERO, everything));
        part.table("request", "requests/s", "p50 ms", "p99 ms", "p99.9 ms", "target");
        for (Kind kind : List.of(new Kind("list: open, one assignee", TARGET_LIST_P99_MS, mine),
                new Kind("list: open or pending, one label", TARGET_LIST_P99_MS, labelled),
                new Kind("list: status × assignee × team × label × channel", TARGET_LIST_P99_MS, everything),
                new Kind("counts: open, one label", 0, counts),
                new Kind("search: one word", TARGET_SEARCH_P99_MS, oneWord),
                new Kind("search: a 4-letter prefix", TARGET_SEARCH_P99_MS, prefix),
                new Kind("search: two words", TARGET_SEARCH_P99_MS, twoWords))) {
            Load.Result result = Progress.during(kind.name(), settings.warmup().plus(settings.measure()),
                    () -> Load.closedLoop(server.port(), 1, settings.warmup(), settings.measure(), kind.requests()));
            double p99 = result.latencies().percentileMillis(99);
            part.row(kind.name(), result.perSecond(), result.latencies().percentileMillis(50), p99,
                    result.latencies().percentileMillis(99.9),
                    kind.target() > 0 ? "p99 ≤ " + Report.format(kind.target()) + " ms " + Report.verdict(p99 <= kind.target())
                            : "");
            part.figure(kind.name(), Map.of("requestsPerSecond", result.perSecond(),
                    "p50ms", result.latencies().percentileMillis(50), "p99ms", p99));
        }
        part.endTable();
        part.note("The site holds " + Report.format(conversations) + " conversations (60% open, 10% pending, 10% snoozed, "
                + "20% resolved; " + AGENTS + " agents, 1 in 6 unassigned; " + TEAMS + " teams; " + LABELS + " labels, "
                + "about one conversation in three labelled) and " + Report.format(messages) + " messages of " + WORDS
                + " words each, drawn from " + Report.format(VOCABULARY) + " words (a word is in about 0.16% of "
                + "messages). One client; each request draws new values. Lists ask for 50 conversations; search "
                + "answers the 20 newest matching messages with their highlighted snippets and up to 20 contacts.");
    }

    private static List<UUID> ids(BenchContext context, String sql, UUID site) throws Exception {
        return context.database().read(handle -> handle.createQuery(sql).bind("site", site).mapTo(UUID.class).list());
    }

    private static <T> T random(List<T> values) {
        return values.get(ThreadLocalRandom.current().nextInt(values.size()));
    }

    private static int random(int bound) {
        return ThreadLocalRandom.current().nextInt(bound);
    }
}
