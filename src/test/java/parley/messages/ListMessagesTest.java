package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

class ListMessagesTest {
    private final TestSite acme = Fixtures.acme();
    private final String conversation = acme.visitorConversation();

    private List<String> ids(JsonNode messages) {
        return messages.valueStream().map(m -> m.get("id").asText()).toList();
    }

    private List<String> sendTexts(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(acme.sendText(conversation, "m" + i, "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT")
                    .get("id").asText());
        }
        return ids;
    }

    @Test
    void businessVisibilityListsEverythingAndParticipantVisibilityOnlyWhatTheParticipantSees() {
        String shared = acme.sendText(conversation, "hello", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT")
                .get("id").asText();
        String internal = acme.sendText(conversation, "internal note", "BUSINESS_TO_PARTICIPANT", "BUSINESS")
                .get("id").asText();

        assertThat(ids(acme.listAll(conversation, "BUSINESS"))).containsExactly(shared, internal);
        assertThat(ids(acme.listAll(conversation, "BUSINESS_AND_PARTICIPANT"))).containsExactly(shared);
    }

    @Test
    void defaultsToThirtyNewestFirst() {
        List<String> sent = sendTexts(32);

        Api.Response page = acme.api().get("/inbox/v2/messages?conversationId=" + conversation + "&visibility=BUSINESS");

        assertThat(ids(page.body().get("messages"))).containsExactlyElementsOf(sent.reversed().subList(0, 30));
        assertThat(page.body().at("/pagingMetadata/count").asInt()).isEqualTo(30);
        assertThat(page.body().at("/pagingMetadata/cursors/next").asText()).isNotEmpty();
    }

    @Test
    void cursorsWalkEveryMessageOnceInEitherOrder() {
        List<String> sent = sendTexts(7);

        assertThat(walk("ASC", 3)).containsExactlyElementsOf(sent);
        assertThat(walk("DESC", 2)).containsExactlyElementsOf(sent.reversed());
    }

    private List<String> walk(String order, int limit) {
        List<String> seen = new ArrayList<>();
        String cursor = "";
        do {
            Api.Response page = acme.api().get("/inbox/v2/messages?conversationId=" + conversation
                    + "&visibility=BUSINESS&sorting.fieldName=sequence&sorting.order=" + order + "&paging.limit=" + limit
                    + (cursor.isEmpty() ? "" : "&paging.cursor=" + cursor));
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            seen.addAll(ids(page.body().get("messages")));
            cursor = page.body().at("/pagingMetadata/cursors/next").asText();
        } while (!cursor.isEmpty());
        return seen;
    }

    @Test
    void theLastPageHasNoCursor() {
        sendTexts(2);

        Api.Response page = acme.api().get("/inbox/v2/messages?conversationId=" + conversation
                + "&visibility=BUSINESS&paging.limit=2");

        assertThat(page.body().at("/pagingMetadata/cursors").isMissingNode()).isTrue();
        assertThat(page.body().at("/pagingMetadata/hasNext").asBoolean()).isFalse();
    }

    @Test
    void acceptsTheSdksBase64urlEncodedRequest() {
        List<String> sent = sendTexts(3);

        Api.Response page = acme.api().getWithR("/crm/inbox/v2/messages", """
                {"conversationId": "%s", "visibility": "BUSINESS", "paging": {"limit": 2},
                 "sorting": {"fieldName": "sequence", "order": "ASC"}}
                """.formatted(conversation));

        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        assertThat(ids(page.body().get("messages"))).containsExactlyElementsOf(sent.subList(0, 2));
    }

    @Test
    void aCursorReplayedWithAnotherQueryIs400() {
        sendTexts(3);
        String cursor = acme.api().get("/inbox/v2/messages?conversationId=" + conversation
                + "&visibility=BUSINESS&paging.limit=1").body().at("/pagingMetadata/cursors/next").asText();

        for (String changed : List.of("&visibility=BUSINESS_AND_PARTICIPANT", "&visibility=BUSINESS&sorting.order=ASC")) {
            Api.Response response = acme.api().get("/inbox/v2/messages?conversationId=" + conversation + changed
                    + "&paging.limit=1&paging.cursor=" + cursor);
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.text("/details/applicationError/code")).isEqualTo("INVALID_CURSOR");
        }
        Api.Response garbage = acme.api().get("/inbox/v2/messages?conversationId=" + conversation
                + "&visibility=BUSINESS&paging.cursor=not-a-cursor");
        assertThat(garbage.status()).isEqualTo(400);
    }

    @Test
    void badParametersAre400NamingTheField() {
        assertField("visibility=BUSINESS", "conversationId");
        assertField("conversationId=" + conversation, "visibility");
        assertField("conversationId=" + conversation + "&visibility=EVERYONE", "visibility");
        assertField("conversationId=" + conversation + "&visibility=BUSINESS&paging.limit=101", "paging.limit");
        assertField("conversationId=" + conversation + "&visibility=BUSINESS&paging.limit=-1", "paging.limit");
        assertField("conversationId=" + conversation + "&visibility=BUSINESS&paging.limit=ten", "paging.limit");
        assertField("conversationId=" + conversation + "&visibility=BUSINESS&sorting.fieldName=text",
                "sorting.fieldName");
        assertField("conversationId=" + conversation + "&visibility=BUSINESS&sorting.order=UP", "sorting.order");
    }

    @Test
    void limitsUpToOneHundredAreAccepted() {
        sendTexts(2);

        Api.Response page = acme.api().get("/inbox/v2/messages?conversationId=" + conversation
                + "&visibility=BUSINESS&paging.limit=100&sorting.fieldName=createdDate");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().get("messages")).hasSize(2);
    }

    private void assertField(String query, String field) {
        Api.Response response = acme.api().get("/inbox/v2/messages?" + query);
        assertThat(response.status()).as(query + " " + response.raw()).isEqualTo(400);
        assertThat(response.body().at("/details/validationError/fieldViolations/0/field").asText()).isEqualTo(field);
    }
}
