package parley.live;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.Parley;
import parley.TestParley;
import parley.live.SseStream.Received;

/**
 * The business stream: live events with their positions as SSE ids, exact catch-up after a reconnect with
 * {@code Last-Event-ID}, heartbeats, and events written on another node.
 */
class StreamTest {
    private final TestSite acme = Fixtures.site("Stream");
    private final String url = TestParley.baseUrl() + "/parley/v1/events/stream";

    private String send(String conversation, String text) {
        return acme.sendText(conversation, text, "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT")
                .get("id").asText();
    }

    private static List<String> texts(List<Received> events) {
        return events.stream().map(e -> e.data().at("/actionEvent/body/message/content/basic/items/0/text").asText())
                .toList();
    }

    @Test
    void eventsArriveLiveWithTheirLogPositionAsId() throws Exception {
        String conversation = acme.visitorConversation();
        send(conversation, "before the stream");
        try (SseStream stream = SseStream.open(url, acme.apiKey(), null)) {
            String id = send(conversation, "one");
            send(conversation, "two");

            List<Received> events = stream.take(2);

            assertThat(texts(events)).containsExactly("one", "two"); // a stream without an id starts at the present
            assertThat(events).extracting(Received::id).containsExactly(2L, 3L);
            assertThat(events.getFirst().data().get("position").asLong()).isEqualTo(2);
            assertThat(events.getFirst().data().get("entityId").asText()).isEqualTo(id);
            assertThat(events.getFirst().data().get("eventType").asText())
                    .isEqualTo("wix.crm.inbox.v2.message_message_sent_to_business");
        }
    }

    @Test
    void aClientThatComesBackWithItsLastIdGetsExactlyWhatItMissed() throws Exception {
        String conversation = acme.visitorConversation();
        long lastSeen;
        try (SseStream stream = SseStream.open(url, acme.apiKey(), null)) {
            send(conversation, "seen 1");
            send(conversation, "seen 2");
            lastSeen = stream.take(2).getLast().id();
        }
        for (int i = 1; i <= 3; i++) {
            send(conversation, "missed " + i); // while the client is away
        }

        try (SseStream stream = SseStream.open(url, acme.apiKey(), Long.toString(lastSeen))) {
            send(conversation, "live again");

            List<Received> events = stream.take(4);

            assertThat(texts(events)).containsExactly("missed 1", "missed 2", "missed 3", "live again");
            assertThat(events).extracting(Received::id)
                    .containsExactly(lastSeen + 1, lastSeen + 2, lastSeen + 3, lastSeen + 4);
        }
    }

    @Test
    void aStreamCarriesOnlyItsOwnSitesEvents() throws Exception {
        TestSite other = Fixtures.site("Another");
        try (SseStream stream = SseStream.open(url, acme.apiKey(), "0")) {
            other.sendText(other.visitorConversation(), "elsewhere", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
            send(acme.visitorConversation(), "here");

            assertThat(texts(stream.take(1))).containsExactly("here");
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        try (SseStream stream = SseStream.open(url, acme.apiKey(), null)) {
            int connected = stream.comments();
            while (stream.comments() < connected + 2) { // the test's heartbeat is 300 ms; the suite's limit applies
                Thread.sleep(50);
            }
            assertThat(stream.comments()).isGreaterThanOrEqualTo(connected + 2);
        }
    }

    @Test
    void anEventWrittenOnAnotherNodeReachesTheStream() throws Exception {
        try (Parley otherNode = otherNode();
             SseStream stream = SseStream.open(url, acme.apiKey(), null)) {
            Api viaOtherNode = Api.of("http://127.0.0.1:" + otherNode.port(), acme.id(), acme.apiKey());
            viaOtherNode.post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                     "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "from B"}]}}}}
                    """.formatted(acme.visitorConversation()));

            assertThat(texts(stream.take(1))).containsExactly("from B");
        }
    }

    /**
     * A stream cut on the server's side (its node stops) ends there. Javalin then runs its error path on the
     * exchange Jetty has already recycled; an error handler that touched the request threw, Javalin queued
     * the handling of that throw as a new task, and so on: a virtual thread spinning for the rest of the
     * JVM's life and logging each round.
     */
    @Test
    void aStreamCutByItsNodeStoppingEndsWithoutAnErrorLoop() throws Exception {
        Logger javalin = (Logger) LoggerFactory.getLogger("io.javalin");
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        javalin.addAppender(logged);
        try {
            Parley node = otherNode();
            SseStream stream = SseStream.open("http://127.0.0.1:" + node.port() + "/parley/v1/events/stream",
                    acme.apiKey(), null);
            while (stream.comments() == 0) { // "connected"
                Thread.sleep(10);
            }
            node.close();
            stream.awaitEnd();
            Thread.sleep(1000); // the loop logged thousands of times a second
        } finally {
            javalin.detachAppender(logged);
        }
        synchronized (logged) { // the lock under which it appends
            assertThat(logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).limit(4)).isEmpty();
        }
    }

    private static Parley otherNode() {
        return Parley.start(TestParley.anotherNode(0), Clock.systemUTC());
    }

    @Test
    void badPositionsAndMissingKeysAreRefused() {
        Api api = Api.of(TestParley.baseUrl(), acme.id(), acme.apiKey());
        Api.Response bad = api.get("/parley/v1/events/stream?after=-3");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().at("/details/validationError/fieldViolations/0/field").asText()).isEqualTo("after");
        assertThat(Api.anonymous(TestParley.baseUrl()).get("/parley/v1/events/stream").status()).isEqualTo(401);
        Api.Response notAStream = api.get("/parley/v1/events/stream"); // no Accept: text/event-stream
        assertThat(notAStream.status()).isEqualTo(400);
        assertThat(notAStream.body().at("/details/validationError/fieldViolations/0/field").asText()).isEqualTo("Accept");
    }
}
