package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

/** DESIGN.md section 3: every create call accepts an idempotency key; a retry returns the first result. */
class IdempotencyKeyTest {
    private final TestSite acme = Fixtures.acme();
    private final String conversation = acme.visitorConversation();

    private String body(String text) {
        return """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "%s"}]}}}}
                """.formatted(conversation, text);
    }

    @Test
    void aRetryWithTheSameKeyAndBodyReturnsTheFirstMessageAndStoresNothingNew() {
        Api keyed = acme.api().withHeader("Idempotency-Key", "order-1042");

        Api.Response first = keyed.post("/inbox/v2/messages", body("hello"));
        Api.Response retry = keyed.post("/inbox/v2/messages", body("hello"));

        assertThat(first.status()).isEqualTo(200);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(acme.listAll(conversation, "BUSINESS")).hasSize(1);
        assertThat(acme.events()).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs409() {
        Api keyed = acme.api().withHeader("Idempotency-Key", "order-1043");
        keyed.post("/inbox/v2/messages", body("hello"));

        Api.Response reused = keyed.post("/inbox/v2/messages", body("something else"));

        assertThat(reused.status()).isEqualTo(409);
        assertThat(reused.text("/details/applicationError/code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(acme.listAll(conversation, "BUSINESS")).hasSize(1);
    }

    @Test
    void concurrentRetriesWithOneKeyStoreOneMessage() throws Exception {
        Api keyed = acme.api().withHeader("Idempotency-Key", "burst");
        List<Callable<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(() -> keyed.post("/inbox/v2/messages", body("once")));
        }
        List<Api.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Api.Response> future : pool.invokeAll(calls)) {
                responses.add(future.get());
            }
        }

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.raw()).isEqualTo(200));
        Set<String> ids = responses.stream().map(r -> r.text("/message/id")).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(acme.listAll(conversation, "BUSINESS")).hasSize(1);
        assertThat(acme.events()).hasSize(1);
    }

    @Test
    void keysAreScopedToTheOperationAndTheSite() {
        TestSite globex = Fixtures.site("Globex");
        String visitor = UUID.randomUUID().toString();

        Api.Response created = acme.api().withHeader("Idempotency-Key", "k1").post("/inbox/v2/conversations",
                "{\"participantId\": {\"anonymousVisitorId\": \"" + visitor + "\"}}");
        Api.Response retried = acme.api().withHeader("Idempotency-Key", "k1").post("/inbox/v2/conversations",
                "{\"participantId\": {\"anonymousVisitorId\": \"" + visitor + "\"}}");
        Api.Response sent = acme.api().withHeader("Idempotency-Key", "k1").post("/inbox/v2/messages", body("x"));
        Api.Response elsewhere = globex.api().withHeader("Idempotency-Key", "k1").post("/inbox/v2/conversations",
                "{\"participantId\": {\"anonymousVisitorId\": \"" + visitor + "\"}}");

        assertThat(retried.body()).isEqualTo(created.body());
        assertThat(retried.body().get("newConversation").asBoolean()).isTrue();
        assertThat(sent.status()).isEqualTo(200);
        assertThat(elsewhere.status()).isEqualTo(200);
        assertThat(elsewhere.text("/conversation/id")).isNotEqualTo(created.text("/conversation/id"));
    }

    @Test
    void aMalformedKeyIs400() {
        Api.Response response = acme.api().withHeader("Idempotency-Key", "x".repeat(256))
                .post("/inbox/v2/messages", body("hello"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("Idempotency-Key");
    }
}
