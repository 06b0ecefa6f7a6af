package parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.web.Json;

/** Webhooks end to end against a real receiver: signatures, Wix's envelope, retries in order, replay, the log. */
class WebhooksTest {
    private final TestSite acme = Fixtures.acme();

    /** What a receiver written for Wix reads, after checking both signatures. */
    record Received(long position, String eventType, String instanceId, JsonNode event, JsonNode identity) {
    }

    @Test
    void aReceiverWrittenForWixGetsTheFourInboxEventsSignedTwice() throws Exception {
        try (Receiver receiver = new Receiver()) {
            JsonNode webhook = subscribe(receiver, """
                    ["wix.crm.inbox.v2.message_message_sent_to_business",
                     "wix.crm.inbox.v2.message_message_sent_to_participant",
                     "wix.crm.inbox.v2.message_button_interacted",
                     "wix.crm.inbox.v2.conversation_conversations_merged"]""");
            String visitor = UUID.randomUUID().toString();
            String conversation = acme.conversationOf("anonymousVisitorId", visitor);
            JsonNode question = acme.sendText(conversation, "Open today?", "PARTICIPANT_TO_BUSINESS",
                    "BUSINESS_AND_PARTICIPANT");
            JsonNode card = acme.api().post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                     "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"template": {"title": "Yes, until 18:00",
                     "buttons": [{"label": "Book", "postbackProperties": {"interactionId": "book"}}]}}}}
                    """.formatted(conversation)).body().get("message");
            assertThat(acme.api().post("/parley/v1/conversations/" + conversation + "/messages/"
                    + card.get("id").asText() + "/interactions", "{\"interactionId\": \"book\"}").status()).isEqualTo(200);
            String contact = acme.createContact("Carla"); // contact_created: not subscribed, never sent
            String target = acme.api().post("/parley/v1/identity/link", "{\"anonymousVisitorId\": \"" + visitor
                    + "\", \"contactId\": \"" + contact + "\"}").text("/conversationId");

            // Ordered per conversation; the merge event belongs to the target conversation, so sort by position.
            List<Received> got = verified(receiver.await(r -> r.size() == 4), webhook.get("secret").asText())
                    .stream().sorted(java.util.Comparator.comparing(Received::position)).toList();

            assertThat(got).extracting(Received::eventType).containsExactly(
                    "wix.crm.inbox.v2.message_message_sent_to_business",
                    "wix.crm.inbox.v2.message_message_sent_to_participant",
                    "wix.crm.inbox.v2.message_button_interacted",
                    "wix.crm.inbox.v2.conversation_conversations_merged");
            assertThat(got).extracting(Received::instanceId).containsOnly(acme.id());
            JsonNode sent = got.get(0).event();
            assertThat(sent.get("entityFqdn").asText()).isEqualTo("wix.crm.inbox.v2.message");
            assertThat(sent.get("slug").asText()).isEqualTo("message_sent_to_business");
            assertThat(sent.get("entityId").asText()).isEqualTo(question.get("id").asText());
            assertThat(sent.at("/actionEvent/body/conversationId").asText()).isEqualTo(conversation);
            assertThat(sent.at("/actionEvent/body/message")).isEqualTo(question);
            assertThat(got.get(1).event().at("/actionEvent/body/message")).isEqualTo(card);
            JsonNode pressed = got.get(2).event().at("/actionEvent/body");
            assertThat(pressed.get("interactionId").asText()).isEqualTo("book");
            assertThat(pressed.get("appId").asText()).isEqualTo(card.get("appId").asText());
            assertThat(pressed.at("/interactedBy/anonymousVisitorId").asText()).isEqualTo(visitor);
            JsonNode merged = got.get(3).event();
            assertThat(merged.get("entityId").asText()).isEqualTo(target);
            assertThat(merged.at("/actionEvent/body/oldConversationIds/0").asText()).isEqualTo(conversation);
            assertThat(merged.at("/actionEvent/body/targetConversationId").asText()).isEqualTo(target);
            assertThat(got.get(0).identity().get("identityType").asText()).isEqualTo("APP");
        }
    }

    @Test
    void aFailingThenSlowReceiverGetsEveryEventOnceInOrderAndTheLogShowsWhy() throws Exception {
        try (Receiver receiver = new Receiver(500, Receiver.HANG)) {
            JsonNode webhook = subscribe(receiver, "[]");
            String conversation = acme.visitorConversation();
            for (int i = 1; i <= 5; i++) {
                acme.sendText(conversation, "m" + i, "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
            }

            List<Received> got = verified(receiver.await(r -> r.size() == 5), webhook.get("secret").asText());

            assertThat(got).extracting(Received::position).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(got).extracting(r -> r.event().at("/actionEvent/body/message/content/basic/items/0/text")
                    .asText()).containsExactly("m1", "m2", "m3", "m4", "m5");
            JsonNode first = acme.api().get(hooks(webhook) + "/deliveries/1").body().get("delivery");
            assertThat(first.get("status").asText()).isEqualTo("DELIVERED");
            assertThat(first.get("attempts").asInt()).isEqualTo(3);
            assertThat(first.at("/attemptLog/0/statusCode").asInt()).isEqualTo(500);
            assertThat(first.at("/attemptLog/1/error").asText()).contains("no complete answer within");
            assertThat(first.at("/attemptLog/2/statusCode").asInt()).isEqualTo(200);
            assertThat(acme.api().get(hooks(webhook)).body().at("/webhook/status").asText()).isEqualTo("HEALTHY");
            JsonNode log = acme.api().get(hooks(webhook) + "/deliveries?limit=2").body().get("deliveries");
            assertThat(log).hasSize(2);
            assertThat(log.get(0).get("position").asLong()).isEqualTo(5);
        }
    }

    @Test
    void replayRedeliversExactlyTheRequestedRangeAndOneEventCanBeRedelivered() throws Exception {
        try (Receiver receiver = new Receiver()) {
            JsonNode webhook = subscribe(receiver, "[]");
            String conversation = acme.visitorConversation();
            for (int i = 1; i <= 4; i++) {
                acme.sendText(conversation, "m" + i, "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
            }
            receiver.await(r -> r.size() == 4);

            Api.Response replay = acme.api().post(hooks(webhook) + "/replay",
                    "{\"fromPosition\": 2, \"toPosition\": 3}");
            assertThat(replay.body().get("queued").asInt()).as(replay.raw()).isEqualTo(2);
            List<Received> again = verified(receiver.await(r -> r.size() == 6), webhook.get("secret").asText());
            assertThat(again.subList(4, 6)).extracting(Received::position).containsExactly(2L, 3L);

            Api.Response redeliver = acme.api().post(hooks(webhook) + "/deliveries/4/redeliver", "{}");
            assertThat(redeliver.status()).as(redeliver.raw()).isEqualTo(200);
            assertThat(verified(receiver.await(r -> r.size() == 7), webhook.get("secret").asText()).getLast()
                    .position()).isEqualTo(4);
            assertThat(acme.api().post(hooks(webhook) + "/deliveries/99/redeliver", "{}").status()).isEqualTo(404);
        }
    }

    @Test
    void subscriptionsWithTheFormerHyphenatedNamesKeepReceivingTheirEvents() throws Exception {
        try (Receiver receiver = new Receiver()) {
            JsonNode webhook = subscribe(receiver, "[\"wix.crm.inbox.v2.message_message-sent-to-participant\"]");
            assertThat(webhook.get("eventTypes").toString())
                    .isEqualTo("[\"wix.crm.inbox.v2.message_message_sent_to_participant\"]");
            // As a release before the correction stored it:
            try (Connection connection = DriverManager.getConnection(parley.TestParley.get().databaseUrl());
                 PreparedStatement stored = connection.prepareStatement("""
                         UPDATE webhook_subscriptions
                         SET event_types = '{wix.crm.inbox.v2.message_message-sent-to-business}'
                         WHERE site_id = ? AND subscription_id = ?""")) {
                stored.setObject(1, UUID.fromString(acme.id()));
                stored.setObject(2, UUID.fromString(webhook.get("id").asText()));
                assertThat(stored.executeUpdate()).isEqualTo(1);
            }
            String conversation = acme.visitorConversation();
            acme.sendText(conversation, "to the business", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
            acme.sendText(conversation, "to the visitor", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
            acme.sendText(conversation, "again to the business", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

            List<Received> got = verified(receiver.await(r -> r.size() == 2), webhook.get("secret").asText());

            assertThat(got).extracting(Received::eventType)
                    .containsOnly("wix.crm.inbox.v2.message_message_sent_to_business");
            assertThat(acme.api().get(hooks(webhook)).body().at("/webhook/eventTypes").toString())
                    .isEqualTo("[\"wix.crm.inbox.v2.message_message_sent_to_business\"]");
        }
    }

    @Test
    void subscriptionsRefuseBadTargetsAndTypesAndBelongToTheirSite() {
        for (String url : List.of("ftp://example.org/x", "not a url", "https://user:pw@example.org/x",
                acmeBase() + "/parley/v1/sites")) {
            Api.Response refused = acme.api().post("/parley/v1/webhooks", "{\"url\": \"" + url + "\"}");
            assertThat(refused.status()).as(url + " " + refused.raw()).isEqualTo(400);
            assertThat(refused.raw()).contains("\"field\":\"url\"");
        }
        try (parley.Parley strict = parley.Parley.start(parley.TestParley.anotherNode(0, false),
                java.time.Clock.systemUTC())) {
            Api byDefault = Api.of("http://127.0.0.1:" + strict.port(), acme.id(), acme.apiKey());
            for (String url : List.of("http://127.0.0.1:9/x", "http://localhost:9/x", "http://169.254.169.254/latest",
                    "http://[::1]:9/x", "http://10.0.0.8/x")) {
                Api.Response refused = byDefault.post("/parley/v1/webhooks", "{\"url\": \"" + url + "\"}");
                assertThat(refused.status()).as(url + " " + refused.raw()).isEqualTo(400);
                assertThat(refused.raw()).contains("must not point at a private, loopback or link-local address");
            }
        }
        Api.Response badType = acme.api().post("/parley/v1/webhooks",
                "{\"url\": \"https://example.org/h\", \"eventTypes\": [\"wix.nope\"]}");
        assertThat(badType.raw()).contains("\"field\":\"eventTypes[0]\"");

        Api.Response created = acme.api().post("/parley/v1/webhooks", "{\"url\": \"https://example.org/h\"}");
        String id = created.text("/webhook/id");
        assertThat(created.text("/webhook/secret")).startsWith("whsec_");
        assertThat(Fixtures.site("Other").api().get("/parley/v1/webhooks/" + id).status()).isEqualTo(404);
        Api.Response off = acme.api().patch("/parley/v1/webhooks/" + id, "{\"enabled\": false}");
        assertThat(off.text("/webhook/status")).isEqualTo("DISABLED");
        assertThat(acme.api().get("/parley/v1/webhooks").body().get("webhooks")).hasSize(1);
        assertThat(acme.api().delete("/parley/v1/webhooks/" + id).status()).isEqualTo(200);
        assertThat(acme.api().get("/parley/v1/webhooks/" + id).status()).isEqualTo(404);
    }

    @Test
    void aRotatedKeySignsFromThenOnAndTheOldOneStaysPublished() throws Exception {
        String before = JWKSet.parse(acme.api().get("/.well-known/jwks.json").raw()).getKeys().getFirst().getKeyID();
        assertThat(acme.api().post("/parley/v1/signing-keys/rotate", "{}").status()).isEqualTo(401);
        Api admin = Api.anonymous(acmeBase()).withHeader("Authorization", "Bearer " + parley.TestParley.ADMIN_TOKEN);

        JWKSet rotated = JWKSet.parse(admin.post("/parley/v1/signing-keys/rotate", "{}").raw());

        String after = rotated.getKeys().getFirst().getKeyID();
        assertThat(after).isNotEqualTo(before);
        assertThat(rotated.getKeyByKeyId(before)).isNotNull();
        try (Receiver receiver = new Receiver()) {
            JsonNode webhook = subscribe(receiver, "[]");
            acme.sendText(acme.visitorConversation(), "hi", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
            Receiver.Request request = receiver.await(r -> r.size() == 1).getFirst();
            assertThat(SignedJWT.parse(request.body()).getHeader().getKeyID()).isEqualTo(after);
            assertThat(verified(List.of(request), webhook.get("secret").asText())).hasSize(1);
        }
    }

    private JsonNode subscribe(Receiver receiver, String eventTypes) {
        Api.Response created = acme.api().post("/parley/v1/webhooks",
                "{\"url\": \"" + receiver.url() + "\", \"eventTypes\": " + eventTypes + "}");
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        return created.body().get("webhook");
    }

    private static String hooks(JsonNode webhook) {
        return "/parley/v1/webhooks/" + webhook.get("id").asText();
    }

    private static String acmeBase() {
        return parley.TestParley.baseUrl();
    }

    /** Checks the JWT against the JWKS and the HMAC header against the secret, then reads it as Wix's. */
    private List<Received> verified(List<Receiver.Request> requests, String secret) throws Exception {
        JWKSet jwks = JWKSet.parse(acme.api().get("/.well-known/jwks.json").raw());
        List<Received> received = new ArrayList<>();
        for (Receiver.Request request : requests) {
            SignedJWT jwt = SignedJWT.parse(request.body());
            RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String signed = request.header("webhook-id") + "." + request.header("webhook-timestamp") + "."
                    + request.body();
            assertThat(request.header("webhook-signature")).isEqualTo("v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));

            JsonNode envelope = Json.MAPPER.readTree(jwt.getJWTClaimsSet().getStringClaim("data"));
            JsonNode event = Json.MAPPER.readTree(envelope.get("data").asText());
            assertThat(request.header("webhook-id")).isEqualTo(event.get("id").asText());
            received.add(new Received(Long.parseLong(request.header("parley-event-position")),
                    envelope.get("eventType").asText(), envelope.get("instanceId").asText(), event,
                    Json.MAPPER.readTree(envelope.get("identity").asText())));
        }
        return received;
    }
}
