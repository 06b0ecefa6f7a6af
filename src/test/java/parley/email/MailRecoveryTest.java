package parley.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.server.SMTPServer;
import parley.Api;
import parley.Parley;
import parley.TestMail;
import parley.TestParley;
import parley.events.EventType;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Sending on nodes of their own: one that dies between claiming a mail and sending it, and relays that refuse a
 * mail for good or for now.
 */
class MailRecoveryTest {
    @Test
    void aMailClaimedByANodeThatDiedIsSentOnceByTheNextAfterItsLeaseRunsOut() throws Exception {
        Path dataDir = TestParley.freshDataDir();
        String email = "hana." + UUID.randomUUID() + "@client.example";
        Site site;
        String conversation;
        String sequence;
        // A node without a relay queues the message; its claim is taken as the dying node's, which never sends.
        try (Parley node = Parley.start(TestParley.config(dataDir, 0).withRelay(null), Clock.systemUTC());
             Database database = Database.open(node.databaseUrl(), null, 1)) {
            site = Site.on(node);
            conversation = site.conversationWith(email);
            sequence = site.sendToEmail(conversation);
            SmtpSendingTest.awaitDelivery(site.api(), conversation, sequence, "QUEUED");
            Instant now = Instant.now();
            List<MailOutbox.Claimed> claimed = database.inTransaction(handle ->
                    new MailOutbox(node.events()).claim(handle, now, now.plusSeconds(2), 10));
            assertThat(claimed).extracting(MailOutbox.Claimed::sequence).containsExactly(Long.parseLong(sequence));
        }

        try (Parley node = Parley.start(TestParley.config(dataDir, 0), Clock.systemUTC())) {
            Api api = site.apiOn(node);
            JsonNode sent = SmtpSendingTest.awaitDelivery(api, conversation, sequence, "SENT");
            assertThat(sent.get("attempts").asInt()).isEqualTo(2);
            assertThat(TestMail.await(email, 1)).hasSize(1);
            assertThat(node.events().readAfter(site.siteId(), 0, 1000)).filteredOn(e ->
                    e.type() == EventType.MESSAGE_DELIVERY_CHANGED).extracting(e -> e.body().at("/delivery/state")
                    .asText()).containsExactly("QUEUED", "SENT");
        }
    }

    @Test
    void aRelaysPermanentRefusalFailsTheMessageWithItsReasonAndATemporaryOneKeepsItQueued() throws Exception {
        try (RefusingRelay relay = new RefusingRelay();
             Parley node = Parley.start(TestParley.config(TestParley.freshDataDir(), 0)
                     .withRelay(new Relay("127.0.0.1", relay.port(), false, null, null)), Clock.systemUTC())) {
            Site site = Site.on(node);
            String refused = site.conversationWith("gone." + UUID.randomUUID() + "@client.example");
            String busy = site.conversationWith("busy." + UUID.randomUUID() + "@client.example");
            String visitor = site.api().post("/inbox/v2/conversations",
                    "{\"participantId\": {\"anonymousVisitorId\": \"" + UUID.randomUUID() + "\"}}")
                    .text("/conversation/id");

            JsonNode failed = SmtpSendingTest.awaitDelivery(site.api(), refused, site.sendToEmail(refused), "FAILED");
            assertThat(failed.get("reason").asText()).startsWith("the relay answered: 550 5.1.1 mailbox unavailable");
            JsonNode unknown = SmtpSendingTest.awaitDelivery(site.api(), visitor, site.sendToEmail(visitor), "FAILED");
            assertThat(unknown.get("reason").asText()).isEqualTo("the participant has no email address");

            String later = site.sendToEmail(busy);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode queued;
            do {
                queued = SmtpSendingTest.awaitDelivery(site.api(), busy, later, "QUEUED");
                Thread.sleep(50);
            } while (!queued.hasNonNull("reason") && System.nanoTime() < deadline); // claimed, then recorded
            assertThat(queued.get("attempts").asInt()).isEqualTo(1);
            assertThat(queued.get("reason").asText()).startsWith("the relay answered: 451 4.3.2 try again later");
        }
    }

    /** A site of its own on {@code node}. */
    private record Site(UUID id, String apiKey, Api api) {
        static Site on(Parley node) {
            Api admin = Api.anonymous("http://127.0.0.1:" + node.port())
                    .withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN);
            JsonNode created = admin.post("/parley/v1/sites", "{\"displayName\": \"Own Bakery\"}").body();
            Api api = Api.of("http://127.0.0.1:" + node.port(), created.at("/site/id").asText(),
                    created.get("apiKey").asText());
            Api.Response channel = api.post("/parley/v1/channels", "{\"kind\": \"EMAIL\", \"settings\": "
                    + "{\"address\": \"support@" + UUID.randomUUID() + ".example\"}}");
            assertThat(channel.status()).as(channel.raw()).isEqualTo(201);
            return new Site(UUID.fromString(created.at("/site/id").asText()), created.get("apiKey").asText(), api);
        }

        /** The site's API on another node of its installation. */
        Api apiOn(Parley node) {
            return Api.of("http://127.0.0.1:" + node.port(), id.toString(), apiKey);
        }

        SiteId siteId() {
            return new SiteId(id);
        }

        String conversationWith(String email) {
            Api.Response contact = api.post("/contacts/v4/contacts",
                    "{\"info\": {\"emails\": {\"items\": [{\"email\": \"" + email + "\"}]}}}");
            assertThat(contact.status()).as(contact.raw()).isEqualTo(200);
            return api.post("/inbox/v2/conversations", "{\"participantId\": {\"contactId\": \""
                    + contact.text("/contact/id") + "\"}}").text("/conversation/id");
        }

        String sendToEmail(String conversation) {
            Api.Response sent = api.post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                     "visibility": "BUSINESS_AND_PARTICIPANT", "targetChannels": ["EMAIL"],
                     "content": {"basic": {"items": [{"text": "Your order is ready"}]}}}}
                    """.formatted(conversation));
            assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
            return sent.text("/message/sequence");
        }
    }

    /** A relay that refuses mail for {@code gone.*} addresses for good and for {@code busy.*} ones for now. */
    private static final class RefusingRelay implements AutoCloseable {
        private final SMTPServer server = SMTPServer.port(0).messageHandlerFactory(Refusing::new).build();

        RefusingRelay() {
            server.start();
        }

        int port() {
            return server.getPortAllocated();
        }

        @Override
        public void close() {
            server.stop();
        }

        private static final class Refusing implements MessageHandler {
            Refusing(MessageContext context) {
            }

            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String recipient) throws RejectException {
                if (recipient.startsWith("gone.")) {
                    throw new RejectException(550, "5.1.1 mailbox unavailable");
                }
                if (recipient.startsWith("busy.")) {
                    throw new RejectException(451, "4.3.2 try again later");
                }
            }

            @Override
            public String data(InputStream data) {
                return null;
            }

            @Override
            public void done() {
            }
        }
    }
}
