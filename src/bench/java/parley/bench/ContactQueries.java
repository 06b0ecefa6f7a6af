package parley.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Query Contacts in a site of many contacts: the lookup every integration starts with (one email), a
 * name prefix as a search box sends it, and a compound filter. Each request picks new random values, so
 * the figures are not one cached row.
 */
final class ContactQueries implements Section {
    static final double TARGET_EMAIL_P99_MS = 5;
    static final double TARGET_PREFIX_P99_MS = 20;
    static final double TARGET_COMPOUND_P99_MS = 50;
    private static final String QUERY = "/contacts/v4/contacts/query";

    @Override
    public String key() {
        return "contacts";
    }

    @Override
    public String title() {
        return "Contact queries";
    }

    /**
     * One kind of query and its p99 target (0: none), judged at one client: with 8 closed-loop clients the two
     * cores are saturated and the tail is mostly queueing.
     */
    private record Kind(String name, double targetP99, Load.Requests requests) {
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        long contacts = settings.seededContacts();
        BenchContext.BenchSite site = context.site("Contacts benchmark");
        Seeding.contacts(context.database(), site.id(), contacts);
        context.database().read(handle -> handle.execute("VACUUM (ANALYZE) contacts, contact_values"));
        context.database().read(handle -> handle.execute("CHECKPOINT"));
        ServerProcess server = context.server();

        ConcurrentHashMap<Integer, String> expected = new ConcurrentHashMap<>();
        Load.Requests emails = new Load.Requests() {
            @Override
            public HttpConnection.Request next(int client) {
                String email = Seeding.contactEmail(ThreadLocalRandom.current().nextLong(1, contacts + 1));
                expected.put(client, email);
                return site.post(QUERY, "{\"query\": {\"filter\": {\"info.emails.email\": {\"$eq\": \""
                        + email.toUpperCase(java.util.Locale.ROOT) + "\"}}}}");
            }

            @Override
            public void answered(int client, String body) {
                // Asked in upper case: the answer must still be that one contact (wix-compatibility D-14).
                if (!body.contains("\"email\":\"" + expected.get(client) + "\"") || !body.contains("\"count\":1,")) {
                    throw new IllegalStateException("email query did not find its one contact: " + body);
                }
            }
        };
        Load.Requests namePrefixes = client -> {
            String last = random(Seeding.LAST_NAMES);
            return site.post(QUERY, "{\"query\": {\"filter\": {\"info.name.last\": {\"$startsWith\": \""
                    + last.substring(0, 3) + "\"}}, \"paging\": {\"limit\": 50}}}");
        };
        Load.Requests compound = client -> site.post(QUERY, """
                {"query": {"filter": {"info.addresses.city": "%s", "info.name.first": {"$startsWith": "%s"},
                 "$or": [{"info.company": {"$in": ["Company %d", "Company %d"]}}, {"primaryInfo.email":
                 {"$startsWith": "%s"}}]}, "sort": [{"fieldName": "info.name.last", "order": "ASC"}],
                 "paging": {"limit": 50}}}""".formatted(random(Seeding.CITIES), random(Seeding.FIRST_NAMES)
                .substring(0, 2), ThreadLocalRandom.current().nextInt(Seeding.COMPANIES),
                ThreadLocalRandom.current().nextInt(Seeding.COMPANIES), random(Seeding.FIRST_NAMES).toLowerCase(
                java.util.Locale.ROOT).substring(0, 2)));

        Progress.during("warming up the query path's JIT", settings.jitWarmup(),
                () -> Load.closedLoop(server.port(), 4, settings.jitWarmup(), java.time.Duration.ZERO, emails));
        part.table("query", "clients", "queries/s", "p50 ms", "p99 ms", "p99.9 ms", "target");
        for (Kind kind : List.of(new Kind("email $eq", TARGET_EMAIL_P99_MS, emails),
                new Kind("last name $startsWith", TARGET_PREFIX_P99_MS, namePrefixes),
                new Kind("compound filter, sorted", TARGET_COMPOUND_P99_MS, compound))) {
            for (int clients : new int[] {1, 8}) {
                Load.Result result = Progress.during(kind.name() + ", " + clients + " clients",
                        settings.warmup().plus(settings.measure()),
                        () -> Load.closedLoop(server.port(), clients, settings.warmup(), settings.measure(),
                                kind.requests()));
                double p99 = result.latencies().percentileMillis(99);
                part.row(kind.name(), clients, result.perSecond(), result.latencies().percentileMillis(50), p99,
                        result.latencies().percentileMillis(99.9),
                        kind.targetP99() > 0 && clients == 1 ? "p99 ≤ " + Report.format(kind.targetP99()) + " ms "
                                + Report.verdict(p99 <= kind.targetP99()) : "");
                part.figure(kind.name() + " clients" + clients, Map.of("queriesPerSecond", result.perSecond(),
                        "p50ms", result.latencies().percentileMillis(50), "p99ms", p99));
            }
        }
        part.endTable();
        part.note("The site holds " + Report.format(contacts) + " contacts (10 searchable values each, seeded in "
                + "bulk with SQL in the shape Create Contact stores). Every query draws new values; email lookups are "
                + "sent in upper case and each answer is checked to be exactly that contact. Each answer includes "
                + "`pagingMetadata` with its count (counted up to 10,000). Last name: the first three letters of one of 100 "
                + "names, 50 per page. Compound: a city, AND a first-name prefix of two letters, AND (one of two "
                + "companies OR an email prefix), sorted by last name. Targets are judged at one client; 8 "
                + "clients saturate the cores and measure throughput.");
    }

    private static String random(List<String> values) {
        return values.get(ThreadLocalRandom.current().nextInt(values.size()));
    }
}
