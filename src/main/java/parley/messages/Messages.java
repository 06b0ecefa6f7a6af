package parley.messages;

import java.time.Clock;
import parley.contacts.Contacts;
import parley.conversations.Conversations;
import parley.events.EventLog;
import parley.idempotency.Idempotency;
import parley.storage.Database;

/** The messages feature, wired. */
public final class Messages {
    private final SendMessage send;
    private final ListMessages list;
    private final PressButton press;

    private Messages(SendMessage send, ListMessages list, PressButton press) {
        this.send = send;
        this.list = list;
        this.press = press;
    }

    public static Messages wire(Database database, Idempotency idempotency, Conversations conversations,
                                Contacts contacts, EventLog events, Clock clock) {
        MessageRepository repository = new MessageRepository();
        return new Messages(new SendMessage(idempotency, conversations, contacts, repository, events, clock),
                new ListMessages(database, conversations, repository),
                new PressButton(database, conversations, repository, events));
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
}
