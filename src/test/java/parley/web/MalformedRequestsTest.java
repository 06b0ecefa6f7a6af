package parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestFiles;
import parley.TestParley;

/**
 * Every endpoint, driven with generated malformed requests: each endpoint's valid request (the corpus),
 * mutated in its body, query, path, headers, method or request line, and sent as raw bytes over a socket so
 * that nothing on the way cleans it up. Every answer must be below 500, and every error the Wix envelope
 * ({@code message} and {@code details}) in JSON, of a bounded size. The run is seeded: a failure prints the
 * seed, and {@code -Dparley.fuzz.seed=… -Dparley.fuzz.requests=…} repeat or widen it.
 */
class MalformedRequestsTest {
    private static final int REQUESTS = Integer.getInteger("parley.fuzz.requests", 20_000);
    private static final long SEED = Long.getLong("parley.fuzz.seed", 20261203L);
    /** An error answer lists at most a few violations; anything near this size is one per item of a big input. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private enum Auth { KEY, VISITOR, DASHBOARD, ADMIN, NONE }

    /** One endpoint of the corpus: a valid request of it. Nullable: {@code body}. */
    private record Endpoint(String method, String path, String query, String body, Auth auth) {
    }

    /** A request as bytes, and how to show it in a failure. */
    private record Sent(byte[] bytes, String shown) {
    }

    private record Answer(int status, String contentType, byte[] body) {
    }

    @Test
    void malformedRequestsToEveryEndpointGetA4xxInTheEnvelopeNeverA5xx() throws Exception {
        TestSite acme = Fixtures.acme();
        Map<Auth, String> credentials = credentials(acme);
        List<Endpoint> endpoints = corpus(acme, credentials);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger fiveHundreds = new AtomicInteger();
        int threads = 4;
        IntStream.range(0, threads).parallel().forEach(thread -> {
            Random random = new Random(SEED + thread);
            for (int i = thread; i < REQUESTS; i += threads) {
                Endpoint endpoint = endpoints.get(random.nextInt(endpoints.size()));
                Sent request = mutated(endpoint, credentials, random);
                Answer answer = send(request.bytes());
                sent.incrementAndGet();
                if (answer.status() >= 500) {
                    fiveHundreds.incrementAndGet();
                }
                String wrong = wrong(answer);
                if (wrong != null && failures.size() < 30) {
                    failures.add(wrong + "\n  request: " + request.shown() + "\n  answer: " + answer.status() + " "
                            + abbreviated(new String(answer.body(), StandardCharsets.UTF_8), 300));
                }
            }
        });
        System.out.printf("malformed requests: %d sent, %d answered 5xx (seed %d)%n", sent.get(), fiveHundreds.get(),
                SEED);
        assertThat(failures).as("seed %d", SEED).isEmpty();
        assertThat(sent.get()).isEqualTo(REQUESTS);
    }

    @Test
    void eachCauseOfA500SeenBeforeIsAClear4xx() {
        TestSite acme = Fixtures.acme();
        Map<Auth, String> credentials = credentials(acme);
        String conversation = acme.visitorConversation();
        String key = credentials.get(Auth.KEY);
        String nullCursor = encodedJson("null");
        String cursorOfNulls = encodedJson("{\"conversationId\":null,\"visibility\":null,\"sortField\":null,"
                + "\"order\":null,\"after\":1}");
        Map<Sent, Integer> expected = new LinkedHashMap<>();
        expected.put(request("POST", "/inbox/v2/messages", credentials.get(Auth.VISITOR), """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "a\\u0000b"}]}}}}"""
                .formatted(conversation)), 400);
        expected.put(request("POST", "/contacts/v4/contacts", key,
                "{\"info\": {\"name\": {\"first\": \"\u00C0\u0080\"}}}"), 400); // C0 80 as sent, in ISO-8859-1
        expected.put(request("POST", "/contacts/v4/contacts/query", key,
                "{\"query\": {\"filter\": {\"info.name.first\": \"\\ud800\"}}}"), 400);
        expected.put(request("GET", "/inbox/v2/messages?conversationId=" + conversation
                + "&visibility=BUSINESS&paging.cursor=" + nullCursor, key, null), 400);
        expected.put(request("GET", "/inbox/v2/messages?conversationId=" + conversation
                + "&visibility=BUSINESS&paging.cursor=" + cursorOfNulls, key, null), 400);
        expected.put(request("GET", "/parley/v1/conversations?cursor=" + encodedJson("{}"), key, null), 400);
        expected.put(request("GET", "/inbox/v2/messages?..=1&conversationId=" + conversation, key, null), 400);
        expected.put(request("GET", "/parley/v1/events?.=1", key, null), 400);
        expected.put(request("POST", "/parley/v1/dashboard/sign-out", key, "{}"), 401);
        expected.put(request("POST", "/contacts/v4/contacts/query", key,
                "{\"query\": {\"fields\": [null], \"fieldsets\": [null]}}"), 400);
        expected.put(request("GET", "/inbox/v2/%ZZ/messages", key, null), 400);
        expected.put(request("GET", "/inbox/v2/messages?q=" + "x".repeat(70_000), key, null), 414);
        expected.put(request("PATCH", "/parley/v1/widget/settings", key + "X-Padding: " + "y".repeat(70_000) + "\r\n",
                "{}"), 431);

        expected.forEach((sent, status) -> {
            Answer answer = send(sent.bytes());
            assertThat(answer.status()).as(sent.shown()).isEqualTo(status);
            assertThat(wrong(answer)).as(sent.shown()).isNull();
        });
    }

    private static Sent request(String method, String target, String headers, String body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.ISO_8859_1).length + "\r\n") + "\r\n";
        byte[] bytes = (head + (body == null ? "" : body)).getBytes(StandardCharsets.ISO_8859_1);
        return new Sent(bytes, abbreviated(method + " " + target, 200) + " " + (body == null ? "" : body));
    }

    /** What is wrong with an answer, or null. */
    private static String wrong(Answer answer) {
        if (answer.status() >= 500 || answer.status() < 100) {
            return "a " + answer.status() + " answer";
        }
        if (answer.status() < 400) {
            return null;
        }
        if (answer.body().length > MAX_ERROR_BYTES) {
            return "an error of " + answer.body().length + " bytes";
        }
        if (answer.contentType() == null || !answer.contentType().startsWith("application/json")) {
            return "an error that is not JSON (" + answer.contentType() + ")";
        }
        try {
            JsonNode body = Json.MAPPER.readTree(answer.body());
            boolean envelope = body.path("message").isTextual() && (body.path("details").has("applicationError")
                    || body.path("details").has("validationError"));
            return envelope ? null : "an error outside the envelope";
        } catch (IOException e) {
            return "an error that does not parse as JSON";
        }
    }

    // --- the corpus -------------------------------------------------------------------------------------

    private static Map<Auth, String> credentials(TestSite acme) {
        Map<Auth, String> headers = new LinkedHashMap<>();
        headers.put(Auth.KEY, "Authorization: " + acme.apiKey() + "\r\nwix-site-id: " + acme.id() + "\r\n");
        String token = Api.anonymous(TestParley.baseUrl()).post("/parley/v1/widget/session",
                "{\"siteId\": \"" + acme.id() + "\"}").text("/token");
        headers.put(Auth.VISITOR, "Authorization: " + token + "\r\n");
        DashboardLogin login = DashboardLogin.agentOf(acme);
        Api.Response signedIn = Api.anonymous(TestParley.baseUrl()).post("/parley/v1/dashboard/sign-in",
                "{\"email\": \"" + login.email() + "\", \"password\": \"" + login.password() + "\"}");
        headers.put(Auth.DASHBOARD, "Cookie: " + signedIn.header("Set-Cookie").split(";", 2)[0] + "\r\nX-CSRF-Token: "
                + signedIn.text("/csrfToken") + "\r\n");
        headers.put(Auth.ADMIN, "Authorization: Bearer " + TestParley.ADMIN_TOKEN + "\r\n");
        headers.put(Auth.NONE, "");
        return headers;
    }

    private static List<Endpoint> corpus(TestSite acme, Map<Auth, String> credentials) {
        String visitor = UUID.randomUUID().toString();
        String conversation = acme.conversationOf("anonymousVisitorId", visitor);
        String contact = acme.createContact("Fuzzy");
        String member = acme.createMember("Mia");
        String message = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"template": {"title": "Book?",
                 "buttons": [{"label": "Book", "postbackProperties": {"interactionId": "book"}}]}}}}
                """.formatted(conversation)).text("/message/id");
        String hook = acme.api().post("/parley/v1/webhooks", "{\"url\": \"https://example.org/hooks\"}")
                .text("/webhook/id");
        Api.Response file = TestFiles.upload(TestParley.baseUrl(), acme.apiKey(), acme.id(), "fuzz.png", null,
                TestFiles.png(2, 2));
        URI fileUrl = URI.create(file.text("/file/url"));
        String sendBody = """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "badges": [{"text": "Web"}],
                 "content": {"previewText": "hi", "basic": {"items": [{"text": "hi"},
                  {"image": {"url": "https://example.org/a.png", "width": 10, "height": 10}},
                  {"file": {"id": "%s"}}]}}},
                 "sendAs": "CALLER"}""".formatted(conversation, file.text("/file/id"));
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"conversationId\":\"" + conversation + "\",\"visibility\":\"BUSINESS\",\"sortField\":\"sequence\","
                        + "\"order\":\"ASC\",\"after\":1}").getBytes(StandardCharsets.UTF_8));
        String r = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"conversationId\":\"" + conversation
                + "\",\"visibility\":\"BUSINESS\",\"paging\":{\"limit\":10},\"sorting\":{\"fieldName\":\"sequence\","
                + "\"order\":\"ASC\"}}").getBytes(StandardCharsets.UTF_8));
        List<Endpoint> endpoints = new ArrayList<>();
        for (String inbox : WixPaths.INBOX) {
            endpoints.add(new Endpoint("POST", inbox + "/conversations", "",
                    "{\"participantId\": {\"anonymousVisitorId\": \"" + visitor + "\"}}", Auth.KEY));
            endpoints.add(new Endpoint("GET", inbox + "/conversations/" + conversation, "", null, Auth.KEY));
            endpoints.add(new Endpoint("POST", inbox + "/messages", "", sendBody, Auth.KEY));
            endpoints.add(new Endpoint("GET", inbox + "/messages", "conversationId=" + conversation
                    + "&visibility=BUSINESS&paging.limit=10&paging.cursor=" + cursor, null, Auth.KEY));
            endpoints.add(new Endpoint("GET", inbox + "/messages", ".r=" + r, null, Auth.KEY));
        }
        endpoints.add(new Endpoint("POST", "/inbox/v2/messages", "", sendBody, Auth.VISITOR));
        endpoints.add(new Endpoint("GET", "/inbox/v2/messages", "conversationId=" + conversation
                + "&visibility=BUSINESS_AND_PARTICIPANT", null, Auth.VISITOR));
        for (Auth auth : List.of(Auth.KEY, Auth.VISITOR)) {
            endpoints.add(new Endpoint("POST", "/parley/v1/conversations/" + conversation + "/messages/" + message
                    + "/interactions", "", "{\"interactionId\": \"book\"}", auth));
        }
        endpoints.add(new Endpoint("GET", "/parley/v1/conversations", "limit=5&cursor=" + cursor, null, Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/conversations", "limit=5", null, Auth.DASHBOARD));
        endpoints.add(new Endpoint("POST", "/parley/v1/conversations/" + conversation + "/read", "",
                "{\"readThrough\": \"" + message + "\"}", Auth.DASHBOARD));
        endpoints.add(new Endpoint("GET", "/parley/v1/conversations/" + conversation + "/merges", "", null, Auth.KEY));
        String label = acme.api().post("/parley/v1/labels", "{\"name\": \"Fuzzed\"}").text("/id");
        String team = acme.api().post("/parley/v1/teams", "{\"name\": \"Fuzzers\"}").text("/id");
        String reply = acme.api().post("/parley/v1/canned-replies", "{\"shortcut\": \"fuzz\", \"body\": \"Hi\"}")
                .text("/id");
        String workflow = "/parley/v1/conversations/" + conversation;
        endpoints.add(new Endpoint("GET", "/parley/v1/conversations", "status=OPEN,PENDING&assignee=none&team=" + team
                + "&label=" + label + "&channel=CHAT&limit=5", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/conversations/counts", "status=OPEN&unread=true&label=" + label,
                null, Auth.DASHBOARD));
        endpoints.add(new Endpoint("GET", workflow + "/workflow", "", null, Auth.KEY));
        endpoints.add(new Endpoint("POST", workflow + "/status", "", "{\"status\": \"SNOOZED\", \"snoozedUntil\": "
                + "\"2099-01-01T00:00:00Z\"}", Auth.KEY));
        endpoints.add(new Endpoint("POST", workflow + "/assignment", "", "{\"assigneeId\": \"me\", \"teamId\": \""
                + team + "\"}", Auth.DASHBOARD));
        endpoints.add(new Endpoint("PUT", workflow + "/labels", "", "{\"labelIds\": [\"" + label + "\"]}", Auth.KEY));
        endpoints.add(new Endpoint("POST", workflow + "/typing", "", "{}", Auth.DASHBOARD));
        endpoints.add(new Endpoint("GET", workflow + "/pages", "", null, Auth.DASHBOARD));
        endpoints.add(new Endpoint("GET", workflow + "/deliveries", "", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", workflow + "/messages/1/original", "", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/channels", "", null, Auth.DASHBOARD));
        endpoints.add(new Endpoint("POST", "/parley/v1/channels", "", "{\"kind\": \"EMAIL\", \"settings\": "
                + "{\"address\": \"fuzz@" + UUID.randomUUID() + ".example\"}}", Auth.KEY));
        endpoints.add(new Endpoint("DELETE", "/parley/v1/channels/" + UUID.randomUUID(), "", null, Auth.KEY));
        String custom = acme.api().post("/parley/v1/channels", "{\"kind\": \"CUSTOM\", \"settings\": {\"name\": "
                + "\"Fuzz SMS\", \"channelType\": \"SMS\"}}").text("/id");
        endpoints.add(new Endpoint("POST", "/parley/v1/channels/" + custom + "/inbound", "", """
                {"externalMessageId": "fuzz-1", "sender": {"phone": "+14155550101", "externalUserId": "u1",
                 "email": "f@example.org", "name": "F U"}, "message": {"content": {"basic": {"items": [{"text": "hi"}]}}},
                 "silent": false}""", Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/channels/" + custom + "/keys", "", "{}", Auth.KEY));
        endpoints.add(new Endpoint("PATCH", "/parley/v1/channels/" + custom, "", "{\"settings\": {\"name\": \"Fuzz\", "
                + "\"channelType\": \"SMS\", \"iconUrl\": \"https://example.org/i.png\"}}", Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/channels/" + custom + "/deliveries", "",
                "{\"messageId\": \"" + message + "\", \"state\": \"FAILED\", \"reason\": \"no route\"}", Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/channels/" + custom + "/activities", "", """
                {"externalActivityId": "fuzz-a", "sender": {"email": "f@example.org"},
                 "activity": {"text": "Booked", "iconUrl": "https://example.org/i.png"}, "previewText": "Booked"}""",
                Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/widget/typing", "", "{}", Auth.VISITOR));
        endpoints.add(new Endpoint("POST", "/parley/v1/files", "filename=fuzz.txt", "{\"a\": 1}", Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/files", "filename=fuzz.txt", "[\"v\"]", Auth.VISITOR));
        endpoints.add(new Endpoint("GET", fileUrl.getRawPath(), fileUrl.getRawQuery(), null, Auth.NONE));
        endpoints.add(new Endpoint("POST", "/parley/v1/labels", "", "{\"name\": \"L\", \"color\": \"#aabbcc\"}",
                Auth.KEY));
        endpoints.add(new Endpoint("PATCH", "/parley/v1/labels/" + label, "", "{\"color\": \"#000000\"}", Auth.KEY));
        endpoints.add(new Endpoint("DELETE", "/parley/v1/labels/" + UUID.randomUUID(), "", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/canned-replies", "prefix=fu", null, Auth.DASHBOARD));
        endpoints.add(new Endpoint("POST", "/parley/v1/canned-replies", "", "{\"shortcut\": \"hello\", \"body\": "
                + "\"Hello!\"}", Auth.DASHBOARD));
        endpoints.add(new Endpoint("PATCH", "/parley/v1/canned-replies/" + reply, "", "{\"body\": \"Hey\"}", Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/search", "q=refund+ann&limit=5", null, Auth.DASHBOARD));
        endpoints.add(new Endpoint("GET", "/parley/v1/users", "", null, Auth.DASHBOARD));
        endpoints.add(new Endpoint("PATCH", "/parley/v1/users/" + UUID.randomUUID(), "", "{\"name\": \"N\", "
                + "\"role\": \"AGENT\", \"active\": true}", Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/invitations", "", "{\"email\": \"new@example.org\", "
                + "\"role\": \"AGENT\"}", Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/invitations", "", null, Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/teams", "", "{\"name\": \"T\", \"memberIds\": []}", Auth.KEY));
        endpoints.add(new Endpoint("PATCH", "/parley/v1/teams/" + team, "", "{\"name\": \"T2\"}", Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/dashboard/accept-invitation", "", "{\"token\": \"abc\", "
                + "\"name\": \"N\", \"password\": \"a long enough password\"}", Auth.NONE));
        for (String contacts : WixPaths.CONTACTS) {
            endpoints.add(new Endpoint("POST", contacts + "/contacts", "", """
                    {"info": {"name": {"first": "Ann", "last": "Lee"}, "company": "Acme",
                     "emails": {"items": [{"email": "ann@example.org", "tag": "WORK"}]},
                     "phones": {"items": [{"phone": "+972 4 555 0101"}]}}, "allowDuplicates": true}""", Auth.KEY));
            endpoints.add(new Endpoint("GET", contacts + "/contacts", "paging.limit=5&paging.offset=0&fieldsets=BASIC"
                    + "&sort.fieldName=createdDate&sort.order=DESC", null, Auth.KEY));
            endpoints.add(new Endpoint("POST", contacts + "/contacts/query", "", """
                    {"query": {"filter": {"$and": [{"info.emails.email": {"$in": ["a@b.c"]}},
                     {"info.name.last": {"$startsWith": "Le"}}]}, "sort": [{"fieldName": "info.name.last"}],
                     "paging": {"limit": 5, "offset": 0}, "fields": ["info.name"], "fieldsets": ["BASIC"]},
                     "search": "ann"}""", Auth.KEY));
            endpoints.add(new Endpoint("GET", contacts + "/contacts/" + contact, "", null, Auth.KEY));
            endpoints.add(new Endpoint("PATCH", contacts + "/contacts/" + contact, "",
                    "{\"revision\": 1, \"info\": {\"jobTitle\": \"Baker\", \"name\": {\"first\": \"F\"}}}", Auth.KEY));
            endpoints.add(new Endpoint("DELETE", contacts + "/contacts/" + UUID.randomUUID(), "", null, Auth.KEY));
            endpoints.add(new Endpoint("POST", contacts + "/contacts/" + contact + "/merge", "",
                    "{\"targetContactRevision\": 1, \"sourceContactIds\": [\"" + UUID.randomUUID() + "\"]}", Auth.KEY));
        }
        endpoints.add(new Endpoint("POST", "/parley/v1/identity/link", "", "{\"anonymousVisitorId\": \""
                + UUID.randomUUID() + "\", \"contactId\": \"" + UUID.randomUUID() + "\"}", Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/members", "", "{\"contactId\": \"" + UUID.randomUUID()
                + "\", \"memberId\": \"" + UUID.randomUUID() + "\"}", Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/members/" + member, "", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/events", "after=0&limit=10", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/events/stream", "after=0", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/widget/stream", "after=0", null, Auth.VISITOR));
        endpoints.add(new Endpoint("POST", "/parley/v1/widget/session", "", "{\"siteId\": \"" + acme.id()
                + "\", \"member\": {\"memberId\": \"" + member + "\", \"signature\": \"abc\"}, \"page\": "
                + "{\"url\": \"https://shop.example/cakes?size=2#top\", \"title\": \"Cakes\"}}", Auth.NONE));
        endpoints.add(new Endpoint("GET", "/parley/v1/widget/settings", "", null, Auth.KEY));
        endpoints.add(new Endpoint("PATCH", "/parley/v1/widget/settings", "",
                "{\"allowedOrigins\": [\"https://shop.example.org\"]}", Auth.KEY));
        String hooks = "/parley/v1/webhooks";
        endpoints.add(new Endpoint("POST", hooks, "", "{\"url\": \"https://example.org/h\", \"eventTypes\": "
                + "[\"wix.crm.inbox.v2.message_message_sent_to_business\"], \"enabled\": false}", Auth.KEY));
        endpoints.add(new Endpoint("GET", hooks, "", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", hooks + "/" + hook, "", null, Auth.KEY));
        endpoints.add(new Endpoint("PATCH", hooks + "/" + hook, "", "{\"enabled\": false}", Auth.KEY));
        endpoints.add(new Endpoint("DELETE", hooks + "/" + UUID.randomUUID(), "", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", hooks + "/" + hook + "/deliveries", "before=100&limit=5", null, Auth.KEY));
        endpoints.add(new Endpoint("GET", hooks + "/" + hook + "/deliveries/1", "", null, Auth.KEY));
        endpoints.add(new Endpoint("POST", hooks + "/" + hook + "/deliveries/1/redeliver", "", "{}", Auth.KEY));
        endpoints.add(new Endpoint("POST", hooks + "/" + hook + "/replay", "", "{\"fromPosition\": 1, \"toPosition\": 2}",
                Auth.KEY));
        endpoints.add(new Endpoint("POST", "/parley/v1/sites", "", "{\"displayName\": \"Fuzz\"}", Auth.ADMIN));
        endpoints.add(new Endpoint("POST", "/parley/v1/dashboard/sign-in", "",
                "{\"email\": \"nobody@example.org\", \"password\": \"not the password\"}", Auth.NONE));
        endpoints.add(new Endpoint("POST", "/parley/v1/dashboard/sign-out", "", "{}", Auth.KEY));
        endpoints.add(new Endpoint("GET", "/parley/v1/dashboard/me", "", null, Auth.DASHBOARD));
        for (String path : List.of("/health/live", "/health/ready", "/.well-known/jwks.json", "/dashboard", "/demo",
                "/widget.js", "/ui/render.js", "/webjars/lit-html/3.3.2/lit-html.js")) {
            endpoints.add(new Endpoint("GET", path, "", null, Auth.NONE));
        }
        return endpoints;
    }

    // --- mutations --------------------------------------------------------------------------------------

    private static final List<String> EVIL_TEXT = List.of("", " ", "\u0000", "a\u0000b", "\\u0000", "%00", "null",
            "NaN", "../../../etc/passwd", "..", ".", "<script>alert(1)</script>", "ʕ•ᴥ•ʔ", "\u202Eevil", "😀",
            "x".repeat(100_000), "' OR 1=1 --", "$where", "\uFEFF", "\r\n", "%ZZ", "-1", "1e400",
            "00000000-0000-0000-0000-000000000000", "prly_", "pt2.a.b.c", "pt2.a.b.c.d");

    private static JsonNode evilValue(Random random) {
        return switch (random.nextInt(22)) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.numberNode(-1);
            case 2 -> JSON.numberNode(Long.MAX_VALUE);
            case 3 -> JSON.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 4 -> JSON.numberNode(1e308);
            case 5 -> JSON.numberNode(3.5);
            case 6 -> JSON.booleanNode(random.nextBoolean());
            case 7 -> JSON.arrayNode();
            case 8 -> JSON.objectNode();
            case 9 -> JSON.arrayNode().add(JSON.nullNode());
            case 10 -> JSON.objectNode().set("", JSON.nullNode());
            case 11 -> {
                ArrayNode many = JSON.arrayNode();
                for (int i = 0; i < 5_000; i++) {
                    many.add(JSON.objectNode().put("text", "x"));
                }
                yield many;
            }
            case 12 -> JSON.numberNode(0);
            case 13 -> JSON.textNode(UUID.randomUUID().toString());
            default -> JSON.textNode(EVIL_TEXT.get(random.nextInt(EVIL_TEXT.size())));
        };
    }

    private static Sent mutated(Endpoint endpoint, Map<Auth, String> credentials, Random random) {
        String method = endpoint.method();
        String path = endpoint.path();
        String query = endpoint.query();
        String headers = credentials.get(endpoint.auth());
        byte[] body = endpoint.body() == null ? null : endpoint.body().getBytes(StandardCharsets.UTF_8);
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(12)) {
                case 0, 1, 2, 3 -> body = mutatedBody(endpoint.body(), random);
                case 4 -> body = rawBody(random);
                case 5, 6 -> query = mutatedQuery(query, random);
                case 7 -> path = mutatedPath(path, random);
                case 8 -> headers = mutatedHeaders(headers, credentials, random);
                case 9 -> method = List.of("GET", "POST", "PATCH", "DELETE", "PUT", "OPTIONS", "TRACE", "FOO")
                        .get(random.nextInt(8));
                case 10 -> headers += "Accept: text/event-stream\r\nLast-Event-ID: " + evilHeaderValue(random) + "\r\n";
                default -> headers += "Idempotency-Key: " + evilHeaderValue(random) + "\r\n";
            }
        }
        String target = path + (query.isEmpty() ? "" : "?" + query);
        if (random.nextInt(200) == 0) {
            target = path + "?q=" + "x".repeat(70_000); // past the request line's limit
        }
        if (random.nextInt(200) == 0) {
            headers += "X-Padding: " + "y".repeat(70_000) + "\r\n"; // past the headers' limit
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.writeBytes(body);
        }
        return new Sent(out.toByteArray(), abbreviated(head.replace("\r\n", " | "), 400) + (body == null ? ""
                : " body: " + abbreviated(new String(body, StandardCharsets.ISO_8859_1), 400)));
    }

    private static byte[] mutatedBody(String valid, Random random) {
        JsonNode tree;
        try {
            tree = valid == null ? JSON.objectNode() : Json.MAPPER.readTree(valid);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<JsonNode> containers = new ArrayList<>();
        collect(tree, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty() || random.nextInt(4) == 0) {
                object.set(random.nextBoolean() ? "extra" : EVIL_TEXT.get(random.nextInt(EVIL_TEXT.size())),
                        evilValue(random));
            } else if (random.nextInt(4) == 0) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(names.get(random.nextInt(names.size())), evilValue(random));
            }
        } else if (target instanceof ArrayNode array) {
            if (array.isEmpty() || random.nextBoolean()) {
                array.add(evilValue(random));
            } else {
                array.set(random.nextInt(array.size()), evilValue(random));
            }
        }
        byte[] bytes = Json.write(tree).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(8) == 0) { // a NUL written as the overlong UTF-8 pair C0 80, inside a string
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            int quote = text.indexOf(":\"");
            if (quote > 0) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, quote + 2);
                out.write(0xC0);
                out.write(0x80);
                out.write(bytes, quote + 2, bytes.length - quote - 2);
                bytes = out.toByteArray();
            }
        }
        return bytes;
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.forEach(child -> collect(child, containers));
        }
    }

    private static byte[] rawBody(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "[".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
            case 1 -> "{\"a\":".repeat(3_000).getBytes(StandardCharsets.US_ASCII);
            case 2 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xFE, '"', '}'};
            case 3 -> "{\"a\": \"\\ud800\"}".getBytes(StandardCharsets.US_ASCII);
            case 4 -> "null".getBytes(StandardCharsets.US_ASCII);
            case 5 -> "{\"a\": 1e99999}".getBytes(StandardCharsets.US_ASCII);
            case 6 -> "{\"a\": 1} trailing".getBytes(StandardCharsets.US_ASCII);
            case 7 -> new byte[0];
            case 8 -> "{\"message\": {\"content\": {\"basic\": {\"items\": [".getBytes(StandardCharsets.US_ASCII);
            default -> {
                byte[] bytes = new byte[random.nextInt(512)];
                random.nextBytes(bytes);
                yield bytes;
            }
        };
    }

    private static String mutatedQuery(String query, Random random) {
        List<String> names = List.of(".", "..", "a..b", ".r", "paging..limit", "paging.", ".paging", "[]", "%00",
                "paging.cursor", "cursor", "limit", "after", "before", "visibility", "conversationId", "sorting.order",
                "fieldsets", "fields", "token", "paging.limit", "paging.offset", "a.b.c.d.e.f.g");
        String name = names.get(random.nextInt(names.size()));
        String value = switch (random.nextInt(6)) {
            case 0 -> encodedJson("null");
            case 1 -> encodedJson(List.of("{}", "[]", "{\"after\":null}", "{\"conversationId\":null,\"after\":\"x\"}",
                    "{\"activity\":null,\"conversationId\":null}", "{\"paging\":{\"cursor\":\"" + encodedJson("null")
                            + "\"}}", "{\"paging\":null}", "{\"conversationId\":\"\\u0000\"}", "\"\"", "1")
                    .get(random.nextInt(10)));
            case 2 -> "%00";
            case 3 -> "%C0%80";
            case 4 -> java.net.URLEncoder.encode(evilValue(random).asText(), StandardCharsets.UTF_8);
            default -> "!!not-base64!!";
        };
        String parameter = name + "=" + value;
        return query.isEmpty() || random.nextInt(3) == 0 ? parameter : query + "&" + parameter;
    }

    private static String encodedJson(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String mutatedPath(String path, Random random) {
        String[] segments = path.split("/", -1);
        if (segments.length < 2) {
            return path;
        }
        int at = 1 + random.nextInt(segments.length - 1);
        segments[at] = List.of("", "%00", "..", "%2e%2e", "a%2Fb", "x".repeat(10_000), "%C0%80", "null", "-1",
                "99999999999999999999", UUID.randomUUID().toString(), "%E2%80%AE", "%ZZ", ";jsessionid=1", "a b",
                "%2F%2F").get(random.nextInt(16));
        return String.join("/", segments);
    }

    private static String mutatedHeaders(String headers, Map<Auth, String> credentials, Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> "";
            case 1 -> "Authorization: " + evilHeaderValue(random) + "\r\n";
            case 2 -> credentials.get(Auth.values()[random.nextInt(Auth.values().length)]);
            case 3 -> headers + "wix-site-id: " + evilHeaderValue(random) + "\r\n";
            case 4 -> headers + "Cookie: parley_session=" + evilHeaderValue(random) + "\r\n";
            case 5 -> headers + "Content-Type: " + evilHeaderValue(random) + "\r\n";
            case 6 -> headers + "Origin: " + evilHeaderValue(random) + "\r\n";
            default -> headers + "X-CSRF-Token: " + evilHeaderValue(random) + "\r\n";
        };
    }

    private static String evilHeaderValue(Random random) {
        return List.of("", "Bearer", "Bearer ", "prly_x", "pt2.x", "pt2." + UUID.randomUUID() + "." + UUID.randomUUID() + ".0"
                        + ".AAAA", "-1", "99999999999999999999", "\u0000", "é", "x".repeat(5_000), "null",
                        UUID.randomUUID().toString(), "1,2", "https://evil.example.org")
                .get(random.nextInt(15));
    }

    // --- the wire ---------------------------------------------------------------------------------------

    private static Answer send(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", TestParley.get().port()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException refusedMidway) {
                // the server may answer and close before it read a large request: read what it said
            }
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            if (statusLine == null || statusLine.length() < 12) {
                return new Answer(0, null, new byte[0]);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            String contentType = null;
            boolean stream = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = header.substring(13).strip();
                    stream = contentType.startsWith("text/event-stream");
                }
            }
            if (stream) { // a stream that opened: what follows does not end
                return new Answer(status, contentType, new byte[0]);
            }
            return new Answer(status, contentType, in.readNBytes(MAX_ERROR_BYTES + 1));
        } catch (IOException e) {
            throw new AssertionError("the server did not answer: " + e, e);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String abbreviated(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + ")";
    }
}
