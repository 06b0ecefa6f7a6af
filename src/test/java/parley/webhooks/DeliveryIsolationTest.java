package parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.Parley;
import parley.TestParley;

/**
 * A receiver's misbehaviour holds only its own deliveries: one that never answers does not delay anyone
 * else's, one that drips or floods its answer is cut at the time-out or past what is kept, and changing or
 * deleting a subscription while its deliveries run neither fails nor stalls the loop.
 */
class DeliveryIsolationTest {
    @Test
    void aReceiverThatNeverAnswersHoldsNoOneElsesDeliveries() {
        // A node of its own whose time-out outlasts the test: only attempts that do not wait for each other
        // can deliver the healthy subscription's events while the stalled ones are still open.
        WebhookSettings patient = new WebhookSettings(Duration.ofMinutes(10), Duration.ofMillis(200),
                Duration.ofHours(48), Duration.ofDays(5), Duration.ofMillis(50));
        try (Parley parley = Parley.start(TestParley.config(TestParley.freshDataDir(), 0).withWebhooks(patient),
                Clock.systemUTC());
             Receiver stalled = Receiver.always(Receiver.STALL);
             Receiver healthy = new Receiver()) {
            String base = "http://127.0.0.1:" + parley.port();
            Api slowSite = site(base, "Slow receiver's site");
            Api other = site(base, "Everyone else");
            subscribe(slowSite, stalled);
            subscribe(other, healthy);
            for (int i = 0; i < 2 * Deliverer.PER_SUBSCRIPTION; i++) {
                send(slowSite, conversation(slowSite), "stuck " + i);
            }
            waitFor(() -> stalled.open() == Deliverer.PER_SUBSCRIPTION);

            String conversation = conversation(other);
            for (int i = 0; i < 5; i++) {
                send(other, conversation, "m" + i);
            }

            assertThat(healthy.await(r -> r.size() == 5)).hasSize(5);
            assertThat(stalled.open()).isEqualTo(Deliverer.PER_SUBSCRIPTION);
            assertThat(stalled.mostOpen()).isEqualTo(Deliverer.PER_SUBSCRIPTION);
        }
    }

    @Test
    void anAnswerThatDripsIsCutAtTheTimeOut() {
        TestSite acme = Fixtures.acme();
        try (Receiver dripping = new Receiver(Receiver.DRIP)) {
            String hook = hooks(subscribe(acme.api(), dripping));
            acme.sendText(acme.visitorConversation(), "hi", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

            JsonNode delivery = awaitDelivery(acme.api(), hook + "/deliveries/1", d -> d.get("status").asText()
                    .equals("DELIVERED"));

            assertThat(delivery.at("/attemptLog/0/error").asText())
                    .isEqualTo("no complete answer within " + TestParley.WEBHOOKS.timeout().toMillis() + " ms");
            assertThat(delivery.at("/attemptLog/1/statusCode").asInt()).isEqualTo(200);
        }
    }

    @Test
    void anAnswerWithoutEndIsReadOnlyAsFarAsItIsKept() {
        TestSite acme = Fixtures.acme();
        try (Receiver flooding = new Receiver(Receiver.FLOOD)) {
            String hook = hooks(subscribe(acme.api(), flooding));
            acme.sendText(acme.visitorConversation(), "hi", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

            JsonNode delivery = awaitDelivery(acme.api(), hook + "/deliveries/1", d -> d.get("status").asText()
                    .equals("DELIVERED"));

            JsonNode first = delivery.at("/attemptLog/0");
            assertThat(first.get("statusCode").asInt()).isEqualTo(500);
            assertThat(first.get("error").asText()).startsWith("answered 500: nope nope")
                    .hasSizeLessThanOrEqualTo("answered 500: ".length() + parley.outbound.OutboundHttp.EXCERPT_BYTES);
        }
    }

    @Test
    void subscriptionsChangedAndDeletedWhileTheirDeliveriesRunAnswerAndNothingFails() {
        TestSite acme = Fixtures.acme();
        Logger deliverer = (Logger) LoggerFactory.getLogger(Deliverer.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        deliverer.addAppender(logged);
        try (Receiver receiver = new Receiver()) {
            List<String> conversations = java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> acme.visitorConversation()).toList();
            for (int round = 0; round < 15; round++) {
                String hook = hooks(subscribe(acme.api(), receiver));
                int before = receiver.attempts();
                conversations.parallelStream().forEach(c ->
                        acme.sendText(c, "hi", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT"));
                waitFor(() -> receiver.attempts() > before);

                Api.Response edited = acme.api().patch(hook, "{\"url\": \"" + receiver.url() + "?round=" + round + "\"}");
                Api.Response deleted = acme.api().delete(hook);

                assertThat(edited.status()).as(edited.raw()).isEqualTo(200);
                assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
            }
            // The loop and its recorder carry on.
            try (Receiver last = new Receiver()) {
                subscribe(acme.api(), last);
                acme.sendText(conversations.getFirst(), "still here", "PARTICIPANT_TO_BUSINESS",
                        "BUSINESS_AND_PARTICIPANT");
                last.await(r -> r.size() == 1);
            }
        } finally {
            deliverer.detachAppender(logged);
        }
        assertThat(logged.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    private static Api site(String base, String name) {
        JsonNode site = Api.anonymous(base).withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN)
                .post("/parley/v1/sites", "{\"displayName\": \"" + name + "\"}").body();
        return Api.of(base, site.at("/site/id").asText(), site.get("apiKey").asText());
    }

    private static JsonNode subscribe(Api api, Receiver receiver) {
        Api.Response created = api.post("/parley/v1/webhooks", "{\"url\": \"" + receiver.url() + "\"}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        return created.body().get("webhook");
    }

    private static String hooks(JsonNode webhook) {
        return "/parley/v1/webhooks/" + webhook.get("id").asText();
    }

    private static String conversation(Api api) {
        return api.post("/inbox/v2/conversations", "{\"participantId\": {\"anonymousVisitorId\": \""
                + java.util.UUID.randomUUID() + "\"}}").text("/conversation/id");
    }

    private static void send(Api api, String conversation, String text) {
        Api.Response sent = api.post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "%s"}]}}}}
                """.formatted(conversation, text));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
    }

    private static JsonNode awaitDelivery(Api api, String path, Predicate<JsonNode> done) {
        JsonNode[] delivery = new JsonNode[1];
        waitFor(() -> {
            Api.Response response = api.get(path);
            delivery[0] = response.body().get("delivery");
            return response.status() == 200 && done.test(delivery[0]);
        });
        return delivery[0];
    }

    /** Waits up to 30 s for {@code condition}. */
    private static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
