package parley.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.Parley;
import parley.TestParley;
import parley.events.Event;
import parley.events.EventType;

/** Status, assignment, labels and the filtered list with its counts, over HTTP, with their events. */
class WorkflowTest {
    private final Fixtures.TestSite acme = Fixtures.acme();
    private final DashboardLogin ownerLogin = DashboardLogin.ownerOf(acme);
    private final Api owner = ownerLogin.signIn();
    private final Api agent = DashboardLogin.agentOf(acme).signIn();

    @Test
    void statusChangesAreEventsAndAParticipantMessageReopens() {
        String conversation = acme.visitorConversation();
        assertThat(workflow(agent, conversation).get("status").asText()).isEqualTo("OPEN");

        JsonNode pending = ok(agent.post(path(conversation, "status"), "{\"status\": \"PENDING\"}"));
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        ok(agent.post(path(conversation, "status"), "{\"status\": \"PENDING\"}")); // no change, no event
        acme.sendText(conversation, "we will call you", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        assertThat(workflow(agent, conversation).get("status").asText()).isEqualTo("PENDING");
        silent(conversation);
        assertThat(workflow(agent, conversation).get("status").asText()).isEqualTo("PENDING");

        acme.sendText(conversation, "are you there?", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        assertThat(workflow(agent, conversation).get("status").asText()).isEqualTo("OPEN");

        ok(agent.post(path(conversation, "status"), "{\"status\": \"RESOLVED\"}"));
        List<Event> changes = events(EventType.CONVERSATION_STATUS_CHANGED);
        assertThat(changes).extracting(e -> e.body().get("previousStatus").asText() + ">" + e.body().get("status").asText())
                .containsExactly("OPEN>PENDING", "PENDING>OPEN", "OPEN>RESOLVED");
        assertThat(changes.getFirst().identity().get("identityType").asText()).isEqualTo("WIX_USER");
        assertThat(changes.get(1).identity().get("identityType").asText()).isEqualTo("APP");
    }

    @Test
    void aSnoozeNeedsAFutureTimeAndWakesByItselfOnce() throws Exception {
        String conversation = acme.visitorConversation();
        assertThat(agent.post(path(conversation, "status"), "{\"status\": \"SNOOZED\"}").status()).isEqualTo(400);
        assertThat(agent.post(path(conversation, "status"), "{\"status\": \"SNOOZED\", \"snoozedUntil\": \""
                + Instant.now().minusSeconds(5) + "\"}").status()).isEqualTo(400);
        assertThat(agent.post(path(conversation, "status"), "{\"status\": \"OPEN\", \"snoozedUntil\": \""
                + Instant.now().plusSeconds(60) + "\"}").status()).isEqualTo(400);
        assertThat(events(EventType.CONVERSATION_STATUS_CHANGED)).isEmpty();

        // Two nodes on one database, each waking snoozes every second: every conversation wakes exactly once.
        try (Parley second = Parley.start(TestParley.anotherNode(0), java.time.Clock.systemUTC())) {
            Instant soon = Instant.now().plusMillis(1500);
            List<String> snoozed = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = i == 0 ? conversation : acme.visitorConversation();
                JsonNode state = ok(agent.post(path(id, "status"), "{\"status\": \"SNOOZED\", \"snoozedUntil\": \""
                        + soon + "\"}"));
                assertThat(state.get("snoozedUntil").asText()).isNotEmpty();
                snoozed.add(id);
            }
            for (String id : snoozed) {
                await(() -> workflow(agent, id).get("status").asText().equals("OPEN"));
            }
            Thread.sleep(2500); // both nodes look again at least twice
            List<Event> woken = events(EventType.CONVERSATION_STATUS_CHANGED).stream()
                    .filter(e -> e.body().get("previousStatus").asText().equals("SNOOZED")).toList();
            assertThat(woken).extracting(e -> e.body().get("conversationId").asText())
                    .containsExactlyInAnyOrderElementsOf(snoozed);
            assertThat(woken).allSatisfy(e -> assertThat(e.identity().get("appId").asText())
                    .isEqualTo(parley.auth.Caller.PARLEY_APP_ID.toString()));
        }
    }

    @Test
    void assignmentToAgentsAndTeamsIsAnEventAndTheViewsCountIt() {
        String mine = acme.visitorConversation();
        String theirs = acme.visitorConversation();
        String nobodys = acme.visitorConversation();
        String agentId = me(agent).get("userId").asText();
        String ownerId = me(owner).get("userId").asText();

        JsonNode assigned = ok(agent.post(path(mine, "assignment"), "{\"assigneeId\": \"me\"}"));
        assertThat(assigned.get("assigneeId").asText()).isEqualTo(agentId);
        ok(acme.api().post(path(theirs, "assignment"), "{\"assigneeId\": \"" + ownerId + "\"}"));
        assertThat(acme.api().post(path(theirs, "assignment"), "{\"assigneeId\": \"me\"}").status()).isEqualTo(400);

        JsonNode counts = ok(agent.get("/parley/v1/conversations/counts"));
        assertThat(counts.get("mine").asInt()).isEqualTo(1);
        assertThat(counts.get("unassigned").asInt()).isEqualTo(1);
        assertThat(counts.get("all").asInt()).isEqualTo(3);
        assertThat(ids(agent, "?assignee=me")).containsExactly(mine);
        assertThat(ids(agent, "?assignee=none")).containsExactly(nobodys);
        assertThat(ids(agent, "?assignee=" + ownerId)).containsExactly(theirs);

        String team = ok(owner.post("/parley/v1/teams", "{\"name\": \"Billing\", \"memberIds\": [\"" + agentId
                + "\"]}")).get("id").asText();
        ok(agent.post(path(theirs, "assignment"), "{\"assigneeId\": \"" + agentId + "\", \"teamId\": \"" + team + "\"}"));
        assertThat(ids(agent, "?team=" + team)).containsExactly(theirs);
        assertThat(ids(agent, "?team=none")).containsExactlyInAnyOrder(mine, nobodys);
        JsonNode unassigned = ok(agent.post(path(theirs, "assignment"), "{\"assigneeId\": null}"));
        assertThat(unassigned.has("assigneeId")).isFalse();
        assertThat(unassigned.get("teamId").asText()).isEqualTo(team);

        assertThat(events(EventType.CONVERSATION_ASSIGNED)).extracting(e -> e.body().path("previousAssigneeId").asText("-")
                        + ">" + e.body().path("assigneeId").asText("-"))
                .containsExactly("->" + agentId, "->" + ownerId, ownerId + ">" + agentId, agentId + ">-");
    }

    @Test
    void onlyThisSitesPeopleTeamsAndConversationsCanBeAssigned() {
        Fixtures.TestSite other = Fixtures.site("Other");
        String stranger = me(DashboardLogin.agentOf(other).signIn()).get("userId").asText();
        String conversation = acme.visitorConversation();
        assertThat(agent.post(path(conversation, "assignment"), "{\"assigneeId\": \"" + stranger + "\"}").status())
                .isEqualTo(400);
        assertThat(agent.post(path(conversation, "assignment"), "{\"teamId\": \"" + java.util.UUID.randomUUID() + "\"}")
                .status()).isEqualTo(400);
        assertThat(agent.post(path(conversation, "assignment"), "{}").status()).isEqualTo(400);
        String theirs = other.visitorConversation();
        for (Api.Response response : List.of(agent.post(path(theirs, "assignment"), "{\"assigneeId\": \"me\"}"),
                agent.post(path(theirs, "status"), "{\"status\": \"RESOLVED\"}"),
                agent.put(path(theirs, "labels"), "{\"labelIds\": []}"),
                agent.get(path(theirs, "workflow")))) {
            assertThat(response.status()).as(response.raw()).isEqualTo(404);
            assertThat(response.text("/details/applicationError/code")).isEqualTo("CONVERSATION_NOT_FOUND");
        }
        assertThat(other.events()).noneMatch(e -> e.type() == EventType.CONVERSATION_ASSIGNED);
        assertThat(events(EventType.CONVERSATION_ASSIGNED)).isEmpty();
    }

    @Test
    void labelsAreTheOwnersToDefineAndAnyonesToPutOnAndFilterBy() {
        assertThat(agent.post("/parley/v1/labels", "{\"name\": \"VIP\"}").status()).isEqualTo(403);
        String vip = ok(owner.post("/parley/v1/labels", "{\"name\": \"VIP\", \"color\": \"#B91C1C\"}")).get("id").asText();
        String bug = ok(acme.api().post("/parley/v1/labels", "{\"name\": \"Bug\"}")).get("id").asText();
        assertThat(owner.post("/parley/v1/labels", "{\"name\": \"vip\"}").status()).isEqualTo(409);
        assertThat(owner.post("/parley/v1/labels", "{\"name\": \"x\", \"color\": \"red\"}").status()).isEqualTo(400);
        JsonNode labels = ok(agent.get("/parley/v1/labels")).get("labels");
        assertThat(labels).extracting(l -> l.get("name").asText() + " " + l.get("color").asText())
                .containsExactly("Bug #6b7280", "VIP #b91c1c");

        String first = acme.visitorConversation();
        String second = acme.visitorConversation();
        ok(agent.put(path(first, "labels"), "{\"labelIds\": [\"" + vip + "\", \"" + bug + "\"]}"));
        ok(agent.put(path(second, "labels"), "{\"labelIds\": [\"" + bug + "\"]}"));
        assertThat(agent.put(path(second, "labels"), "{\"labelIds\": [\"" + java.util.UUID.randomUUID() + "\"]}")
                .status()).isEqualTo(400);
        assertThat(ids(agent, "?label=" + vip)).containsExactly(first);
        assertThat(ids(agent, "?label=" + bug)).containsExactlyInAnyOrder(first, second);
        ok(agent.put(path(first, "labels"), "{\"labelIds\": [\"" + vip + "\"]}"));
        assertThat(ids(agent, "?label=" + bug)).containsExactly(second);

        List<Event> changes = events(EventType.CONVERSATION_LABELS_CHANGED);
        assertThat(changes).hasSize(3);
        assertThat(changes.get(2).body().get("removed")).extracting(JsonNode::asText).containsExactly(bug);

        assertThat(owner.delete("/parley/v1/labels/" + bug).status()).isEqualTo(204);
        assertThat(workflow(agent, second).get("labelIds")).isEmpty();
        assertThat(owner.delete("/parley/v1/labels/" + bug).status()).isEqualTo(404);
    }

    @Test
    void filtersCombineAndTheCountsFollowThem() {
        String agentId = me(agent).get("userId").asText();
        String label = ok(owner.post("/parley/v1/labels", "{\"name\": \"Refunds\"}")).get("id").asText();
        String openMineLabelled = acme.visitorConversation();
        String openMineSms = acme.visitorConversation();
        String resolvedMine = acme.visitorConversation();
        String openNobodys = acme.visitorConversation();
        for (String id : List.of(openMineLabelled, openMineSms, resolvedMine)) {
            ok(agent.post(path(id, "assignment"), "{\"assigneeId\": \"" + agentId + "\"}"));
        }
        ok(agent.put(path(openMineLabelled, "labels"), "{\"labelIds\": [\"" + label + "\"]}"));
        ok(agent.post(path(resolvedMine, "status"), "{\"status\": \"RESOLVED\"}"));
        acme.sendText(openMineLabelled, "hello", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        Api.Response sms = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS", "sourceChannel": "SMS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "by sms"}]}}}}
                """.formatted(openMineSms));
        assertThat(sms.status()).as(sms.raw()).isEqualTo(200);
        acme.sendText(openNobodys, "anyone?", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

        assertThat(ids(agent, "?status=OPEN&assignee=me")).containsExactly(openMineSms,
                openMineLabelled);
        assertThat(ids(agent, "?status=OPEN,RESOLVED&assignee=me&label=" + label)).containsExactly(openMineLabelled);
        assertThat(ids(agent, "?channel=SMS")).containsExactly(openMineSms);
        assertThat(ids(agent, "?status=RESOLVED")).containsExactly(resolvedMine);
        JsonNode open = ok(agent.get("/parley/v1/conversations/counts?status=OPEN"));
        assertThat(List.of(open.get("mine").asInt(), open.get("unassigned").asInt(), open.get("all").asInt()))
                .containsExactly(2, 1, 3);
        JsonNode labelled = ok(agent.get("/parley/v1/conversations/counts?status=OPEN&label=" + label));
        assertThat(List.of(labelled.get("mine").asInt(), labelled.get("unassigned").asInt(), labelled.get("all").asInt()))
                .containsExactly(1, 0, 1);

        // Unread is per reader: the agent reads one; the owner has read none.
        assertThat(ids(agent, "?unread=true")).containsExactlyInAnyOrder(openMineLabelled, openMineSms, openNobodys);
        assertThat(agent.post(path(openMineSms, "read"), "").status()).isEqualTo(204);
        assertThat(ids(agent, "?unread=true&status=OPEN")).containsExactlyInAnyOrder(openMineLabelled, openNobodys);
        assertThat(ids(owner, "?unread=true")).hasSize(3);
        assertThat(ok(agent.get("/parley/v1/conversations/counts?unread=true")).get("all").asInt()).isEqualTo(2);
        assertThat(acme.api().get("/parley/v1/conversations?unread=true").status()).isEqualTo(400);
        assertThat(agent.get("/parley/v1/conversations?status=CLOSED").status()).isEqualTo(400);
        assertThat(agent.get("/parley/v1/conversations?assignee=bob").status()).isEqualTo(400);
    }

    @Test
    void aMergeKeepsTheLabelsOfBoth() {
        String visitor = java.util.UUID.randomUUID().toString();
        String visitorConversation = acme.conversationOf("anonymousVisitorId", visitor);
        acme.sendText(visitorConversation, "hi", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        String contact = acme.createContact("Mona");
        String contactConversation = acme.conversationOf("contactId", contact);
        String vip = ok(owner.post("/parley/v1/labels", "{\"name\": \"VIP\"}")).get("id").asText();
        String lead = ok(owner.post("/parley/v1/labels", "{\"name\": \"Lead\"}")).get("id").asText();
        ok(agent.put(path(visitorConversation, "labels"), "{\"labelIds\": [\"" + vip + "\"]}"));
        ok(agent.put(path(contactConversation, "labels"), "{\"labelIds\": [\"" + lead + "\"]}"));
        ok(agent.post(path(visitorConversation, "assignment"), "{\"assigneeId\": \"me\"}"));

        Api.Response linked = acme.api().post("/parley/v1/identity/link",
                "{\"anonymousVisitorId\": \"" + visitor + "\", \"contactId\": \"" + contact + "\"}");
        assertThat(linked.status()).as(linked.raw()).isEqualTo(200);

        JsonNode merged = workflow(agent, visitorConversation);
        assertThat(merged.get("conversationId").asText()).isEqualTo(contactConversation);
        assertThat(merged.get("labelIds")).extracting(JsonNode::asText).containsExactlyInAnyOrder(vip, lead);
        assertThat(merged.get("assigneeId").asText()).isEqualTo(me(agent).get("userId").asText());
    }

    private void silent(String conversation) {
        Api.Response silent = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "silent": true, "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"text": "back-fill"}]}}}}
                """.formatted(conversation));
        assertThat(silent.status()).as(silent.raw()).isEqualTo(200);
    }

    private List<Event> events(EventType type) {
        return acme.events().stream().filter(e -> e.type() == type).toList();
    }

    static String path(String conversation, String action) {
        return "/parley/v1/conversations/" + conversation + "/" + action;
    }

    static JsonNode workflow(Api api, String conversation) {
        return ok(api.get(path(conversation, "workflow")));
    }

    static JsonNode me(Api api) {
        return ok(api.get("/parley/v1/dashboard/me"));
    }

    static List<String> ids(Api api, String query) {
        JsonNode page = ok(api.get("/parley/v1/conversations" + query));
        return StreamSupport.stream(page.get("conversations").spliterator(), false).map(c -> c.get("id").asText()).toList();
    }

    static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.raw()).isBetween(200, 201);
        return response.body();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }
}
