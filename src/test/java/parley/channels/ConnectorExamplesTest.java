package parley.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestParley;
import parley.web.Json;
import parley.webhooks.Receiver;

/**
 * The connector examples of docs/channels.md, run as their readers would run them (Node.js, and Java from its source
 * file) against a real Parley and a stand-in for the service they connect: an SMS in, the agent's reply out through
 * the service, its delivery reported back.
 */
class ConnectorExamplesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest
    @ValueSource(strings = {"examples/connector.mjs", "examples/Connector.java"})
    void theExampleConnectorCarriesAMessageInAndTheReplyOut(String example) throws Exception {
        TestSite site = Fixtures.site("Example Bakery");
        String channel = site.api().post("/parley/v1/channels", "{\"kind\": \"CUSTOM\", \"settings\": "
                + "{\"name\": \"Example SMS\", \"channelType\": \"SMS\"}}").text("/id");
        String key = site.api().post("/parley/v1/channels/" + channel + "/keys", "{}").text("/apiKey");
        int port = freePort();
        String secret = site.api().post("/parley/v1/webhooks", "{\"url\": \"http://127.0.0.1:" + port + "/parley\", "
                + "\"eventTypes\": [\"parley.inbox.v1.message_channel_outbound\"]}").text("/webhook/secret");
        try (Receiver service = new Receiver()) {
            List<String> command = example.endsWith(".mjs") ? List.of("node", example)
                    : List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                            System.getProperty("java.class.path"), example);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(Map.of("PARLEY_URL", TestParley.baseUrl(), "PARLEY_SITE_ID", site.id(),
                    "CHANNEL_ID", channel, "CONNECTOR_KEY", key, "WEBHOOK_SECRET", secret,
                    "SERVICE_SEND_URL", service.url(), "PORT", Integer.toString(port)));
            Process connector = builder.start();
            try {
                BufferedReader output = new BufferedReader(new InputStreamReader(connector.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(output.readLine()).isEqualTo("connector listening");
                Thread.ofVirtual().start(() -> output.lines().forEach(line -> System.out.println(example + ": " + line)));

                String sms = "SM" + UUID.randomUUID();
                assertThat(post(port, "/incoming", "{\"id\": \"" + sms + "\", \"from\": \"+14155550188\", "
                        + "\"text\": \"Hello from my phone\"}")).isEqualTo(200);
                JsonNode conversation = site.api().get("/parley/v1/conversations").body().at("/conversations/0");
                String conversationId = conversation.get("id").asText();
                assertThat(site.listAll(conversationId, "BUSINESS").get(0).at("/content/basic/items/0/text").asText())
                        .isEqualTo("Hello from my phone");
                assertThat(post(port, "/parley", "{}")).as("a webhook Parley did not sign").isNotEqualTo(200);

                String reply = site.sendText(conversationId, "Hi! We open at 9.", "BUSINESS_TO_PARTICIPANT",
                        "BUSINESS_AND_PARTICIPANT").get("id").asText();
                JsonNode sent = Json.MAPPER.readTree(service.await(r -> r.size() == 1).getFirst().body());
                assertThat(sent.get("to").asText()).isEqualTo("+14155550188");
                assertThat(sent.get("text").asText()).isEqualTo("Hi! We open at 9.");
                assertThat(awaitDelivered(site, conversationId, reply)).isEqualTo("DELIVERED");
            } finally {
                connector.destroy();
                connector.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String awaitDelivered(TestSite site, String conversation, String messageId) throws Exception {
        String state = null;
        for (int attempt = 0; attempt < 200 && !"DELIVERED".equals(state); attempt++) {
            Thread.sleep(100);
            for (JsonNode delivery : site.api().get("/parley/v1/conversations/" + conversation + "/deliveries")
                    .body().get("deliveries")) {
                if (delivery.get("messageId").asText().equals(messageId)) {
                    state = delivery.get("state").asText();
                }
            }
        }
        return state;
    }

    private static int post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
