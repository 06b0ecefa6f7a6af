package parley.bench;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import parley.sites.ApiKey;

/**
 * Send Message throughput and latency at rising concurrency, each point next to pgbench running exactly
 * the SQL one Send Message runs (key check, conversation update, message row, outbox event) with the
 * same number of clients: the machine's ceiling for one message per transaction.
 */
final class SendThroughput implements Section {
    static final double TARGET_RATIO = 1.0;
    static final double TARGET_P99_MS = 15;

    @Override
    public String key() {
        return "send";
    }

    @Override
    public String title() {
        return "Send Message";
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        BenchContext.BenchSite site = context.site("Send benchmark");
        Seeding.conversations(context.database(), site.id(), "bench-", settings.conversations());
        ServerProcess server = context.server();
        PgBench pgbench = new PgBench(context.database().jdbcUrl(), context.outDir);
        String script = Seeding.sendScript(settings.conversations());
        List<String> variables = List.of("site=" + site.id(),
                "key=" + ApiKey.parse(site.apiKey()).orElseThrow().keyId());
        Load.Requests sends = client -> send(site, "bench-" + (1 + ThreadLocalRandom.current()
                .nextInt(settings.conversations())));

        WalSyncs.enableTiming(context.database());
        // A JVM server is measured at steady state: first let the JIT compile the hot paths.
        Progress.during("warming up the server's JIT", settings.jitWarmup(),
                () -> Load.closedLoop(server.port(), 8, settings.jitWarmup(), java.time.Duration.ZERO, sends));
        part.table("clients", "pgbench tx/s", "Parley msg/s", "ratio", "p50 ms", "p99 ms", "p99.9 ms",
                "CPU ms/msg: server", "PostgreSQL", "load generator", "msg per WAL fsync", "fsync ms: pgbench",
                "Parley");
        double bestParley = 0;
        double bestBaseline = 0;
        int bestClients = 0;
        double loadedMiB = 0;
        for (int clients : settings.concurrencies()) {
            WalSyncs beforePgbench = WalSyncs.now(context.database());
            double tps = Progress.during("pgbench, " + clients + " clients", settings.measure(),
                    () -> pgbench.tps(script, clients, settings.measure(), variables));
            WalSyncs pgbenchSyncs = WalSyncs.now(context.database()).since(beforePgbench);
            AtomicReference<Double> rss = new AtomicReference<>(0.0);
            Thread sampler = Thread.ofVirtual().start(() -> sampleResidentMemory(server, rss));
            Spent before = Spent.now(context, server);
            Load.Result result = Progress.during("Parley, " + clients + " clients",
                    settings.warmup().plus(settings.measure()),
                    () -> Load.closedLoop(server.port(), clients, settings.warmup(), settings.measure(), sends));
            sampler.interrupt();
            sampler.join();
            Spent spent = Spent.now(context, server).since(before);
            loadedMiB = Math.max(loadedMiB, rss.get());
            double sent = sent(result, settings);
            part.row(clients, tps, result.perSecond(), result.perSecond() / tps,
                    result.latencies().percentileMillis(50), result.latencies().percentileMillis(99),
                    result.latencies().percentileMillis(99.9), spent.serverMillisEach(sent),
                    spent.postgresMillisEach(sent), spent.clientMillisEach(sent), spent.messagesPerSync(sent),
                    pgbenchSyncs.millisEach(), spent.wal().millisEach());
            part.figure("clients" + clients, java.util.Map.of("pgbenchTps", tps,
                    "messagesPerSecond", result.perSecond(),
                    "p50ms", result.latencies().percentileMillis(50), "p99ms", result.latencies().percentileMillis(99),
                    "p999ms", result.latencies().percentileMillis(99.9)));
            if (result.perSecond() > bestParley) {
                bestParley = result.perSecond();
                bestClients = clients;
            }
            bestBaseline = Math.max(bestBaseline, tps);
        }
        part.endTable();

        double halfRate = bestParley / 2;
        Spent beforeHalf = Spent.now(context, server);
        Load.Result half = Progress.during("Parley at half its best rate", settings.warmup().plus(settings.measure()),
                () -> Load.fixedRate(server.port(), halfRate, 128, settings.warmup(), settings.measure(), sends));
        Spent halfSpent = Spent.now(context, server).since(beforeHalf);
        double halfSent = sent(half, settings);
        double ratio = bestParley / bestBaseline;
        double p99 = half.latencies().percentileMillis(99);
        part.table("measure", "figure", "target");
        part.row("best Parley / best pgbench", String.format("%.2f× (%,.0f msg/s at %d clients vs %,.0f tx/s)",
                ratio, bestParley, bestClients, bestBaseline), "≥ 1.0× " + Report.verdict(ratio >= TARGET_RATIO));
        part.row("p50 / p99 / p99.9 at half the best rate (" + Report.format(halfRate) + " msg/s, open loop)",
                String.format("%.2f / %.2f / %.2f ms", half.latencies().percentileMillis(50), p99,
                        half.latencies().percentileMillis(99.9)),
                "p99 ≤ 15 ms " + Report.verdict(p99 <= TARGET_P99_MS));
        part.row("of which the load generator's own delay in sending, p50 / p99 / p99.9",
                String.format("%.2f / %.2f / %.2f ms", half.lateness().percentileMillis(50),
                        half.lateness().percentileMillis(99), half.lateness().percentileMillis(99.9)), "–");
        Timeline.Slow slow = half.timeline().slowerThan((long) (TARGET_P99_MS * 1e6));
        part.row(String.format("answers over %.0f ms at half the best rate, and when", TARGET_P99_MS),
                String.format("%,d of %,d (%.2f %%), in %d of the %d windows of 100 ms; the worst window held %,d",
                        slow.count(), slow.requests(), 100.0 * slow.count() / Math.max(1, slow.requests()),
                        slow.windows(), slow.allWindows(), slow.worstWindow()), "–");
        part.row("at half the best rate: CPU ms/msg server / PostgreSQL / load generator; msg per WAL fsync",
                String.format("%.2f / %.2f / %.2f; %.2f", halfSpent.serverMillisEach(halfSent),
                        halfSpent.postgresMillisEach(halfSent), halfSpent.clientMillisEach(halfSent),
                        halfSpent.messagesPerSync(halfSent)), "–");
        part.row("server resident memory under load (MiB)", loadedMiB, "–");
        part.endTable();
        part.note("Closed-loop clients each send a basic text message to one of " + settings.conversations()
                + " conversations and send the next when answered; latency is measured at the client, over HTTP "
                + "keep-alive on loopback, after " + settings.jitWarmup().toSeconds() + " s of the same load to warm "
                + "the server's JIT. WAL fsyncs are counted by PostgreSQL (`pg_stat_wal`, with `track_wal_io_timing` "
                + "on for this run only); messages per fsync is how many sends shared a commit. The open-loop run "
                + "schedules requests at a fixed rate on 128 connections and counts latency from each request's "
                + "scheduled time, after " + settings.warmup().toSeconds() + " s at the same rate on the same "
                + "connections; the load generator's delay is how late it sent each request after that time, "
                + "when all 128 connections were waiting for answers or its threads were waiting for a core. "
                + "Where the answers over the target fall, by 100 ms of their scheduled time, tells a few stalls "
                + "that hold every request behind them (a few windows) from a queue slow throughout (many).");
        part.figure("bestRatio", ratio);
        part.figure("halfRateP99ms", p99);
        part.figure("halfRateSlowWindows", slow.windows());
        part.figure("loadedResidentMiB", loadedMiB);
    }

    /** Messages sent over a run's warm-up and measurement, at its measured rate. */
    private static double sent(Load.Result result, BenchSettings settings) {
        return result.perSecond() * (settings.warmup().plus(settings.measure()).toMillis() / 1000.0);
    }

    /** CPU seconds of the server, PostgreSQL and this load generator, and PostgreSQL's WAL fsyncs, so far. */
    private record Spent(double server, double postgres, double client, WalSyncs wal) {
        static Spent now(BenchContext context, ServerProcess server) throws Exception {
            return new Spent(CpuTime.ofProcess(server.pid()), CpuTime.ofPostgres(),
                    CpuTime.ofProcess(ProcessHandle.current().pid()), WalSyncs.now(context.database()));
        }

        Spent since(Spent before) {
            return new Spent(server - before.server, postgres - before.postgres, client - before.client,
                    wal.since(before.wal));
        }

        double serverMillisEach(double messages) {
            return 1000 * server / messages;
        }

        double postgresMillisEach(double messages) {
            return 1000 * postgres / messages;
        }

        double clientMillisEach(double messages) {
            return 1000 * client / messages;
        }

        double messagesPerSync(double messages) {
            return messages / Math.max(1, wal.syncs());
        }
    }

    static HttpConnection.Request send(BenchContext.BenchSite site, String conversationKey) {
        return site.post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT",
                 "content": {"basic": {"items": [
                   {"text": "Is the shop open today? I would like to pick up an order."}]}}}}
                """.formatted(Seeding.conversationId(conversationKey)));
    }

    private static void sampleResidentMemory(ServerProcess server, AtomicReference<Double> max) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                double now = server.residentMiB();
                max.updateAndGet(m -> Math.max(m, now));
                Thread.sleep(200);
            }
        } catch (InterruptedException | java.io.IOException e) {
            // sampling ends with the run
        }
    }
}
