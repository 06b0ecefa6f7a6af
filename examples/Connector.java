import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A connector for a custom channel (docs/channels.md), in Java 21 with Jackson as its one library. It takes the
 * service's webhooks in (here a made-up SMS service: POST /incoming {"id", "from", "text"}) and hands each message to
 * Parley; it takes Parley's signed channel_outbound webhooks in (POST /parley), sends each reply through the service
 * (POST SERVICE_SEND_URL {"to", "text"}) and reports how that went.
 *
 * <pre>
 * PARLEY_URL=http://localhost:8080 PARLEY_SITE_ID=… CHANNEL_ID=… CONNECTOR_KEY=prly_… WEBHOOK_SECRET=whsec_… \
 * SERVICE_SEND_URL=https://sms.example.com/send PORT=3000 java -cp jackson-databind.jar:… examples/Connector.java
 * </pre>
 */
public class Connector {
    static final Map<String, String> ENV = System.getenv();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(Integer.parseInt(ENV.getOrDefault("PORT", "3000"))), 0);
        server.createContext("/", Connector::handle);
        server.start();
        System.out.println("connector listening");
    }

    static void handle(HttpExchange exchange) {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = 200;
            if (exchange.getRequestURI().getPath().equals("/incoming")) {
                JsonNode sms = JSON.readTree(body);
                parley("inbound", Map.of("externalMessageId", sms.get("id").asText(),
                        "sender", Map.of("phone", sms.get("from").asText()),
                        "message", Map.of("content", Map.of("basic", Map.of("items",
                                new Object[] {Map.of("text", sms.get("text").asText())})))));
            } else if (exchange.getRequestURI().getPath().equals("/parley") && signedByParley(exchange, body)) {
                JsonNode envelope = JSON.readTree(JSON.readTree(Base64.getUrlDecoder().decode(body.split("\\.")[1]))
                        .get("data").asText());
                if (envelope.get("eventType").asText().equals("parley.inbox.v1.message_channel_outbound")) {
                    outbound(JSON.readTree(envelope.get("data").asText()).at("/actionEvent/body"));
                }
            } else {
                status = 404;
            }
            exchange.sendResponseHeaders(status, -1);
        } catch (Exception e) {
            e.printStackTrace();
            try {
                exchange.sendResponseHeaders(500, -1); // the sender tries again later: Parley and most services retry
            } catch (Exception ignored) {
                // the connection is gone
            }
        }
    }

    static void outbound(JsonNode event) throws Exception {
        if (!event.get("channelId").asText().equals(ENV.get("CHANNEL_ID"))) {
            return; // another channel's connector sends that one
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode item : event.at("/message/content/basic/items")) {
            JsonNode line = item.has("text") ? item.get("text") : item.findValue("url");
            text.append(text.isEmpty() ? "" : "\n").append(line.asText());
        }
        HttpResponse<Void> sent = HTTP.send(HttpRequest.newBuilder(URI.create(ENV.get("SERVICE_SEND_URL")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "to", event.at("/recipient/phone").asText(), "text", text.toString())))).build(),
                HttpResponse.BodyHandlers.discarding());
        String messageId = event.at("/message/id").asText();
        parley("deliveries", sent.statusCode() / 100 == 2 ? Map.of("messageId", messageId, "state", "DELIVERED")
                : Map.of("messageId", messageId, "state", "FAILED", "reason", "the service answered " + sent.statusCode()));
    }

    /** Standard Webhooks: HMAC-SHA256 of "webhook-id.webhook-timestamp.body" under the subscription's secret. */
    static boolean signedByParley(HttpExchange exchange, String body) throws Exception {
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
        if (id == null || timestamp == null || signatures == null
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(ENV.get("WEBHOOK_SECRET").replaceFirst("^whsec_", "")),
                "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        for (String signature : signatures.split(" ")) {
            if (MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.replaceFirst("^v1,", "")))) {
                return true;
            }
        }
        return false;
    }

    static void parley(String call, Object body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(ENV.get("PARLEY_URL")
                        + "/parley/v1/channels/" + ENV.get("CHANNEL_ID") + "/" + call))
                .header("Authorization", ENV.get("CONNECTOR_KEY"))
                .header("wix-site-id", ENV.get("PARLEY_SITE_ID"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(call + ": " + response.statusCode() + " " + response.body());
        }
    }
}
