package parley.conversations;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import parley.sites.SiteId;
import parley.storage.Deferred;
import parley.storage.Writes;

/**
 * The conversations a transaction locked for new messages, one kind of {@link Deferred} rows: the sequences
 * drawn under each lock and what the messages do to each inbox summary. The conversations announced by a
 * group commit's sends are locked together, each with as many sequences as sends announced it; one that was
 * not announced, or has no sequence left, is locked on its own when a send asks for it. Sequences are taken
 * in the order sends ask, so within a conversation they increase in send order, and across transactions in
 * commit order (each was drawn under the row lock). The summaries are one UPDATE of the write statement. A send
 * refused after its conversation was locked for it (a visitor's foreign conversation, a reused idempotency
 * key) changes nothing: its sequence is never used, which leaves a gap, as a rolled-back send always did.
 */
final class ConversationLocks implements Deferred.Rows {
    record Key(SiteId site, ConversationId id) {
    }

    /**
     * The new summary of a conversation: the last non-silent message's time, preview and channel, added unread, the
     * sequence of the participant's newest counted message (0: none), and whether that message reopens it.
     */
    record Summary(Key key, Instant at, String previewText, String channel, int unread, long inbound, boolean reopen) {
    }

    /** A locked conversation, its status, its sequences not yet taken (ascending) and its summary so far. */
    private static final class Locked {
        private final Conversation conversation;
        private ConversationStatus status;
        private final ArrayDeque<Long> sequences = new ArrayDeque<>();
        private Summary summary;

        private Locked(Conversation conversation, ConversationStatus status) {
            this.conversation = conversation;
            this.status = status;
        }

        /** Adds the message taking {@code sequence}; returns the status it reopens the conversation from, or null. */
        private ConversationStatus add(Key key, InboxSummary message, long sequence) {
            if (message.silent()) { // wix-compatibility D-16: a silent message leaves the inbox line alone
                return null;
            }
            boolean inbound = message.countsAsUnread();
            ConversationStatus reopened = inbound && status != ConversationStatus.OPEN ? status : null;
            if (reopened != null) {
                status = ConversationStatus.OPEN;
            }
            int unread = (summary == null ? 0 : summary.unread()) + (inbound ? 1 : 0);
            summary = new Summary(key, message.at(), message.previewText(), message.channel(), unread,
                    inbound ? sequence : summary == null ? 0 : summary.inbound(),
                    reopened != null || summary != null && summary.reopen());
            return reopened;
        }
    }

    private final ConversationRepository repository;
    private final Map<Key, Integer> announced = new LinkedHashMap<>();
    private final Map<Key, Locked> locked = new HashMap<>();

    ConversationLocks(ConversationRepository repository) {
        this.repository = repository;
    }

    void announce(SiteId site, ConversationId id) {
        announced.merge(new Key(site, id), 1, Integer::sum);
    }

    @Override
    public void prepare(Handle handle) {
        if (!announced.isEmpty()) {
            lock(handle, announced);
            announced.clear();
        }
    }

    /** The next sequence of the conversation, locked now if need be; empty when it does not exist or was merged. */
    Optional<MessageSlot> take(Handle handle, SiteId site, ConversationId id, InboxSummary summary) {
        Key key = new Key(site, id);
        Locked conversation = locked.get(key);
        if (conversation == null || conversation.sequences.isEmpty()) {
            lock(handle, Map.of(key, 1));
            conversation = locked.get(key);
            if (conversation == null) {
                return Optional.empty();
            }
        }
        long sequence = conversation.sequences.poll();
        return Optional.of(new MessageSlot(conversation.conversation, sequence, conversation.add(key, summary, sequence)));
    }

    private void lock(Handle handle, Map<Key, Integer> messages) {
        repository.lockForMessages(handle, messages).forEach(slots -> locked
                .computeIfAbsent(slots.key(), key -> new Locked(slots.conversation(), slots.status()))
                .sequences.addAll(slots.sequences()));
    }

    @Override
    public void write(Writes writes) {
        List<Summary> summaries = new ArrayList<>();
        locked.values().forEach(conversation -> {
            if (conversation.summary != null) {
                summaries.add(conversation.summary);
            }
        });
        if (!summaries.isEmpty()) {
            repository.writeSummaries(writes, summaries);
        }
    }
}
