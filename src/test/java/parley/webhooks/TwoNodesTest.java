package parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Config;
import parley.Parley;
import parley.TestParley;
import parley.storage.Database;

/** Two Parley nodes on one database share the deliveries: each event reaches the receiver once. */
class TwoNodesTest {
    @Test
    void eachEventIsDeliveredOnceByOneOfTheNodes() {
        try (Database database = Database.open(null, TestParley.freshDataDir(), 2);
             Parley one = Parley.start(node(database), Clock.systemUTC());
             Parley two = Parley.start(node(database), Clock.systemUTC());
             Receiver receiver = new Receiver()) {
            Api admin = Api.anonymous("http://127.0.0.1:" + one.port())
                    .withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN);
            JsonNode site = admin.post("/parley/v1/sites", "{\"displayName\": \"Two nodes\"}").body();
            String siteId = site.at("/site/id").asText();
            String key = site.get("apiKey").asText();
            List<Api> nodes = List.of(Api.of("http://127.0.0.1:" + one.port(), siteId, key),
                    Api.of("http://127.0.0.1:" + two.port(), siteId, key));
            String webhook = nodes.get(0).post("/parley/v1/webhooks", "{\"url\": \"" + receiver.url() + "\"}")
                    .text("/webhook/id");
            int sends = 40;
            for (int i = 0; i < sends; i++) {
                Api node = nodes.get(i % 2);
                String conversation = node.post("/inbox/v2/conversations", "{\"participantId\": "
                        + "{\"anonymousVisitorId\": \"00000000-0000-4000-8000-00000000000" + (i % 4) + "\"}}")
                        .text("/conversation/id");
                assertThat(node.post("/inbox/v2/messages", """
                        {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                         "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "m%d"}]}}}}
                        """.formatted(conversation, i)).status()).isEqualTo(200);
            }

            List<Receiver.Request> got = receiver.await(r -> r.size() >= sends);

            Set<String> ids = new HashSet<>();
            got.forEach(r -> ids.add(r.header("webhook-id")));
            assertThat(ids).hasSize(sends);
            assertThat(receiver.attempts()).isEqualTo(sends);
            JsonNode log = nodes.get(1).get("/parley/v1/webhooks/" + webhook + "/deliveries?limit=100").body();
            assertThat(log.get("deliveries")).hasSize(sends)
                    .allSatisfy(d -> assertThat(d.get("attempts").asInt()).isEqualTo(1));
        }
    }

    private static Config node(Database database) {
        Config defaults = TestParley.config(null, 0);
        return new Config(0, null, database.jdbcUrl(), defaults.adminToken(), defaults.maxBodyBytes(), 4,
                defaults.webhooks());
    }
}
