package parley.conversations;

import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import parley.errors.NotFound;
import parley.idempotency.Idempotency;
import parley.sites.SiteId;
import parley.storage.Database;

/** The conversations feature, wired: its actions and what other features may use of it. */
public final class Conversations {
    private final Database database;
    private final ConversationRepository repository = new ConversationRepository();
    private final GetOrCreateConversation getOrCreate;

    private Conversations(Database database, Idempotency idempotency, Clock clock) {
        this.database = database;
        this.getOrCreate = new GetOrCreateConversation(idempotency, repository, clock);
    }

    public static Conversations wire(Database database, Idempotency idempotency, Clock clock) {
        return new Conversations(database, idempotency, clock);
    }

    public GetOrCreateConversation getOrCreate() {
        return getOrCreate;
    }

    /** Get Conversation (spec 3.2); an id of another site is as unknown as one that never existed. */
    public Conversation get(SiteId site, String conversationId) {
        return ConversationId.parse(conversationId)
                .flatMap(id -> database.read(handle -> repository.find(handle, site, id)))
                .orElseThrow(Conversations::notFound);
    }

    /**
     * For the messages feature, inside its transaction: locks the conversation for a new message and
     * applies the message's summary. Empty when the conversation does not exist in this site.
     */
    public Optional<Conversation> lockForNewMessage(Handle handle, SiteId site, ConversationId id, InboxSummary summary) {
        return repository.lockAndSummarize(handle, site, id, summary);
    }

    public static NotFound notFound() {
        return new NotFound("CONVERSATION_NOT_FOUND", "conversation not found");
    }
}
