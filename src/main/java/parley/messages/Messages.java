package parley.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import parley.contacts.Contacts;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.events.EventLog;
import parley.idempotency.Idempotency;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.Json;
import parley.web.Requests;

/** The messages feature, wired. */
public final class Messages {
    /** A message as its participant sees it, and the log position of the event that announced it. */
    public record Seen(long position, Message message) {
    }

    private final Database database;
    private final MessageRepository repository;
    private final SendMessage send;
    private final ListMessages list;
    private final PressButton press;
    private final MessageFiles files;

    private Messages(Database database, MessageRepository repository, SendMessage send, ListMessages list,
                     PressButton press, MessageFiles files) {
        this.files = files;
        this.database = database;
        this.repository = repository;
        this.send = send;
        this.list = list;
        this.press = press;
    }

    public static Messages wire(Database database, Idempotency idempotency, Conversations conversations,
                                Contacts contacts, EventLog events, MessageFiles files, Clock clock) {
        MessageRepository repository = new MessageRepository();
        return new Messages(database, repository,
                new SendMessage(idempotency, conversations, contacts, repository, events, files, clock),
                new ListMessages(database, conversations, repository),
                new PressButton(database, conversations, repository, events), files);
    }

    /** What the chat widget's stream carries of a message: {@code {position, conversationId, message}}. */
    public String json(Seen seen) {
        return Json.write(new MessageJson.SeenMessage(seen.position(), seen.message().conversationId().toString(),
                MessageJson.view(seen.message(), files)));
    }

    /**
     * A Send Message request (wix-compatibility 3.3) checked as the API checks it, for a channel that sends on
     * someone's behalf; a 400 listing every bad field otherwise.
     */
    public SendMessage.Command check(JsonNode request) {
        return MessageChecks.check(Requests.bind(LegacyShapes.translated((ObjectNode) request),
                MessageJson.SendMessageRequest.class));
    }

    /** A message as the API shows it. */
    public Object view(Message message) {
        return MessageJson.view(message, files);
    }

    MessageFiles files() {
        return files;
    }

    public SendMessage send() {
        return send;
    }

    public ListMessages list() {
        return list;
    }

    public PressButton press() {
        return press;
    }

    /** The message of {@code sequence}, for a channel that carries it out. */
    public Optional<Message> find(Handle handle, SiteId site, long sequence) {
        return repository.find(handle, site, sequence);
    }

    /** What the participant of {@code conversation} sees after a log position, oldest first: its live stream. */
    public List<Seen> seenByParticipant(SiteId site, ConversationId conversation, long afterPosition, int limit) {
        return database.read(handle -> repository.seenByParticipant(handle, site, conversation, afterPosition, limit));
    }
}
