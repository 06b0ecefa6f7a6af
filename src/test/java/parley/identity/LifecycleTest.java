package parley.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.events.Event;

/** The participant lifecycle: visitor → contact → member, contact merges, and old conversation ids. */
class LifecycleTest {
    private final TestSite acme = Fixtures.acme();

    private String link(String visitor, String contact) {
        Api.Response linked = acme.api().post("/parley/v1/identity/link",
                "{\"anonymousVisitorId\": \"" + visitor + "\", \"contactId\": \"" + contact + "\"}");
        assertThat(linked.status()).as(linked.raw()).isEqualTo(200);
        return linked.text("/conversationId");
    }

    private List<String> texts(String conversationId) {
        List<String> texts = new ArrayList<>();
        acme.listAll(conversationId, "BUSINESS").forEach(m -> texts.add(m.at("/content/basic/items/0/text").asText()));
        return texts;
    }

    @Test
    void aVisitorWhoBecomesAContactKeepsEveryMessageInOrderInTheContactsConversation() {
        String visitor = UUID.randomUUID().toString();
        String visitorConversation = acme.conversationOf("anonymousVisitorId", visitor);
        String contact = acme.createContact("Carla");
        String contactConversation = acme.conversationOf("contactId", contact);
        acme.sendText(visitorConversation, "v1", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        acme.sendText(contactConversation, "c1", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        acme.sendText(visitorConversation, "v2", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

        String target = link(visitor, contact);

        assertThat(target).isEqualTo(contactConversation);
        assertThat(texts(target)).containsExactly("v1", "c1", "v2");
        // the old id resolves to the target on Get, List and Send (wix-compatibility D-2)
        Api.Response got = acme.api().get("/inbox/v2/conversations/" + visitorConversation);
        assertThat(got.text("/conversation/id")).isEqualTo(target);
        assertThat(got.text("/conversation/participant/contactId")).isEqualTo(contact);
        assertThat(texts(visitorConversation)).containsExactly("v1", "c1", "v2");
        acme.sendText(visitorConversation, "v3", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        assertThat(texts(target)).containsExactly("v1", "c1", "v2", "v3");
        // Get Or Create with the visitor id now answers with the contact's conversation
        assertThat(acme.conversationOf("anonymousVisitorId", visitor)).isEqualTo(target);

        Event merged = acme.events().stream().filter(e -> e.type().slug().equals("conversations_merged")).findFirst()
                .orElseThrow();
        assertThat(merged.entityId()).isEqualTo(target);
        assertThat(merged.body().get("oldConversationIds").toString()).isEqualTo("[\"" + visitorConversation + "\"]");
        assertThat(merged.body().get("targetConversationId").asText()).isEqualTo(target);

        Api.Response ledger = acme.api().get("/parley/v1/conversations/" + visitorConversation + "/merges");
        assertThat(ledger.body().get("merges")).hasSize(1);
        assertThat(ledger.text("/merges/0/reason")).isEqualTo("VISITOR_LINKED_TO_CONTACT");
        assertThat(ledger.body().at("/merges/0/messagesMoved").asInt()).isEqualTo(2);
        assertThat(ledger.text("/merges/0/requestedBy/identityType")).isEqualTo("APP");
    }

    @Test
    void aContactWhoRegistersAsAMemberContinuesInTheMembersConversation() {
        String contact = acme.createContact("Mia");
        String contactConversation = acme.conversationOf("contactId", contact);
        acme.sendText(contactConversation, "before", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");

        Api.Response registered = acme.api().post("/parley/v1/members", "{\"contactId\": \"" + contact + "\"}");
        String member = registered.text("/member/id");

        String memberConversation = acme.conversationOf("memberId", member);
        assertThat(memberConversation).isNotEqualTo(contactConversation);
        assertThat(texts(memberConversation)).containsExactly("before");
        // wix-compatibility D-4: the contact id of someone who is now a member gets the member's conversation
        assertThat(acme.conversationOf("contactId", contact)).isEqualTo(memberConversation);
        Api.Response got = acme.api().get("/inbox/v2/conversations/" + memberConversation);
        assertThat(got.text("/conversation/participant/memberId")).isEqualTo(member);
        assertThat(got.text("/conversation/participant/contactId")).isEqualTo(contact); // wix-compatibility D-3
        assertThat(acme.api().get("/parley/v1/members/" + member).text("/member/contactId")).isEqualTo(contact);
        assertThat(acme.api().post("/parley/v1/members", "{\"contactId\": \"" + contact + "\"}").status())
                .isEqualTo(409);
    }

    @Test
    void unknownContactsAndMembersAre404sButVisitorsAreTakenAsTheyCome() {
        Api.Response contact = acme.api().post("/inbox/v2/conversations",
                "{\"participantId\": {\"contactId\": \"" + UUID.randomUUID() + "\"}}");
        Api.Response member = acme.api().post("/inbox/v2/conversations",
                "{\"participantId\": {\"memberId\": \"" + UUID.randomUUID() + "\"}}");

        assertThat(contact.status()).isEqualTo(404);
        assertThat(contact.text("/details/applicationError/code")).isEqualTo("CONTACT_NOT_FOUND");
        assertThat(member.text("/details/applicationError/code")).isEqualTo("MEMBER_NOT_FOUND");
    }

    @Test
    void mergingContactsFoldsInfoAndConversationsAndTheSourceIdAnswersWithTheTarget() {
        String target = acme.createContact("Dana");
        String source = acme.createContact("Dana (old)");
        String targetConversation = acme.conversationOf("contactId", target);
        String sourceConversation = acme.conversationOf("contactId", source);
        acme.sendText(sourceConversation, "old thread", "PARTICIPANT_TO_BUSINESS", "BUSINESS");
        acme.sendText(targetConversation, "new thread", "PARTICIPANT_TO_BUSINESS", "BUSINESS");
        String sourceEmail = acme.api().get("/contacts/v4/contacts/" + source).text("/contact/primaryInfo/email");

        Api.Response stale = acme.api().post("/contacts/v4/contacts/" + target + "/merge",
                "{\"targetContactRevision\": 7, \"sourceContactIds\": [\"" + source + "\"]}");
        Api.Response merged = acme.api().post("/contacts/v4/contacts/" + target + "/merge",
                "{\"targetContactRevision\": 1, \"sourceContactIds\": [\"" + source + "\"]}");

        assertThat(stale.status()).isEqualTo(409);
        assertThat(merged.status()).as(merged.raw()).isEqualTo(200);
        assertThat(merged.body().at("/contact/revision").asInt()).isEqualTo(2);
        assertThat(merged.body().at("/contact/info/emails/items").toString()).contains(sourceEmail);
        assertThat(acme.api().get("/contacts/v4/contacts/" + source).text("/contact/id")).isEqualTo(target);
        assertThat(texts(targetConversation)).containsExactly("old thread", "new thread");
        assertThat(acme.conversationOf("contactId", source)).isEqualTo(targetConversation);
        assertThat(acme.api().get("/parley/v1/conversations/" + targetConversation + "/merges")
                .text("/merges/0/reason")).isEqualTo("CONTACTS_MERGED");
        assertThat(acme.events()).anyMatch(e -> e.type().slug().equals("merge"));
        Api.Response query = acme.api().post("/contacts/v4/contacts/query",
                "{\"query\": {\"filter\": {\"info.emails.email\": \"" + sourceEmail + "\"}}}");
        assertThat(query.body().get("contacts")).hasSize(1);
        assertThat(query.text("/contacts/0/id")).isEqualTo(target);
    }

    @Test
    void inboxTrafficMovesTheContactsLastActivity() {
        String contact = acme.createContact("Eve");
        String conversation = acme.conversationOf("contactId", contact);

        acme.sendText(conversation, "hello", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        String toCustomer = acme.api().get("/contacts/v4/contacts/" + contact).text("/contact/lastActivity/activityType");
        acme.sendText(conversation, "hi", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        String fromCustomer = acme.api().get("/contacts/v4/contacts/" + contact).text("/contact/lastActivity/activityType");

        assertThat(toCustomer).isEqualTo("INBOX_MESSAGE_TO_CUSTOMER");
        assertThat(fromCustomer).isEqualTo("INBOX_MESSAGE_FROM_CUSTOMER");
    }

    @Test
    void messagesSentToTheOldConversationDuringTheMergeLandInTheTargetExactlyOnce() throws Exception {
        String visitor = UUID.randomUUID().toString();
        String old = acme.conversationOf("anonymousVisitorId", visitor);
        String contact = acme.createContact("Race");
        AtomicBoolean merging = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(4);
        List<Future<List<String>>> senders = new ArrayList<>();
        String target;
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int s = 0; s < 4; s++) {
                int sender = s;
                senders.add(pool.submit(() -> {
                    List<String> sent = new ArrayList<>();
                    started.countDown();
                    for (int i = 0; merging.get() || i < 10; i++) {
                        String text = sender + "-" + i;
                        JsonNode message = acme.sendText(old, text, "PARTICIPANT_TO_BUSINESS", "BUSINESS");
                        sent.add(text + "@" + message.get("id").asText());
                    }
                    return sent;
                }));
            }
            started.await();
            Thread.sleep(50);
            target = link(visitor, contact);
            merging.set(false);
        }
        Set<String> answered = new HashSet<>();
        for (Future<List<String>> sender : senders) {
            answered.addAll(sender.get());
        }
        List<String> stored = new ArrayList<>();
        acme.listAllPages(target).forEach(m -> stored.add(m.at("/content/basic/items/0/text").asText() + "@"
                + m.get("id").asText()));
        assertThat(stored).doesNotHaveDuplicates();
        assertThat(new HashSet<>(stored)).isEqualTo(answered);
    }
}
