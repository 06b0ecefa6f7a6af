package parley.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.webhooks.Receiver;

/**
 * The connector contract (docs/channels.md): what a connector of another service hands Parley becomes the sender's
 * contact, conversation and message — once, however often it is sent — exactly as the seed's flows make them.
 */
class ConnectorsTest {
    private static final String ICON = "https://sms.example.com/icon.png";
    private final TestSite site = Fixtures.site("Connector Bakery");
    private final String channel = create("{\"kind\": \"CUSTOM\", \"settings\": {\"name\": \"Acme SMS\", "
            + "\"channelType\": \"SMS\", \"iconUrl\": \"" + ICON + "\"}}");

    private String create(String body) {
        Api.Response created = site.api().post("/parley/v1/channels", body);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        return created.text("/id");
    }

    private Api.Response inbound(String body) {
        return site.api().post("/parley/v1/channels/" + channel + "/inbound", body);
    }

    private static String text(String externalId, String sender, String text) {
        return """
                {"externalMessageId": "%s", "sender": %s,
                 "message": {"content": {"basic": {"items": [{"text": "%s"}]}}}}""".formatted(externalId, sender, text);
    }

    @Test
    void aServicesMessageBecomesItsSendersContactConversationAndMessageOnce() {
        String externalId = "SM" + UUID.randomUUID();
        Api.Response taken = inbound(text(externalId, "{\"phone\": \"+1 415 555 0101\", \"name\": \"Ana Lopez\"}",
                "Is the shop open?"));
        assertThat(taken.status()).as(taken.raw()).isEqualTo(200);
        assertThat(taken.body().get("duplicate").asBoolean()).isFalse();
        JsonNode message = taken.body().get("message");
        assertThat(message.get("direction").asText()).isEqualTo("PARTICIPANT_TO_BUSINESS");
        assertThat(message.get("visibility").asText()).isEqualTo("BUSINESS");
        assertThat(message.get("sourceChannel").asText()).isEqualTo("SMS");
        assertThat(message.get("sourceChannelId").asText()).isEqualTo(channel);
        assertThat(message.at("/badges/0/text").asText()).isEqualTo("Acme SMS");
        assertThat(message.at("/badges/0/iconUrl").asText()).isEqualTo(ICON);
        String contactId = taken.text("/contactId");
        assertThat(message.at("/sender/contactId").asText()).isEqualTo(contactId);
        JsonNode contact = site.api().get("/contacts/v4/contacts/" + contactId).body().get("contact");
        assertThat(contact.at("/info/name/first").asText()).isEqualTo("Ana");
        assertThat(contact.at("/info/phones/items/0/e164Phone").asText()).isEqualTo("+14155550101");

        // The service sends it again (its retry): nothing is stored twice.
        Api.Response again = inbound(text(externalId, "{\"phone\": \"+14155550101\"}", "Is the shop open?"));
        assertThat(again.body().get("duplicate").asBoolean()).isTrue();
        assertThat(again.text("/message/id")).isEqualTo(message.get("id").asText());
        String conversation = taken.text("/conversationId");
        assertThat(site.listAll(conversation, "BUSINESS")).hasSize(1);

        // The same number written another way is the same person, in the same conversation.
        Api.Response next = inbound(text("SM" + UUID.randomUUID(), "{\"phone\": \"+14155550101\"}", "Hello?"));
        assertThat(next.text("/conversationId")).isEqualTo(conversation);
        assertThat(next.text("/contactId")).isEqualTo(contactId);
    }

    @Test
    void twoNumbersOrAnEmailOfOneContactReachTheirOneConversation() {
        Api.Response created = site.api().post("/contacts/v4/contacts", """
                {"info": {"name": {"first": "Bea"}, "emails": {"items": [{"email": "bea@client.example"}]},
                 "phones": {"items": [{"phone": "+33 6 12 34 56 78"}, {"phone": "+44 7700 900123"}]}}}""");
        String contactId = created.text("/contact/id");
        String[] conversations = {
            inbound(text("a" + UUID.randomUUID(), "{\"phone\": \"+33612345678\"}", "from France")).text("/conversationId"),
            inbound(text("b" + UUID.randomUUID(), "{\"phone\": \"+447700900123\"}", "from the UK")).text("/conversationId"),
            inbound(text("c" + UUID.randomUUID(), "{\"email\": \"BEA@client.example\"}", "by mail")).text("/conversationId")};
        assertThat(conversations).containsOnly(conversations[0]);
        assertThat(site.api().get("/inbox/v2/conversations/" + conversations[0]).text("/conversation/participant/contactId"))
                .isEqualTo(contactId);
    }

    @Test
    void aServicesUserIdFollowsItsContactThroughAMerge() {
        Api.Response first = inbound(text("t1" + UUID.randomUUID(), "{\"externalUserId\": \"tg:4242\", \"name\": "
                + "\"Cleo\"}", "hi"));
        String cleo = first.text("/contactId");
        assertThat(inbound(text("t2" + UUID.randomUUID(), "{\"externalUserId\": \"tg:4242\"}", "again"))
                .text("/contactId")).isEqualTo(cleo);

        String target = site.createContact("Cleopatra");
        Api.Response merged = site.api().post("/contacts/v4/contacts/" + target + "/merge",
                "{\"targetContactRevision\": 1, \"sourceContactIds\": [\"" + cleo + "\"]}");
        assertThat(merged.status()).as(merged.raw()).isEqualTo(200);
        assertThat(inbound(text("t3" + UUID.randomUUID(), "{\"externalUserId\": \"tg:4242\"}", "after the merge"))
                .text("/contactId")).isEqualTo(target);
    }

    @Test
    void aBadRequestIsRefusedWholeAndChangesNothing() {
        String before = site.api().get("/contacts/v4/contacts").raw();
        Api.Response refused = inbound("""
                {"sender": {"phone": "555-0101", "email": "not an address"},
                 "message": {"content": {"basic": {"items": []}}}}""");
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.raw()).contains("externalMessageId", "sender.phone", "sender.email");
        Api.Response badContent = inbound(text("x" + UUID.randomUUID(), "{\"phone\": \"+14155550199\"}", ""));
        assertThat(badContent.status()).as(badContent.raw()).isEqualTo(400);
        assertThat(badContent.raw()).contains("message.content.basic.items[0].text");
        assertThat(site.api().get("/contacts/v4/contacts").raw()).isEqualTo(before);
        assertThat(site.api().get("/parley/v1/conversations").body().get("conversations")).isEmpty();

        assertThat(site.api().post("/parley/v1/channels/" + UUID.randomUUID() + "/inbound",
                text("y", "{\"phone\": \"+14155550199\"}", "hi")).status()).isEqualTo(404);
        String email = create("{\"kind\": \"EMAIL\", \"settings\": {\"address\": \"in@" + UUID.randomUUID()
                + ".example\"}}");
        assertThat(site.api().post("/parley/v1/channels/" + email + "/inbound",
                text("y", "{\"phone\": \"+14155550199\"}", "hi")).status()).isEqualTo(404);
        assertThat(Fixtures.site("Other").api().post("/parley/v1/channels/" + channel + "/inbound",
                text("y", "{\"phone\": \"+14155550199\"}", "hi")).status()).isEqualTo(404);
        assertThat(site.api().post("/parley/v1/channels", "{\"kind\": \"CUSTOM\", \"settings\": {\"channelType\": "
                + "\"CHAT\", \"iconUrl\": \"javascript:alert(1)\"}}").raw())
                .contains("settings.name", "settings.channelType", "settings.iconUrl");
    }

    @Test
    void aConnectorsKeyHandsInItsChannelsMessagesAndNothingElse() {
        Api.Response created = site.api().post("/parley/v1/channels/" + channel + "/keys", "{}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        Api connector = Api.of(parley.TestParley.baseUrl(), site.id(), created.text("/apiKey"));
        String keyId = created.text("/apiKey");

        Api.Response uploaded = parley.TestFiles.upload(parley.TestParley.baseUrl(), keyId, site.id(), "photo.png",
                null, parley.TestFiles.png(4, 4));
        assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(200);
        Api.Response taken = connector.post("/parley/v1/channels/" + channel + "/inbound", """
                {"externalMessageId": "%s", "sender": {"phone": "+14155550142"},
                 "message": {"content": {"basic": {"items": [%s]}}}}""".formatted(UUID.randomUUID(),
                uploaded.body().get("item")));
        assertThat(taken.status()).as(taken.raw()).isEqualTo(200);
        assertThat(taken.text("/message/content/basic/items/0/image/id")).isEqualTo(uploaded.text("/file/id"));
        assertThat(connector.post("/parley/v1/channels/" + channel + "/activities", """
                {"externalActivityId": "b1", "sender": {"phone": "+14155550142"}, "activity": {"text": "Paid"}}""")
                .status()).isEqualTo(200);

        String other = create("{\"kind\": \"CUSTOM\", \"settings\": {\"name\": \"Other\", \"channelType\": \"PHONE\"}}");
        for (Api.Response refused : List.of(
                connector.post("/parley/v1/channels/" + other + "/inbound", text("z", "{\"phone\": \"+14155550142\"}", "x")),
                connector.get("/parley/v1/conversations"),
                connector.get("/inbox/v2/messages?conversationId=" + taken.text("/conversationId")),
                connector.post("/inbox/v2/messages", "{}"),
                connector.get("/contacts/v4/contacts"),
                connector.post("/parley/v1/channels/" + channel + "/keys", "{}"),
                connector.delete("/parley/v1/channels/" + channel))) {
            assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        }

        // The channel gone, a key of it that no node has checked lately is gone too.
        String unused = site.api().post("/parley/v1/channels/" + other + "/keys", "{}").text("/apiKey");
        assertThat(site.api().delete("/parley/v1/channels/" + other).status()).isEqualTo(204);
        assertThat(Api.of(parley.TestParley.baseUrl(), site.id(), unused).post("/parley/v1/channels/" + other
                + "/inbound", text("z", "{\"phone\": \"+14155550142\"}", "x")).status()).isEqualTo(401);
        assertThat(site.api().post("/parley/v1/channels/" + UUID.randomUUID() + "/keys", "{}").status()).isEqualTo(404);
    }

    @Test
    void aReplyGoesToTheConnectorAsASignedWebhookAndItsReportsAreTheMessagesDelivery() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Api.Response hook = site.api().post("/parley/v1/webhooks", "{\"url\": \"" + receiver.url()
                    + "\", \"eventTypes\": [\"parley.inbox.v1.message_channel_outbound\"]}");
            assertThat(hook.status()).as(hook.raw()).isEqualTo(200);
            Api.Response taken = inbound(text("in" + UUID.randomUUID(), "{\"phone\": \"+14155550177\", "
                    + "\"externalUserId\": \"user-77\"}", "Do you deliver?"));
            String conversation = taken.text("/conversationId");
            // Handed in by the connector itself (an answer given in the service's own tool): never handed back.
            inbound("""
                    {"externalMessageId": "out-%s", "sender": {"phone": "+14155550177"},
                     "message": {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "BUSINESS_AND_PARTICIPANT",
                      "content": {"basic": {"items": [{"text": "Answered in the SMS tool"}]}}}}""".formatted(UUID.randomUUID()));
            site.sendText(conversation, "A note", "BUSINESS_TO_PARTICIPANT", "BUSINESS"); // internal: not handed out
            String reply = site.sendText(conversation, "Yes, within 5 km", "BUSINESS_TO_PARTICIPANT",
                    "BUSINESS_AND_PARTICIPANT").get("id").asText();

            Receiver.Request request = receiver.await(r -> r.size() == 1).getFirst();
            JsonNode envelope = parley.web.Json.MAPPER.readTree(com.nimbusds.jwt.SignedJWT.parse(request.body())
                    .getJWTClaimsSet().getStringClaim("data"));
            assertThat(envelope.get("eventType").asText()).isEqualTo("parley.inbox.v1.message_channel_outbound");
            JsonNode body = parley.web.Json.MAPPER.readTree(envelope.get("data").asText()).at("/actionEvent/body");
            assertThat(body.get("channelId").asText()).isEqualTo(channel);
            assertThat(body.get("conversationId").asText()).isEqualTo(conversation);
            assertThat(body.at("/recipient/phone").asText()).isEqualTo("+14155550177");
            assertThat(body.at("/recipient/externalUserId").asText()).isEqualTo("user-77");
            assertThat(body.at("/message/id").asText()).isEqualTo(reply);
            assertThat(body.at("/message/content/basic/items/0/text").asText()).isEqualTo("Yes, within 5 km");
            assertThat(delivery(conversation, reply).get("state").asText()).isEqualTo("QUEUED");

            Api connector = Api.of(parley.TestParley.baseUrl(), site.id(),
                    site.api().post("/parley/v1/channels/" + channel + "/keys", "{}").text("/apiKey"));
            String reports = "/parley/v1/channels/" + channel + "/deliveries";
            assertThat(connector.post(reports, "{\"messageId\": \"" + reply + "\", \"state\": \"DELIVERED\"}")
                    .status()).isEqualTo(200);
            connector.post(reports, "{\"messageId\": \"" + reply + "\", \"state\": \"SENT\"}"); // late: no change
            JsonNode delivered = delivery(conversation, reply);
            assertThat(delivered.get("state").asText()).isEqualTo("DELIVERED");
            assertThat(delivered.get("channel").asText()).isEqualTo("SMS");
            assertThat(delivered.get("channelName").asText()).isEqualTo("Acme SMS");
            assertThat(site.events().stream().filter(e -> e.type() == parley.events.EventType.MESSAGE_DELIVERY_CHANGED)
                    .map(e -> e.body().at("/delivery/state").asText())).containsExactly("QUEUED", "DELIVERED");
            assertThat(connector.post(reports, "{\"messageId\": \"1\", \"state\": \"READ\"}").status()).isEqualTo(404);
            assertThat(connector.post(reports, "{\"messageId\": \"" + reply + "\", \"state\": \"QUEUED\"}")
                    .status()).isEqualTo(400);
            Thread.sleep(500); // what else the outbox would hand out, it would have by now
            assertThat(receiver.attempts()).isEqualTo(1);
        }
    }

    private JsonNode delivery(String conversation, String messageId) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            for (JsonNode delivery : site.api().get("/parley/v1/conversations/" + conversation + "/deliveries").body()
                    .get("deliveries")) {
                if (delivery.get("messageId").asText().equals(messageId)) {
                    return delivery;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no delivery of message " + messageId);
    }

    @Test
    void aChannelIsRenamedAndItsNextMessagesCarryTheNewBadge() {
        Api.Response renamed = site.api().patch("/parley/v1/channels/" + channel,
                "{\"settings\": {\"name\": \"Acme Texts\"}}");
        assertThat(renamed.status()).as(renamed.raw()).isEqualTo(200);
        assertThat(renamed.text("/settings/name")).isEqualTo("Acme Texts");
        assertThat(renamed.text("/settings/iconUrl")).isEqualTo(ICON); // left out: kept
        assertThat(site.api().get("/parley/v1/channels").body().at("/channels/0/settings/name").asText())
                .isEqualTo("Acme Texts");
        assertThat(inbound(text("r" + UUID.randomUUID(), "{\"phone\": \"+14155550166\"}", "hi"))
                .text("/message/badges/0/text")).isEqualTo("Acme Texts");

        Api.Response refused = site.api().patch("/parley/v1/channels/" + channel,
                "{\"settings\": {\"name\": \"\", \"iconUrl\": \"ftp://x\"}}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.raw()).contains("settings.name", "settings.iconUrl");
        assertThat(site.api().patch("/parley/v1/channels/" + UUID.randomUUID(), "{\"settings\": {}}").status())
                .isEqualTo(404);
    }

    /** The seed's flows A and B, done by hand through the Wix API, and through the connector contract. */
    @Test
    void theSeedsFlowsThroughTheContractMakeTheMessagesTheyMakeThroughTheWixApi() {
        String email = "dora." + UUID.randomUUID() + "@client.example";
        String contact = site.api().post("/contacts/v4/contacts", "{\"info\": {\"name\": {\"first\": \"Dora\"}, "
                + "\"emails\": {\"items\": [{\"email\": \"" + email + "\"}]}}}").text("/contact/id");
        // By hand: Query Contacts by email, Get Or Create Conversation, Send Message (wix-compatibility 8.1, 8.2).
        String found = site.api().post("/contacts/v4/contacts/query", "{\"query\": {\"filter\": "
                + "{\"info.emails.email\": {\"$eq\": \"" + email + "\"}}, \"fields\": [\"id\"]}}").text("/contacts/0/id");
        assertThat(found).isEqualTo(contact);
        String conversation = site.conversationOf("contactId", found);
        String badge = "\"badges\": [{\"text\": \"Acme SMS\", \"iconUrl\": \"" + ICON + "\"}], \"sourceChannel\": "
                + "\"SMS\", \"sourceChannelId\": \"" + channel + "\"";
        JsonNode byHandA = send(conversation, "\"content\": {\"basic\": {\"items\": [{\"text\": \"Table for two?\"}]}}, "
                + badge);
        JsonNode byHandB = send(conversation, "\"content\": {\"minimal\": {\"text\": \"Booked a table\", \"iconUrl\": "
                + "\"https://sms.example.com/booked.png\"}}, " + badge);

        Api.Response a = inbound(text("A" + UUID.randomUUID(), "{\"email\": \"" + email + "\"}", "Table for two?"));
        Api.Response b = site.api().post("/parley/v1/channels/" + channel + "/activities", """
                {"externalActivityId": "%s", "sender": {"email": "%s"},
                 "activity": {"text": "Booked a table", "iconUrl": "https://sms.example.com/booked.png"}}"""
                .formatted(UUID.randomUUID(), email));
        assertThat(b.status()).as(b.raw()).isEqualTo(200);
        assertThat(a.text("/conversationId")).isEqualTo(conversation);
        assertThat(withoutIdentity(a.body().get("message"))).isEqualTo(withoutIdentity(byHandA));
        assertThat(withoutIdentity(b.body().get("message"))).isEqualTo(withoutIdentity(byHandB));
    }

    private JsonNode send(String conversation, String message) {
        Api.Response sent = site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "sendAs": "PARTICIPANT", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS", %s}}""".formatted(conversation, message));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        return sent.body().get("message");
    }

    /** A message without what differs between any two messages: its id, sequence and time. */
    private static JsonNode withoutIdentity(JsonNode message) {
        ObjectNode copy = message.deepCopy();
        copy.remove(List.of("id", "sequence", "createdDate"));
        return copy;
    }
}
