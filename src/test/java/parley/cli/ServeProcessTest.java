package parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.TestParley;
import parley.storage.Database;
import parley.webhooks.Receiver;

/**
 * {@code parley serve} as an operator runs it, in its own JVM: the first start creates a site, SIGTERM
 * shuts down cleanly (embedded PostgreSQL included), data survives restarts, and kill -9 loses no message
 * that was answered.
 */
class ServeProcessTest {
    private static final Pattern SITE = Pattern.compile("site id:\\s+(\\S+)");
    private static final Pattern KEY = Pattern.compile("API key:\\s+(\\S+)");
    private static final Pattern OWNER_EMAIL = Pattern.compile("^\\s+email:\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern OWNER_PASSWORD = Pattern.compile("^\\s+password:\\s+(\\S+)", Pattern.MULTILINE);

    private final Path dataDir = TestParley.freshDataDir();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** A running {@code parley serve}, its output, and the site its first start announced (if any). */
    private record Server(Process process, Path output, int port) {
        String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        String printed() {
            try {
                return Files.readString(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Api apiOfAnnouncedSite() {
            return Api.of(baseUrl(), find(SITE, printed()), find(KEY, printed()));
        }
    }

    private Server serve(String... options) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path output = Files.createTempFile(dataDir.getParent(), "serve-", ".log");
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--data-dir",
                dataDir.toString()));
        args.addAll(List.of(options));
        Process process = parley(args.toArray(String[]::new)).redirectOutput(output.toFile()).start();
        started.add(process);
        Server server = new Server(process, output, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (!server.printed().contains("Parley is listening")) {
            assertThat(process.isAlive()).as(server.printed()).isTrue();
            assertThat(Instant.now()).as("serve did not become ready: " + server.printed()).isBefore(deadline);
            Thread.sleep(100);
        }
        assertThat(Api.anonymous(server.baseUrl()).get("/health/ready").status()).isEqualTo(200);
        assertThat(Api.anonymous(server.baseUrl()).get("/health/live").status()).isEqualTo(200);
        return server;
    }

    private static ProcessBuilder parley(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PARLEY_ALLOW_PRIVATE_TARGETS", "true"); // the tests' receivers are on loopback
        return builder;
    }

    private static Api.Response signIn(Server server, String email, String password) {
        Api.Response response = Api.anonymous(server.baseUrl()).post("/parley/v1/dashboard/sign-in",
                "{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response;
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group(1);
    }

    private static String conversation(Api api) {
        Api.Response response = api.post("/inbox/v2/conversations",
                "{\"participantId\": {\"anonymousVisitorId\": \"" + UUID.randomUUID() + "\"}}");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.text("/conversation/id");
    }

    private static String send(Api api, String conversation, String text) {
        Api.Response response = api.post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "%s"}]}}}}
                """.formatted(conversation, text));
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.text("/message/id");
    }

    private static List<String> listed(Api api, String conversation) {
        Api.Response response = api.get("/inbox/v2/messages?conversationId=" + conversation
                + "&visibility=BUSINESS&paging.limit=100&sorting.order=ASC");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body().get("messages").valueStream().map(m -> m.get("id").asText()).toList();
    }

    /**
     * A SIGTERM while {@code serve} is still starting (a service manager giving up, the benchmark closing a
     * server the moment it answered) stops the embedded PostgreSQL it started. The shutdown hook used to be
     * registered only once start-up had finished, so such a SIGTERM ended the JVM at once and left
     * PostgreSQL running on the data directory.
     */
    @Test
    void sigtermWhileStartingStillStopsThePostgreSQL() throws Exception {
        serve().process().destroy(); // a first start creates the data directory
        assertThat(started.getFirst().waitFor(60, TimeUnit.SECONDS)).isTrue();
        Path postmaster = dataDir.resolve("postgres/postmaster.pid");
        assertThat(postmaster).doesNotExist();
        Process process = parley("serve", "--port", "0", "--data-dir", dataDir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process);
        while (!Files.exists(postmaster)) { // PostgreSQL is up; migrations, pools and HTTP come next
            assertThat(process.isAlive()).isTrue();
            Thread.sleep(1);
        }
        process.destroy();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(postmaster).doesNotExist();
    }

    @Test
    void sigtermShutsDownCleanlyAndEverythingSurvivesARestart() throws Exception {
        Server first = serve();
        Api api = first.apiOfAnnouncedSite();
        String conversation = conversation(api);
        String message = send(api, conversation, "before the restart");

        first.process().destroy(); // SIGTERM, as Ctrl-C or a service manager sends
        assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();

        Process create = parley("site", "create", "--name", "Globex", "--data-dir", dataDir.toString()).start();
        String created = new String(create.getInputStream().readAllBytes());
        assertThat(create.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(create.exitValue()).as(created).isZero();

        Process addUser = parley("user", "add", "--email", "agent@globex.example", "--password-stdin",
                "--site", find(SITE, created), "--data-dir", dataDir.toString()).start();
        addUser.getOutputStream().write("a long agent password\n".getBytes());
        addUser.getOutputStream().close();
        String added = new String(addUser.getInputStream().readAllBytes());
        assertThat(addUser.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(addUser.exitValue()).as(added).isZero();
        assertThat(added).contains("agent@globex.example", "AGENT").doesNotContain("a long agent password");

        Server second = serve();
        assertThat(second.printed()).doesNotContain("Parley created a site").doesNotContain("owner account");
        // The owner printed once by the first start, and the agent added while stopped, can sign in.
        assertThat(signIn(second, find(OWNER_EMAIL, first.printed()), find(OWNER_PASSWORD, first.printed()))
                .text("/siteId")).isEqualTo(find(SITE, first.printed()));
        assertThat(signIn(second, "agent@globex.example", "a long agent password").text("/siteId"))
                .isEqualTo(find(SITE, created));
        Api sameKey = Api.of(second.baseUrl(), find(SITE, first.printed()), find(KEY, first.printed()));
        assertThat(listed(sameKey, conversation)).containsExactly(message);
        Api globex = Api.of(second.baseUrl(), find(SITE, created), find(KEY, created));
        assertThat(globex.get("/inbox/v2/conversations/" + conversation).status()).isEqualTo(404);
        assertThat(conversation(globex)).isNotEmpty();
    }

    @Test
    void killDashNineLosesNoAnsweredMessage() throws Exception {
        Server first = serve();
        Api api = first.apiOfAnnouncedSite();
        String conversation = conversation(api);
        List<String> answered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answered.add(send(api, conversation, "m" + i));
        }

        first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs, PostgreSQL is orphaned
        assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

        Server second = serve();
        Api again = Api.of(second.baseUrl(), find(SITE, first.printed()), find(KEY, first.printed()));
        assertThat(listed(again, conversation)).containsExactlyElementsOf(answered);
    }

    @Test
    void killDashNineBetweenStoringAndDeliveringDeliversAfterTheRestart() throws Exception {
        Integer[] down = new Integer[10_000];
        java.util.Arrays.fill(down, 503);
        try (Receiver receiver = new Receiver(down)) {
            Server first = serve("--webhook-first-retry", "100ms");
            Api api = first.apiOfAnnouncedSite();
            assertThat(api.post("/parley/v1/webhooks", "{\"url\": \"" + receiver.url() + "\"}").status())
                    .isEqualTo(200);
            String conversation = conversation(api);
            List<String> answered = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answered.add(send(api, conversation, "m" + i));
            }
            receiver.await(r -> receiver.attempts() > 0); // it is trying, and failing

            first.process().destroyForcibly();
            assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            receiver.recover();
            serve("--webhook-first-retry", "100ms");

            List<Receiver.Request> delivered = receiver.await(r -> r.size() == answered.size());
            assertThat(delivered).extracting(r -> r.header("parley-event-position"))
                    .containsExactly("1", "2", "3", "4", "5");
        }
    }

    @Test
    void twoServerProcessesOnOneDatabaseDeliverEachEventOnce() throws Exception {
        try (Database database = Database.open(null, TestParley.freshDataDir(), 2);
             Receiver receiver = new Receiver()) {
            Server one = serve("--database-url", database.jdbcUrl());
            Server two = serve("--database-url", database.jdbcUrl());
            List<Api> nodes = List.of(one.apiOfAnnouncedSite(),
                    Api.of(two.baseUrl(), find(SITE, one.printed()), find(KEY, one.printed())));
            String hook = nodes.get(0).post("/parley/v1/webhooks", "{\"url\": \"" + receiver.url() + "\"}")
                    .text("/webhook/id");
            List<String> conversations = List.of(conversation(nodes.get(0)), conversation(nodes.get(1)));
            int sends = 30;
            for (int i = 0; i < sends; i++) {
                send(nodes.get(i % 2), conversations.get(i / 2 % 2), "m" + i);
            }

            List<Receiver.Request> delivered = receiver.await(r -> r.size() >= sends);

            assertThat(delivered).extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates().hasSize(sends);
            assertThat(nodes.get(1).get("/parley/v1/webhooks/" + hook + "/deliveries?limit=100").body()
                    .get("deliveries")).hasSize(sends).allSatisfy(d -> assertThat(d.get("attempts").asInt()).isOne());
        }
    }
}
