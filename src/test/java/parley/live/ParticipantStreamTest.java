package parley.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Config;
import parley.Parley;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestParley;
import parley.live.SseStream.Received;

/**
 * The chat widget's stream: only the messages its visitor's participant sees, in its own conversation,
 * with the same exact catch-up after {@code Last-Event-ID} as the business stream.
 */
class ParticipantStreamTest {
    private final TestSite acme = Fixtures.site("Widget stream");

    private record Visitor(String token, String conversation) {
    }

    private Visitor visitor() {
        Api.Response session = Api.anonymous(TestParley.baseUrl())
                .post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\"}");
        return new Visitor(session.text("/token"), session.text("/conversationId"));
    }

    private static String url(Visitor visitor) {
        return TestParley.baseUrl() + "/parley/v1/widget/stream?token=" + visitor.token();
    }

    private void reply(Visitor visitor, String text, String visibility) {
        acme.sendText(visitor.conversation(), text, "BUSINESS_TO_PARTICIPANT", visibility);
    }

    private static List<String> texts(List<Received> events) {
        return events.stream().map(e -> e.data().at("/message/content/basic/items/0/text").asText()).toList();
    }

    @Test
    void theVisitorSeesItsOwnConversationsParticipantMessagesOnly() throws Exception {
        Visitor visitor = visitor();
        Visitor someoneElse = visitor();
        try (SseStream stream = SseStream.open(url(visitor), null, null)) {
            reply(visitor, "internal: refund approved", "BUSINESS");
            reply(someoneElse, "hello other visitor", "BUSINESS_AND_PARTICIPANT");
            reply(visitor, "Hi! How can we help?", "BUSINESS_AND_PARTICIPANT");
            Api.Response own = Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", visitor.token())
                    .post("/inbox/v2/messages", """
                            {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                             "visibility": "BUSINESS_AND_PARTICIPANT",
                             "content": {"basic": {"items": [{"text": "Where is my order?"}]}}}}"""
                            .formatted(visitor.conversation()));
            assertThat(own.status()).as(own.raw()).isEqualTo(200);

            List<Received> events = stream.take(2);

            assertThat(texts(events)).containsExactly("Hi! How can we help?", "Where is my order?");
            assertThat(events.getFirst().data().get("conversationId").asText()).isEqualTo(visitor.conversation());
            assertThat(events.getFirst().id()).isLessThan(events.getLast().id());
        }
    }

    @Test
    void aWidgetThatComesBackWithItsLastIdGetsWhatItMissed() throws Exception {
        Visitor visitor = visitor();
        long lastSeen;
        try (SseStream stream = SseStream.open(url(visitor), null, null)) {
            reply(visitor, "first", "BUSINESS_AND_PARTICIPANT");
            lastSeen = stream.take(1).getFirst().id();
        }
        reply(visitor, "while away 1", "BUSINESS_AND_PARTICIPANT");
        reply(visitor, "internal note while away", "BUSINESS");
        reply(visitor, "while away 2", "BUSINESS_AND_PARTICIPANT");

        try (SseStream stream = SseStream.open(url(visitor), null, Long.toString(lastSeen))) {
            reply(visitor, "back live", "BUSINESS_AND_PARTICIPANT");

            assertThat(texts(stream.take(3))).containsExactly("while away 1", "while away 2", "back live");
        }
    }

    @Test
    void aStreamNeedsAValidParticipantToken() {
        Visitor visitor = visitor();
        Api anonymous = Api.anonymous(TestParley.baseUrl()).withHeader("Accept", "text/event-stream");
        assertThat(anonymous.get("/parley/v1/widget/stream").status()).isEqualTo(401);
        assertThat(anonymous.get("/parley/v1/widget/stream?token=" + visitor.token() + "x").status()).isEqualTo(401);
        assertThat(anonymous.get("/parley/v1/widget/stream?token=" + acme.apiKey()).status()).isEqualTo(401);
    }

    @Test
    void aVisitorHoldsAtMostFiveStreamsOpenAtOnceAndAClosedOneFreesItsPlace() throws Exception {
        try (Parley node = Parley.start(TestParley.anotherNode(0).withLimits(Config.Limits.DEFAULTS),
                Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + node.port();
            String token = Api.anonymous(base).post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\"}")
                    .text("/token");
            String url = base + "/parley/v1/widget/stream?token=" + token;
            List<SseStream> tabs = new ArrayList<>();
            for (int i = 0; i < Config.Limits.DEFAULTS.streamsPerVisitor(); i++) {
                tabs.add(SseStream.open(url, null, null));
            }

            assertThatThrownBy(() -> SseStream.open(url, null, null)).hasMessageContaining("stream answered 429")
                    .hasMessageContaining("TOO_MANY_STREAMS");

            tabs.removeFirst().close(); // the server notices at its next write to it (a heartbeat)
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            SseStream another = null;
            while (another == null) {
                try {
                    another = SseStream.open(url, null, null);
                } catch (IllegalStateException stillFull) {
                    assertThat(System.nanoTime()).as("no place freed").isLessThan(deadline);
                    Thread.sleep(50);
                }
            }
            tabs.add(another);
            for (SseStream tab : tabs) {
                tab.close();
            }
        }
    }
}
