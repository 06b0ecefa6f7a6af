package parley.conversations;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

class GetOrCreateConversationTest {
    private final TestSite acme = Fixtures.acme();

    @ParameterizedTest
    @ValueSource(strings = {"contactId", "anonymousVisitorId", "memberId"})
    void createsOnFirstCallAndReturnsTheSameConversationAfterwards(String kind) {
        String participant = acme.newParticipant(kind);
        String body = "{\"participantId\": {\"" + kind + "\": \"" + participant + "\"}}";

        Api.Response first = acme.api().post("/inbox/v2/conversations", body);
        Api.Response second = acme.api().post("/inbox/v2/conversations", body);

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("newConversation").asBoolean()).isTrue();
        assertThat(first.text("/conversation/participant/" + kind)).isEqualTo(participant);
        assertThat(second.body().get("newConversation").asBoolean()).isFalse();
        assertThat(second.text("/conversation/id")).isEqualTo(first.text("/conversation/id"));
    }

    @Test
    void answersOnBothPathFamiliesAndAcceptsSnakeCase() {
        String visitor = UUID.randomUUID().toString();
        Api.Response wix = acme.api().post("/inbox/v2/conversations",
                "{\"participant_id\": {\"anonymous_visitor_id\": \"" + visitor + "\"}}");
        Api.Response sdk = acme.api().post("/crm/inbox/v2/conversations",
                "{\"participantId\": {\"anonymousVisitorId\": \"" + visitor + "\"}}");

        assertThat(wix.status()).isEqualTo(200);
        assertThat(sdk.text("/conversation/id")).isEqualTo(wix.text("/conversation/id"));
    }

    @Test
    void conversationCarriesBusinessAndParticipantDisplayData() {
        String visitor = UUID.randomUUID().toString();
        Api.Response created = acme.api().post("/inbox/v2/conversations",
                "{\"participantId\": {\"anonymousVisitorId\": \"" + visitor + "\"}}");

        Api.Response got = acme.api().get("/inbox/v2/conversations/" + created.text("/conversation/id"));

        assertThat(got.status()).isEqualTo(200);
        assertThat(got.text("/conversation/businessDisplayData/name")).isEqualTo("Acme Bakery");
        assertThat(got.text("/conversation/participantDisplayData/name")).matches("Visitor #\\d{4}");
        assertThat(got.text("/conversation/participant/anonymousVisitorId")).isEqualTo(visitor);
        assertThat(got.body().at("/conversation/channels").toString()).isEqualTo("[\"CHAT\"]");
        assertThat(got.body().get("conversation")).isEqualTo(created.body().get("conversation"));
    }

    @Test
    void manyConcurrentCallsForANewParticipantCreateExactlyOneConversation() throws Exception {
        String body = "{\"participantId\": {\"contactId\": \"" + acme.createContact("Carla") + "\"}}";
        List<Callable<Api.Response>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            calls.add(() -> acme.api().post("/inbox/v2/conversations", body));
        }
        List<Api.Response> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (Future<Api.Response> future : pool.invokeAll(calls)) {
                responses.add(future.get());
            }
        }

        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        Set<String> ids = responses.stream().map(r -> r.text("/conversation/id")).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        assertThat(responses.stream().filter(r -> r.body().get("newConversation").asBoolean())).hasSize(1);
    }

    @Test
    void unknownOrMalformedConversationIdsAreNotFound() {
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-guid")) {
            Api.Response response = acme.api().get("/inbox/v2/conversations/" + id);
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.text("/details/applicationError/code")).isEqualTo("CONVERSATION_NOT_FOUND");
        }
    }

    @Test
    void participantIdMustNameExactlyOneGuid() {
        assertViolation("{}", "participantId", "is required");
        assertViolation("{\"participantId\": {}}", "participantId",
                "must have exactly one of contactId, anonymousVisitorId, memberId");
        assertViolation("{\"participantId\": {\"contactId\": \"" + UUID.randomUUID() + "\", \"memberId\": \""
                + UUID.randomUUID() + "\"}}", "participantId",
                "must have exactly one of contactId, anonymousVisitorId, memberId");
        assertViolation("{\"participantId\": {\"memberId\": \"mia\"}}", "participantId.memberId", "must be a GUID");
        assertViolation("{\"participantId\": {\"memberId\": 42}}", "participantId.memberId", "must be a string");
    }

    private void assertViolation(String body, String field, String description) {
        Api.Response response = acme.api().post("/inbox/v2/conversations", body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertThat(response.body().at("/details/validationError/fieldViolations/0/field").asText()).isEqualTo(field);
        assertThat(response.body().at("/details/validationError/fieldViolations/0/description").asText())
                .isEqualTo(description);
    }
}
