package parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.events.Event;

/** DESIGN.md section 3: sequences strictly increase within a conversation, even under concurrent sends. */
class SequenceTest {
    private final TestSite acme = Fixtures.acme();

    @Test
    void concurrentSendsGetDistinctStrictlyIncreasingSequencesInCommitOrder() throws Exception {
        String conversation = acme.visitorConversation();
        List<Callable<JsonNode>> sends = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String text = "m" + i;
            sends.add(() -> acme.sendText(conversation, text, "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT"));
        }
        List<Long> answered = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
            for (Future<JsonNode> future : pool.invokeAll(sends)) {
                answered.add(future.get().get("sequence").asLong());
            }
        }

        List<Long> listed = acme.listAll(conversation, "BUSINESS").valueStream()
                .map(m -> m.get("sequence").asLong()).toList();
        assertThat(listed).hasSize(100).doesNotHaveDuplicates().isSorted()
                .containsExactlyInAnyOrderElementsOf(answered);
        // The outbox saw the messages in the order of their sequences: a reader by position sees them in order.
        List<Long> inLogOrder = acme.events().stream().map(Event::entityId).map(Long::parseLong).toList();
        assertThat(inLogOrder).containsExactlyElementsOf(listed);
        assertThat(acme.events().stream().map(Event::position).toList())
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
    }

    @Test
    void sequencesIncreaseAcrossConversationsOfASiteToo() {
        String first = acme.visitorConversation();
        String second = acme.visitorConversation();

        long a = acme.sendText(first, "a", "PARTICIPANT_TO_BUSINESS", "BUSINESS").get("sequence").asLong();
        long b = acme.sendText(second, "b", "PARTICIPANT_TO_BUSINESS", "BUSINESS").get("sequence").asLong();
        long c = acme.sendText(first, "c", "PARTICIPANT_TO_BUSINESS", "BUSINESS").get("sequence").asLong();

        assertThat(List.of(a, b, c)).isSorted().doesNotHaveDuplicates();
    }
}
