package parley.widget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Config;
import parley.MutableClock;
import parley.Parley;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestParley;
import parley.auth.Caller;
import parley.auth.ParticipantTokens;
import parley.events.Event;
import parley.events.EventType;

/**
 * The chat widget's participant tokens: a visitor keeps its conversation across reloads, reads only what
 * the participant sees, sends only as the participant, presses only buttons it can see, and reaches no
 * other endpoint.
 */
class ParticipantTokenTest {
    private final TestSite acme = Fixtures.site("Widget");
    private final Api anonymous = Api.anonymous(TestParley.baseUrl());

    private record Session(String token, String visitor, String conversation) {
    }

    private Session session(String siteId, String token) {
        Api.Response response = anonymous.post("/parley/v1/widget/session", token == null
                ? "{\"siteId\": \"" + siteId + "\"}"
                : "{\"siteId\": \"" + siteId + "\", \"token\": \"" + token + "\"}");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return new Session(response.text("/token"), response.text("/anonymousVisitorId"),
                response.text("/conversationId"));
    }

    private static Api as(Session session) {
        return Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", session.token());
    }

    private JsonNode sendAsBusiness(String conversation, String visibility, String content) {
        Api.Response sent = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT", "visibility": "%s",
                 %s}}""".formatted(conversation, visibility, content));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        return sent.body().get("message");
    }

    private static String text(String text) {
        return "\"content\": {\"basic\": {\"items\": [{\"text\": \"" + text + "\"}]}}";
    }

    private static Api.Response send(Api api, String conversation, String direction, String visibility) {
        return api.post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "%s", "visibility": "%s", %s}}"""
                .formatted(conversation, direction, visibility, text("hello from the widget")));
    }

    private static Api.Response list(Api api, String conversation, String visibility) {
        return api.get("/inbox/v2/messages?conversationId=" + conversation + "&visibility=" + visibility);
    }

    @Test
    void aVisitorKeepsItsConversationWithItsTokenAndGetsANewOneWithout() {
        Session first = session(acme.id(), null);
        Session reload = session(acme.id(), first.token());
        Session forged = session(acme.id(), first.token().substring(0, first.token().length() - 2) + "xx");
        Session elsewhere = session(Fixtures.site("Elsewhere").id(), first.token());

        assertThat(reload.visitor()).isEqualTo(first.visitor());
        assertThat(reload.conversation()).isEqualTo(first.conversation());
        assertThat(forged.visitor()).isNotEqualTo(first.visitor());
        assertThat(elsewhere.visitor()).isNotEqualTo(first.visitor());
        JsonNode conversation = acme.api().get("/inbox/v2/conversations/" + first.conversation()).body();
        assertThat(conversation.at("/conversation/participant/anonymousVisitorId").asText()).isEqualTo(first.visitor());
        assertThat(anonymous.post("/parley/v1/widget/session", "{\"siteId\": \"" + UUID.randomUUID() + "\"}").status())
                .isEqualTo(404);
    }

    @Test
    void aVisitorReadsOnlyWhatTheParticipantSeesInItsOwnConversation() {
        Session visitor = session(acme.id(), null);
        sendAsBusiness(visitor.conversation(), "BUSINESS_AND_PARTICIPANT", text("Hi, how can we help?") + """
                , "badges": [{"text": "VIP", "iconUrl": "https://cdn.example.org/vip.svg", "badgeVisibility": "BUSINESS"}]""");
        sendAsBusiness(visitor.conversation(), "BUSINESS_AND_PARTICIPANT", text("Your order shipped") + """
                , "badges": [{"text": "Support", "iconUrl": "https://cdn.example.org/help.svg",
                              "badgeVisibility": "BUSINESS_AND_PARTICIPANT"}]""");
        sendAsBusiness(visitor.conversation(), "BUSINESS", text("internal: check the refund"));
        Session other = session(acme.id(), null);

        Api.Response own = list(as(visitor), visitor.conversation(), "BUSINESS_AND_PARTICIPANT");

        assertThat(own.status()).as(own.raw()).isEqualTo(200);
        assertThat(own.body().get("messages")).hasSize(2);
        assertThat(own.raw()).doesNotContain("internal").doesNotContain("VIP").contains("Support");
        assertThat(list(as(visitor), visitor.conversation(), "BUSINESS").status()).isEqualTo(403);
        assertThat(list(as(other), visitor.conversation(), "BUSINESS_AND_PARTICIPANT").status()).isEqualTo(404);
    }

    @Test
    void aVisitorSendsOnlyAsTheParticipantIntoItsOwnConversation() {
        Session visitor = session(acme.id(), null);
        Session other = session(acme.id(), null);

        Api.Response sent = send(as(visitor), visitor.conversation(), "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        assertThat(sent.text("/message/sender/anonymousVisitorId")).isEqualTo(visitor.visitor());
        assertThat(sent.text("/message/appId")).isEqualTo(Caller.CHAT_WIDGET_APP_ID.toString());
        Event event = acme.events().getLast();
        assertThat(event.type()).isEqualTo(EventType.MESSAGE_SENT_TO_BUSINESS);
        assertThat(event.identity().get("identityType").asText()).isEqualTo("ANONYMOUS_VISITOR");
        assertThat(event.identity().get("anonymousVisitorId").asText()).isEqualTo(visitor.visitor());
        int events = acme.events().size();
        assertThat(send(as(visitor), visitor.conversation(), "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT")
                .status()).isEqualTo(403);
        assertThat(send(as(visitor), visitor.conversation(), "PARTICIPANT_TO_BUSINESS", "BUSINESS").status())
                .isEqualTo(403);
        assertThat(send(as(visitor), other.conversation(), "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT")
                .status()).isEqualTo(404);
        assertThat(acme.events()).hasSize(events);
        assertThat(list(acme.api(), other.conversation(), "BUSINESS").body().get("messages")).isEmpty();
    }

    @Test
    void aVisitorPressesOnlyButtonsItCanSee() {
        Session visitor = session(acme.id(), null);
        Session other = session(acme.id(), null);
        String card = """
                "content": {"template": {"title": "Your order", "buttons": [
                  {"label": "Reschedule", "postbackProperties": {"interactionId": "reschedule"}}]}}""";
        String shown = sendAsBusiness(visitor.conversation(), "BUSINESS_AND_PARTICIPANT", card).get("id").asText();
        String internal = sendAsBusiness(visitor.conversation(), "BUSINESS", card).get("id").asText();
        String theirs = sendAsBusiness(other.conversation(), "BUSINESS_AND_PARTICIPANT", card).get("id").asText();

        Api.Response pressed = press(as(visitor), visitor.conversation(), shown);

        assertThat(pressed.status()).as(pressed.raw()).isEqualTo(200);
        Event event = acme.events().getLast();
        assertThat(event.type()).isEqualTo(EventType.BUTTON_INTERACTED);
        assertThat(event.identity().get("anonymousVisitorId").asText()).isEqualTo(visitor.visitor());
        assertThat(press(as(visitor), visitor.conversation(), internal).status()).isEqualTo(404);
        assertThat(press(as(visitor), other.conversation(), theirs).status()).isEqualTo(404);
        assertThat(press(as(visitor), visitor.conversation(), theirs).status()).isEqualTo(404);
    }

    private static Api.Response press(Api api, String conversation, String message) {
        return api.post("/parley/v1/conversations/" + conversation + "/messages/" + message + "/interactions",
                "{\"interactionId\": \"reschedule\"}");
    }

    @Test
    void aTokenOpensTheApiForAnHourAndTheWidgetsSessionRenewsItForTheSameVisitor() {
        MutableClock clock = new MutableClock();
        try (Parley node = Parley.start(TestParley.anotherNode(0), clock)) {
            Api there = Api.anonymous("http://127.0.0.1:" + node.port());
            Api.Response started = there.post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\"}");
            String token = started.text("/token");
            String conversation = started.text("/conversationId");
            String messages = "/inbox/v2/messages?conversationId=" + conversation + "&visibility=BUSINESS_AND_PARTICIPANT";
            assertThat(there.withHeader("Authorization", token).get(messages).status()).isEqualTo(200);

            clock.advance(ParticipantTokens.LIFETIME.plusMinutes(1));
            Api.Response expired = there.withHeader("Authorization", token).get(messages);
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.text("/details/applicationError/code")).isEqualTo("PARTICIPANT_TOKEN_EXPIRED");

            Api.Response renewed = there.post("/parley/v1/widget/session",
                    "{\"siteId\": \"" + acme.id() + "\", \"token\": \"" + token + "\"}");
            assertThat(renewed.text("/anonymousVisitorId")).isEqualTo(started.text("/anonymousVisitorId"));
            assertThat(renewed.text("/conversationId")).isEqualTo(conversation);
            assertThat(there.withHeader("Authorization", renewed.text("/token")).get(messages).status()).isEqualTo(200);

            clock.advance(Duration.ofDays(31)); // a month after it expired, a token resumes nobody
            Api.Response later = there.post("/parley/v1/widget/session",
                    "{\"siteId\": \"" + acme.id() + "\", \"token\": \"" + renewed.text("/token") + "\"}");
            assertThat(later.text("/anonymousVisitorId")).isNotEqualTo(started.text("/anonymousVisitorId"));
        }
    }

    @Test
    void oneAddressStartsThirtyNewVisitorsAMinuteAndResumingIsFree() {
        try (Parley node = Parley.start(TestParley.anotherNode(0).withLimits(Config.Limits.DEFAULTS),
                Clock.systemUTC())) {
            Api there = Api.anonymous("http://127.0.0.1:" + node.port());
            String start = "{\"siteId\": \"" + acme.id() + "\"}";
            String first = there.post("/parley/v1/widget/session", start).text("/token");
            for (int i = 1; i < Config.Limits.DEFAULTS.widgetSessionsPerMinute(); i++) {
                assertThat(there.post("/parley/v1/widget/session", start).status()).isEqualTo(200);
            }

            Api.Response refused = there.post("/parley/v1/widget/session", start);

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.text("/details/applicationError/code")).isEqualTo("TOO_MANY_WIDGET_SESSIONS");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
            assertThat(there.post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\", \"token\": \""
                    + first + "\"}").status()).isEqualTo(200);
        }
    }

    @Test
    void anIdempotencyKeyBelongsToItsCallerAndOpensNothingOfAnotherCaller() {
        Session visitor = session(acme.id(), null);
        String theirs = acme.visitorConversation();
        String body = """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", %s}}""".formatted(theirs, text("a secret"));
        Api.Response byTheApp = acme.api().withHeader("Idempotency-Key", "k-1").post("/inbox/v2/messages", body);
        assertThat(byTheApp.status()).as(byTheApp.raw()).isEqualTo(200);

        Api.Response replayed = as(visitor).withHeader("Idempotency-Key", "k-1").post("/inbox/v2/messages", body);

        assertThat(replayed.status()).isEqualTo(404);
        assertThat(replayed.raw()).doesNotContain("a secret");
        String ownBody = body.replace(theirs, visitor.conversation());
        Api.Response own = as(visitor).withHeader("Idempotency-Key", "k-1").post("/inbox/v2/messages", ownBody);
        assertThat(own.status()).as(own.raw()).isEqualTo(200);
        assertThat(own.text("/message/id")).isNotEqualTo(byTheApp.text("/message/id"));
    }

    @Test
    void aParticipantTokenOpensNoOtherEndpointAndAForgedOneNone() {
        Session visitor = session(acme.id(), null);
        Api api = as(visitor);

        assertThat(api.get("/inbox/v2/conversations/" + visitor.conversation()).status()).isEqualTo(403);
        assertThat(api.post("/inbox/v2/conversations", "{\"participantId\": {\"anonymousVisitorId\": \""
                + UUID.randomUUID() + "\"}}").status()).isEqualTo(403);
        assertThat(api.post("/contacts/v4/contacts/query", "{}").status()).isEqualTo(403);
        assertThat(api.get("/parley/v1/events").status()).isEqualTo(403);
        assertThat(api.get("/parley/v1/webhooks").status()).isEqualTo(403);
        assertThat(api.get("/parley/v1/events/stream").status()).isEqualTo(403);
        assertThat(api.get("/parley/v1/conversations").status()).isEqualTo(403);
        assertThat(api.post("/parley/v1/conversations/" + visitor.conversation() + "/read", "").status()).isEqualTo(403);
        assertThat(api.get("/parley/v1/widget/settings").status()).isEqualTo(403);
        assertThat(api.get("/parley/v1/dashboard/me").status()).isEqualTo(403);
        assertThat(api.post("/parley/v1/dashboard/sign-out", "").status()).isEqualTo(403);
        String forged = visitor.token().substring(0, visitor.token().length() - 2) + "xx";
        assertThat(Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", forged)
                .get("/inbox/v2/messages?conversationId=" + visitor.conversation()
                        + "&visibility=BUSINESS_AND_PARTICIPANT").status()).isEqualTo(401);
    }
}
