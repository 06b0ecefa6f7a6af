package parley.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.Parley;
import parley.TestMail;
import parley.TestParley;
import parley.storage.Database;

/**
 * An email channel reads an existing mailbox on a real IMAP server (GreenMail's), where a real mail server put the
 * customers' mail: over IDLE while connected, from where it left off after a restart, each mail once.
 */
class ImapReadingTest {
    private final String mailbox = "shop." + UUID.randomUUID() + "@imap.example";

    @Test
    void aChannelReadsTheMailboxWhatWasThereAndWhatArrivesWhileItWaitsAndNeverShowsItsPassword() throws Exception {
        TestSite site = Fixtures.site("Imap Bakery");
        deliver("<before." + mailbox + ">", "Ana <ana." + UUID.randomUUID() + "@client.example>", "Hello from IMAP");

        Api.Response created = site.api().post("/parley/v1/channels", channel(TestMail.get().getImap().getPort()));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.text("/settings/imap/user")).isEqualTo(mailbox);
        assertThat(created.text("/settings/imap/folder")).isEqualTo("INBOX");
        assertThat(created.text("/status/state")).isEqualTo("CONNECTING");
        assertThat(created.raw()).doesNotContain("s3cret");

        awaitTexts(site.api(), texts -> texts.contains("Hello from IMAP"));
        awaitChannel(site.api(), "CONNECTED");
        // A mail no parser can read (its From never closes) is skipped, and reading goes on past it.
        TestMail.get().getUserManager().getUserByEmail(mailbox).deliver(new MimeMessage(Session.getInstance(
                new Properties()), new ByteArrayInputStream(("From: Bob <bob@client.example\r\nTo: " + mailbox
                + "\r\nSubject: Broken\r\nMessage-ID: <broken." + mailbox + ">\r\n\r\nUnreadable\r\n")
                .getBytes(StandardCharsets.US_ASCII))));
        deliver("<while." + mailbox + ">", "Bea <bea." + UUID.randomUUID() + "@client.example>", "Arrived while idle");
        awaitTexts(site.api(), texts -> texts.contains("Arrived while idle"));
        // A mailbox holds the mail already: one with more files than a message takes is stored with those it takes.
        MimeMessage scans = TestMail.mail("<scans." + mailbox + ">", "cleo." + UUID.randomUUID() + "@client.example",
                mailbox, "Scans", "");
        MimeMultipart parts = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Scans attached", "UTF-8");
        parts.addBodyPart(text);
        for (int i = 0; i < EmailIntake.MAX_ATTACHMENTS + 2; i++) {
            MimeBodyPart scan = new MimeBodyPart();
            scan.setContent("scan " + i, "text/plain; charset=UTF-8");
            scan.setFileName("scan" + i + ".txt");
            parts.addBodyPart(scan);
        }
        scans.setContent(parts);
        scans.saveChanges();
        TestMail.get().getUserManager().getUserByEmail(mailbox).deliver(scans);
        awaitTexts(site.api(), texts -> texts.contains("Scans attached\n\n(2 files were left out: a message holds "
                + EmailIntake.MAX_ATTACHMENTS + " files of at most 10485760 bytes each. The mail's original has them.)"));
        assertThat(site.api().get("/parley/v1/channels").raw()).doesNotContain("s3cret");
        try (Database database = Database.open(TestParley.get().databaseUrl(), null, 1)) {
            String stored = database.read(handle -> handle.createQuery(
                            "SELECT settings::text FROM channels WHERE channel_id = CAST(:id AS uuid)")
                    .bind("id", created.text("/id"))
                    .mapTo(String.class)
                    .one());
            assertThat(stored).doesNotContain("s3cret").containsPattern("\"password\": \"v1:[A-Za-z0-9+/=]{40,}\"");
        }
    }

    @Test
    void aNodeStartedAgainReadsOnFromTheLastMailItStoredAndStoresEachMailOnce() throws Exception {
        Path dataDir = TestParley.freshDataDir();
        String customer = "Cleo <cleo." + UUID.randomUUID() + "@client.example>";
        deliver("<one." + mailbox + ">", customer, "First");
        String siteId;
        String key;
        try (Parley node = Parley.start(TestParley.config(dataDir, 0), Clock.systemUTC())) {
            JsonNode site = Api.anonymous("http://127.0.0.1:" + node.port())
                    .withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN)
                    .post("/parley/v1/sites", "{\"displayName\": \"Restart Bakery\"}").body();
            siteId = site.at("/site/id").asText();
            key = site.get("apiKey").asText();
            Api api = Api.of("http://127.0.0.1:" + node.port(), siteId, key);
            assertThat(api.post("/parley/v1/channels", channel(TestMail.get().getImap().getPort())).status())
                    .isEqualTo(201);
            awaitTexts(api, texts -> texts.equals(List.of("First")));
        }
        // While no node reads: a new mail, and the first one delivered again (a new UID, the same Message-ID).
        deliver("<two." + mailbox + ">", customer, "Second");
        deliver("<one." + mailbox + ">", customer, "First");

        try (Parley node = Parley.start(TestParley.config(dataDir, 0), Clock.systemUTC())) {
            Api api = Api.of("http://127.0.0.1:" + node.port(), siteId, key);
            awaitTexts(api, texts -> texts.contains("Second"));
            deliver("<three." + mailbox + ">", customer, "Third");
            awaitTexts(api, texts -> texts.contains("Third"));
            assertThat(texts(api)).containsExactly("First", "Second", "Third");
        }
    }

    @Test
    void aMailboxThatCannotBeReachedShowsFailingWithTheReasonAndBadSettingsAreRefused() throws Exception {
        TestSite site = Fixtures.site("Unreachable Bakery");
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(site.api().post("/parley/v1/channels", channel(closed)).status()).isEqualTo(201);
        JsonNode status = awaitChannel(site.api(), "FAILING");
        assertThat(status.get("failingSince").asText()).isNotEmpty();
        assertThat(status.get("error").asText()).containsIgnoringCase("connect");

        Api.Response bad = site.api().post("/parley/v1/channels", """
                {"kind": "EMAIL", "settings": {"address": "other@%s.example",
                 "imap": {"host": "not a host", "port": 70000, "user": "", "folder": ""}}}
                """.formatted(UUID.randomUUID()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().at("/details/validationError/fieldViolations").valueStream()
                .map(v -> v.get("field").asText())).containsExactly("settings.imap.host", "settings.imap.port",
                "settings.imap.user", "settings.imap.password", "settings.imap.folder");
    }

    private String channel(int imapPort) {
        return """
                {"kind": "EMAIL", "settings": {"address": "support@%s.example",
                 "imap": {"host": "127.0.0.1", "port": %d, "security": "NONE", "user": "%s", "password": "s3cret"}}}
                """.formatted(UUID.randomUUID(), imapPort, mailbox);
    }

    /** A mail to the mailbox, through the outside world's mail server (GreenMail's SMTP), which files it there. */
    private void deliver(String messageId, String from, String text) throws MessagingException {
        TestMail.toMailbox(TestMail.mail(messageId, from, mailbox, "Question", text));
    }

    /** The texts of every message in the site's conversations, oldest first. */
    private static List<String> texts(Api api) {
        return api.get("/parley/v1/conversations").body().get("conversations").valueStream()
                .flatMap(c -> api.get("/inbox/v2/messages?conversationId=" + c.get("id").asText()
                        + "&visibility=BUSINESS&paging.limit=100&sorting.order=ASC").body().get("messages").valueStream())
                .map(m -> m.at("/content/basic/items/0/text").asText())
                .toList();
    }

    private static void awaitTexts(Api api, Predicate<List<String>> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        List<String> texts = texts(api);
        while (!wanted.test(texts)) {
            assertThat(System.nanoTime()).as("messages so far: %s", texts).isLessThan(deadline);
            Thread.sleep(100);
            texts = texts(api);
        }
    }

    private static JsonNode awaitChannel(Api api, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (true) {
            JsonNode status = api.get("/parley/v1/channels").body().at("/channels/0/status");
            if (status.path("state").asText().equals(state)) {
                return status;
            }
            assertThat(System.nanoTime()).as("channel status: %s", status).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
