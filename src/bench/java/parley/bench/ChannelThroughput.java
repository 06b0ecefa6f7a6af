package parley.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Custom channels (docs/channels.md) both ways on the benchmark's server: a connector's webhooks handed in through
 * the connector contract by 64 connections, each answered once the message is committed (the durability of Send
 * Message: the same group commit), from 1,000 senders known by phone; then agents' replies to them, timed from the
 * first reply posted until the last is handed out to the connector.
 */
final class ChannelThroughput implements Section {
    static final double TARGET_PER_SECOND = 1_000;
    private static final int CLIENTS = 64;
    private static final int SENDERS = 1_000;

    @Override
    public String key() {
        return "channels";
    }

    @Override
    public String title() {
        return "Channels";
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        BenchContext.BenchSite site = context.site("Channels benchmark");
        ServerProcess server = context.server();
        String channel;
        try (HttpConnection http = new HttpConnection(server.port())) {
            HttpConnection.Response created = http.send(site.post("/parley/v1/channels",
                    "{\"kind\": \"CUSTOM\", \"settings\": {\"name\": \"Bench SMS\", \"channelType\": \"SMS\"}}"));
            if (created.status() != 201) {
                throw new IllegalStateException("could not add the channel: " + created.body());
            }
            channel = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        }
        AtomicLong next = new AtomicLong();
        Load.Requests webhooks = client -> {
            long n = next.incrementAndGet();
            return site.post("/parley/v1/channels/" + channel + "/inbound", """
                    {"externalMessageId": "SM%d", "sender": {"phone": "+1415555%04d", "name": "Customer %d"},
                     "message": {"content": {"basic": {"items": [{"text": "Is my order %d on its way?"}]}}}}
                    """.formatted(n, n % SENDERS, n % SENDERS, n));
        };
        Progress.during("warming up the connector contract", settings.jitWarmup(),
                () -> Load.closedLoop(server.port(), CLIENTS, settings.jitWarmup(), Duration.ZERO, webhooks));
        Load.Result in = Progress.during("webhooks in, " + CLIENTS + " connections", settings.measure(),
                () -> Load.closedLoop(server.port(), CLIENTS, Duration.ZERO, settings.measure(), webhooks));

        List<String> conversations = context.database().read(handle -> handle.createQuery(
                        "SELECT conversation_id::text FROM conversations WHERE site_id = :site")
                .bind("site", site.id())
                .mapTo(String.class)
                .list());
        int replies = settings.quick() ? 2_000 : 10_000;
        long start = System.nanoTime();
        Progress.during("replies out to the connector", Duration.ofSeconds(replies / 500), () -> {
            EmailThroughput.reply(server.port(), site, conversations, replies);
            return null;
        });
        long handedOut = 0;
        while (handedOut < replies) {
            if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                throw new IllegalStateException("only " + handedOut + " of " + replies + " replies handed out");
            }
            Thread.sleep(20);
            handedOut = context.database().read(handle -> handle.createQuery(
                            "SELECT count(*) FROM channel_outbox WHERE site_id = :site")
                    .bind("site", site.id())
                    .mapTo(Long.class)
                    .one());
        }
        double outPerSecond = replies / ((System.nanoTime() - start) / 1e9);

        part.table("direction", "messages", "messages/s", "p50 ms", "p99 ms", "target");
        part.row("in: connector contract, " + CLIENTS + " connections", in.requests(), in.perSecond(),
                in.latencies().percentileMillis(50), in.latencies().percentileMillis(99),
                "≥ 1,000/s " + Report.verdict(in.perSecond() >= TARGET_PER_SECOND));
        part.row("out: replies handed to the connector", replies, outPerSecond, "", "", "");
        part.endTable();
        part.note("In: each call a new message (its own externalMessageId) from one of " + SENDERS + " senders known "
                + "by phone after the warm-up, answered once committed. Out: " + replies + " agent replies posted at "
                + "once from 16 connections; the rate is from the first post until the last reply is queued for the "
                + "connector (its channel_outbound event written).");
        part.figure("inPerSecond", in.perSecond());
        part.figure("outPerSecond", outPerSecond);
    }
}
