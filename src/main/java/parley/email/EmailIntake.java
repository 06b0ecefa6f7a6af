package parley.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import parley.auth.Caller;
import parley.channels.Channels;
import parley.contacts.ContactInfo;
import parley.contacts.Contacts;
import parley.conversations.Conversation;
import parley.conversations.Conversations;
import parley.conversations.Participant;
import parley.idempotency.IdempotencyKey;
import parley.messages.Message;
import parley.messages.MessageContent;
import parley.messages.Messages;
import parley.messages.SendMessage;
import parley.storage.Database;

/**
 * Takes a received mail into its site's inbox (docs/email.md, "Receiving"): the sender's contact (found by email, or
 * new), that person's one conversation, and in it a {@code PARTICIPANT_TO_BUSINESS} message from the channel
 * {@code EMAIL} with the subject as its title. Each step is idempotent, so a mail delivered twice, or again after a
 * crash, is stored once: the message is sent under a key made from its Message-ID, which is then recorded for good.
 */
public final class EmailIntake {
    static final int MAX_TEXT = 20_000;
    static final int MAX_SUBJECT = 256;
    static final int MAX_BADGE = 100;

    public enum Outcome { STORED, DUPLICATE, AUTOMATIC }

    private final Database database;
    private final Contacts contacts;
    private final Conversations conversations;
    private final Messages messages;
    private final Clock clock;

    public EmailIntake(Database database, Contacts contacts, Conversations conversations, Messages messages,
                       Clock clock) {
        this.database = database;
        this.contacts = contacts;
        this.conversations = conversations;
        this.messages = messages;
        this.clock = clock;
    }

    Outcome take(Channels.Owner channel, ReceivedMail mail) {
        if (mail.automatic()) {
            return Outcome.AUTOMATIC;
        }
        if (seen(channel, mail.messageId())) {
            return Outcome.DUPLICATE;
        }
        Caller caller = new Caller(channel.site(), new Caller.App(Caller.PARLEY_APP_ID));
        UUID contact = contacts.ofEmail(caller, mail.fromAddress(), name(mail.fromName()));
        Conversation conversation = conversations.getOrCreate().getOrCreate(caller,
                new Participant(Participant.Kind.CONTACT, contact), Optional.empty()).conversation();
        String key = "email:" + sha256(mail.messageId());
        Message message = messages.send().send(caller, new SendMessage.Command(conversation.id().toString(),
                content(mail), Message.Direction.PARTICIPANT_TO_BUSINESS, Message.Visibility.BUSINESS_AND_PARTICIPANT,
                badges(mail), Message.ChannelType.EMAIL, channel.channelId().toString(), List.of(), List.of(), false,
                true, SendMessage.SendAs.PARTICIPANT), Optional.of(new IdempotencyKey(key, key)));
        database.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO email_messages (site_id, message_id, conversation_id, sequence, received_at)
                        VALUES (:site, :messageId, :conversation, :sequence, :at)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("site", channel.site().value())
                .bind("messageId", mail.messageId())
                .bind("conversation", message.conversationId().value())
                .bind("sequence", message.sequence())
                .bind("at", clock.instant())
                .execute());
        return Outcome.STORED;
    }

    private boolean seen(Channels.Owner channel, String messageId) {
        return database.read(handle -> handle.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM email_messages WHERE site_id = :site AND message_id = :id)")
                .bind("site", channel.site().value())
                .bind("id", messageId)
                .mapTo(Boolean.class)
                .one());
    }

    /** The text as a basic item, the subject as the title; each cut to what a message may hold. */
    private static MessageContent content(ReceivedMail mail) {
        String text = mail.text().isBlank() ? "(no text)" : cut(mail.text(), MAX_TEXT);
        String subject = mail.subject() == null || mail.subject().isBlank() ? null : cut(mail.subject(), MAX_SUBJECT);
        return new MessageContent(new MessageContent.Basic(List.of(new MessageContent.Text(text))), null, subject);
    }

    /** A failed sender check shows on the message, to the business only. */
    private static List<Message.Badge> badges(ReceivedMail mail) {
        return mail.failedChecks().isEmpty() ? List.of() : List.of(new Message.Badge(cut("Sender not verified: "
                + String.join(", ", mail.failedChecks()), MAX_BADGE), null, Message.BadgeVisibility.BUSINESS));
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** A display name as first and last name: its last word is the last name. */
    private static ContactInfo.Name name(String displayName) {
        if (displayName == null || displayName.isBlank()) {
            return null;
        }
        String name = displayName.strip();
        int space = name.lastIndexOf(' ');
        return space < 0 ? new ContactInfo.Name(name, null)
                : new ContactInfo.Name(name.substring(0, space).strip(), name.substring(space + 1));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
