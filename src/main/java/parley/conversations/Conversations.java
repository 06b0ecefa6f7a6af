package parley.conversations;

import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.errors.NotFound;
import parley.events.EventLog;
import parley.idempotency.Idempotency;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.storage.Deferred;

/** The conversations feature, wired: its actions and what other features may use of it. */
public final class Conversations {
    private final Database database;
    private final ConversationRepository repository = new ConversationRepository();
    private final GetOrCreateConversation getOrCreate;
    private final MergeConversations merge;
    private final InboxList inbox;
    private final Workflow workflow;
    private final ParticipantResolver resolver;

    private Conversations(Database database, Idempotency idempotency, ParticipantResolver resolver, EventLog events,
                          Clock clock) {
        this.database = database;
        this.getOrCreate = new GetOrCreateConversation(idempotency, repository, resolver, clock);
        this.resolver = resolver;
        this.merge = new MergeConversations(database, repository, events, clock);
        this.inbox = new InboxList(database, repository);
        this.workflow = new Workflow(database, repository, events, clock);
    }

    public static Conversations wire(Database database, Idempotency idempotency, ParticipantResolver resolver,
                                     EventLog events, Clock clock) {
        return new Conversations(database, idempotency, resolver, events, clock);
    }

    public InboxList inbox() {
        return inbox;
    }

    public Workflow workflow() {
        return workflow;
    }

    public MergeConversations merge() {
        return merge;
    }

    /**
     * The conversation of whom {@code participant} stands for (a contact's member, say), made when there is none: only
     * a read when there is one.
     */
    public ConversationId of(Caller caller, Participant participant) {
        return database.read(handle -> find(handle, caller.site(), standsFor(handle, caller.site(), participant)))
                .map(Conversation::id)
                .orElseGet(() -> getOrCreate.getOrCreate(caller, participant, Optional.empty()).conversation().id());
    }

    /** The participant's conversation as it is (not resolved, not created), inside the caller's transaction. */
    public Optional<Conversation> find(Handle handle, SiteId site, Participant participant) {
        return repository.findByParticipant(handle, site, participant)
                .flatMap(conversation -> repository.find(handle, site, conversation.id()));
    }

    /** The conversation with this id, or the one it was merged into, inside the caller's transaction. */
    public Optional<Conversation> find(Handle handle, SiteId site, ConversationId id) {
        return repository.find(handle, site, id);
    }

    /**
     * Whom a participant id stands for now: a visitor linked to a contact stands for that contact, and a
     * contact that registered for its member.
     */
    public Participant standsFor(SiteId site, Participant participant) {
        return database.read(handle -> standsFor(handle, site, participant));
    }

    /** {@link #standsFor} inside the caller's transaction. */
    public Participant standsFor(Handle handle, SiteId site, Participant participant) {
        return resolver.resolve(handle, site, participant).participant();
    }

    /**
     * A visitor's own conversation as it is now: the one of whom its id stands for (a contact or member
     * it was linked to), after merges, if it has one. A visitor whose member signed out of it has none.
     */
    public Optional<Conversation> ofVisitor(Handle handle, SiteId site, Caller.Visitor visitor) {
        if (resolver.signedOut(handle, site, visitor.anonymousVisitorId())) {
            return Optional.empty();
        }
        Participant participant = new Participant(Participant.Kind.ANONYMOUS_VISITOR, visitor.anonymousVisitorId());
        return find(handle, site, resolver.resolve(handle, site, participant).participant());
    }

    /** {@link #ofVisitor} outside any transaction. */
    public Optional<Conversation> ofVisitor(SiteId site, Caller.Visitor visitor) {
        return database.read(handle -> ofVisitor(handle, site, visitor));
    }

    /**
     * Whether {@code caller} may act in {@code conversation} (as it is now): an app in any of its site's,
     * a visitor only in its own, the one its anonymous visitor id leads to after merges. The one place
     * that decides it, for every endpoint a participant token reaches.
     */
    public boolean mayActIn(Handle handle, Caller caller, Conversation conversation) {
        return switch (caller.identity()) {
            case Caller.App ignored -> true;
            case Caller.Agent ignored -> true;
            case Caller.Visitor visitor -> ofVisitor(handle, caller.site(), visitor)
                    .map(own -> own.id().equals(conversation.id()))
                    .orElse(false);
        };
    }

    public GetOrCreateConversation getOrCreate() {
        return getOrCreate;
    }

    private ConversationLocks locks(Deferred deferred) {
        return deferred.rows(ConversationLocks.class, () -> new ConversationLocks(repository));
    }

    /** Get Conversation (wix-compatibility 3.2); an id of another site is as unknown as one that never existed. */
    public Conversation get(SiteId site, String conversationId) {
        return ConversationId.parse(conversationId)
                .flatMap(id -> database.read(handle -> repository.find(handle, site, id)))
                .orElseThrow(Conversations::notFound);
    }

    /** For the messages feature: a new message will go to this conversation (see {@link #lockForNewMessage}). */
    public void announceNewMessage(Deferred deferred, SiteId site, ConversationId id) {
        locks(deferred).announce(site, id);
    }

    /**
     * For the messages feature, inside its transaction: locks the conversation for a new message, defers the message's
     * summary and draws its sequence; an id merged into another conversation locks that one (wix-compatibility D-2).
     * Empty when the conversation does not exist in this site. Conversations announced before the transaction's work
     * ran are already locked, together ({@link ConversationLocks}).
     */
    public Optional<MessageSlot> lockForNewMessage(Handle handle, Deferred deferred, SiteId site, ConversationId id,
                                                   InboxSummary summary) {
        ConversationId current = id;
        // A merge re-points every alias to the final target, so one redirect suffices; the second covers a
        // merge that committed while this statement waited for the row lock.
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<MessageSlot> locked = locks(deferred).take(handle, site, current, summary);
            if (locked.isPresent()) {
                return locked;
            }
            Optional<ConversationId> target = repository.mergedInto(handle, site, current);
            if (target.isEmpty()) {
                return Optional.empty();
            }
            current = target.get();
        }
        return Optional.empty();
    }

    public static NotFound notFound() {
        return new NotFound("CONVERSATION_NOT_FOUND", "conversation not found");
    }
}
