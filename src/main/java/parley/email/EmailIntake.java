package parley.email;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.channels.Channels;
import parley.contacts.ContactInfo;
import parley.contacts.Contacts;
import parley.conversations.Conversation;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.conversations.Participant;
import parley.events.EventLog;
import parley.files.Files;
import parley.idempotency.IdempotencyKey;
import parley.messages.Message;
import parley.messages.MessageContent;
import parley.messages.MessageFiles;
import parley.messages.Messages;
import parley.messages.SendMessage;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Takes a received mail into its site's inbox (docs/email.md, "Receiving"): the sender's contact (found by email, or
 * new), that person's one conversation, and in it a {@code PARTICIPANT_TO_BUSINESS} message from the channel
 * {@code EMAIL} with the subject as its title. Each step is idempotent, so a mail delivered twice, or again after a
 * crash, is stored once: the message is sent under a key made from its Message-ID, which is recorded with it.
 * A reply to a conversation's mail goes into that conversation when its sender is that conversation's participant.
 * A bounce of a mail Parley sent marks that message's delivery failed.
 */
public final class EmailIntake {
    static final int MAX_TEXT = 20_000;
    static final int MAX_SUBJECT = 256;
    static final int MAX_BADGE = 100;
    static final int MAX_ATTACHMENTS = 20;

    public enum Outcome { STORED, DUPLICATE, AUTOMATIC, BOUNCE }

    /** Where a mail goes: nowhere (its Message-ID was taken in before), or a conversation; null: a new person's. */
    private record Destination(boolean duplicate, ConversationId conversation) {
    }

    private final Database database;
    private final Channels channels;
    private final Contacts contacts;
    private final Conversations conversations;
    private final Messages messages;
    private final MailOutbox outbox;
    private final Files files;
    private final Clock clock;

    public EmailIntake(Database database, Channels channels, Contacts contacts, Conversations conversations,
                       Messages messages, EventLog events, Files files, Clock clock) {
        this.database = database;
        this.files = files;
        this.outbox = new MailOutbox(events);
        this.channels = channels;
        this.contacts = contacts;
        this.conversations = conversations;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * Why a mail is refused where it can be (over SMTP; a mailbox read over IMAP holds it already): it has more files
     * than a message takes, or one larger than a file may be.
     */
    Optional<String> refusal(ReceivedMail mail) {
        if (mail.attachments().size() > MAX_ATTACHMENTS) {
            return Optional.of("a mail may have at most " + MAX_ATTACHMENTS + " attachments");
        }
        return mail.attachments().stream().anyMatch(a -> a.bytes().length > files.maxBytes())
                ? Optional.of("an attachment may have at most " + files.maxBytes() + " bytes") : Optional.empty();
    }

    /**
     * Stores {@code mail} for the site of {@code channel}; {@code replyTo} are the conversations the envelope's reply
     * addresses name.
     */
    Outcome take(Channels.Owner channel, ReceivedMail mail, List<UUID> replyTo) {
        if (mail.bounce() != null) {
            database.inTransaction(handle -> outbox.bounced(handle, channel.site(), mail.bounce(), clock.instant()));
            return Outcome.BOUNCE;
        }
        if (mail.automatic()) {
            return Outcome.AUTOMATIC;
        }
        Caller caller = new Caller(channel.site(), new Caller.App(Caller.PARLEY_APP_ID));
        Set<UUID> named = named(channel.site(), mail, replyTo);
        Destination destination = database.read(handle -> seen(handle, channel.site(), mail.messageId())
                ? new Destination(true, null)
                : new Destination(false, thread(handle, channel.site(), mail, named)
                        .or(() -> ownConversation(handle, channel.site(), mail.fromAddress())).orElse(null)));
        if (destination.duplicate()) {
            return Outcome.DUPLICATE;
        }
        // Someone new: their contact and conversation are made now (a write each, for their first mail only).
        ConversationId conversation = destination.conversation() != null ? destination.conversation()
                : conversations.getOrCreate().getOrCreate(caller, new Participant(Participant.Kind.CONTACT,
                        contacts.ofEmail(caller, mail.fromAddress(), ContactInfo.Name.of(mail.fromName()))), Optional.empty())
                .conversation().id();
        List<Files.New> attached = mail.attachments().stream().limit(MAX_ATTACHMENTS)
                .filter(a -> a.bytes().length <= files.maxBytes())
                .map(a -> files.prepare(channel.site(), a.filename(), a.contentType(), a.bytes())).toList();
        // The mail's Message-ID and its files are recorded with its message, in one transaction: a mail is either
        // stored and known by its id (a second delivery is a duplicate; a reply to it threads), or none of it is.
        messages.send().send(caller, new SendMessage.Command(conversation.toString(),
                content(mail, attached), Message.Direction.PARTICIPANT_TO_BUSINESS,
                Message.Visibility.BUSINESS_AND_PARTICIPANT, badges(mail), Message.ChannelType.EMAIL,
                channel.channelId().toString(), List.of(), List.of(), false, true, SendMessage.SendAs.PARTICIPANT),
                Optional.of(IdempotencyKey.ofSource("email", mail.messageId())), (handle, message) -> {
                    attached.forEach(file -> files.insert(handle, file, true));
                    handle.createUpdate("""
                                INSERT INTO email_messages (site_id, message_id, conversation_id, sequence, received_at,
                                                            outgoing, address, subject, original)
                                VALUES (:site, :messageId, :conversation, :sequence, :at, false, :address, :subject,
                                        :original)
                                ON CONFLICT DO NOTHING
                                """)
                        .bind("site", channel.site().value())
                        .bind("messageId", mail.messageId())
                        .bind("conversation", message.conversationId().value())
                        .bind("sequence", message.sequence())
                        .bind("at", clock.instant())
                        .bind("address", mail.fromAddress().toLowerCase(Locale.ROOT))
                        .bind("subject", message.content().title())
                        .bind("original", mail.original())
                        .execute();
                });
        return Outcome.STORED;
    }

    /**
     * The conversation a reply continues (docs/email.md, "Threading"): one its reply addresses name (in the envelope,
     * To or Cc), else one that holds a mail it answers (In-Reply-To, References) — but only a conversation whose
     * participant has the sender's address. Anyone else answering the same mail (a colleague in Cc, the readers of a
     * newsletter) is a person of their own, with their own conversation.
     */
    private static Optional<ConversationId> thread(Handle handle, SiteId site, ReceivedMail mail, Set<UUID> named) {
        Set<UUID> candidates = new LinkedHashSet<>(named);
        candidates.addAll(answered(handle, site, mail.references()));
        String sender = mail.fromAddress().strip().toLowerCase(Locale.ROOT);
        return candidates.stream().filter(candidate -> writtenBy(handle, site, candidate, sender)).findFirst()
                .map(ConversationId::new);
    }

    /** The conversations the reply addresses among the envelope's and the headers' recipients name, in that order. */
    private Set<UUID> named(SiteId site, ReceivedMail mail, List<UUID> replyTo) {
        Set<UUID> named = new LinkedHashSet<>(replyTo);
        for (String recipient : mail.recipients()) {
            ReplyAddress address = ReplyAddress.parse(recipient);
            if (address.conversation() != null
                    && channels.ownerOf(address.base()).filter(owner -> owner.site().equals(site)).isPresent()) {
                named.add(address.conversation());
            }
        }
        return named;
    }

    /** The conversation of whom the sender's contact stands for (its member, say), if the sender is known and has one. */
    private Optional<ConversationId> ownConversation(Handle handle, SiteId site, String sender) {
        return contacts.withEmail(handle, site, sender)
                .map(contact -> conversations.standsFor(handle, site, new Participant(Participant.Kind.CONTACT, contact)))
                .flatMap(participant -> conversations.find(handle, site, participant))
                .map(Conversation::id);
    }

    /** The conversations of the mails with these Message-IDs, in the order of the ids. */
    private static List<UUID> answered(Handle handle, SiteId site, List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("""
                        SELECT m.conversation_id FROM unnest(CAST(:ids AS text[])) WITH ORDINALITY AS r(id, n)
                        JOIN email_messages m ON m.site_id = :site AND m.message_id = r.id
                        ORDER BY r.n
                        """)
                .bind("site", site.value())
                .bind("ids", messageIds.toArray(String[]::new))
                .mapTo(UUID.class)
                .list();
    }

    /** Whether the participant of the conversation (or the contact it is linked to) has {@code address}. */
    private static boolean writtenBy(Handle handle, SiteId site, UUID conversation, String address) {
        return handle.createQuery("""
                        SELECT EXISTS (
                            SELECT 1 FROM conversations c
                            JOIN contact_values v ON v.site_id = c.site_id AND v.field = 'info.emails.email'
                                 AND v.value = :address
                                 AND v.contact_id = CASE WHEN c.participant_kind = 'CONTACT' THEN c.participant_id
                                                         ELSE c.contact_id END
                            WHERE c.site_id = :site AND c.conversation_id = :conversation)
                        """)
                .bind("site", site.value())
                .bind("conversation", conversation)
                .bind("address", address)
                .mapTo(Boolean.class)
                .one();
    }

    private static boolean seen(Handle handle, SiteId site, String messageId) {
        return handle.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM email_messages WHERE site_id = :site AND message_id = :id)")
                .bind("site", site.value())
                .bind("id", messageId)
                .mapTo(Boolean.class)
                .one();
    }

    /**
     * The text, then the files, as basic items; the subject as the title; each cut to what a message may hold. Files
     * a mailbox held beyond what a message takes are named as left out: they are in the mail's original.
     */
    private MessageContent content(ReceivedMail mail, List<Files.New> attached) {
        List<MessageContent.Item> items = new ArrayList<>();
        int leftOut = mail.attachments().size() - attached.size();
        String text = mail.text().strip() + (leftOut == 0 ? "" : "\n\n(" + leftOut + (leftOut == 1 ? " file was" :
                " files were") + " left out: a message holds " + MAX_ATTACHMENTS + " files of at most "
                + files.maxBytes() + " bytes each. The mail's original has them.)");
        if (!text.isBlank() || attached.isEmpty()) {
            items.add(new MessageContent.Text(text.isBlank() ? "(no text)" : cut(text.strip(), MAX_TEXT)));
        }
        attached.forEach(file -> items.add(MessageFiles.item(file.file())));
        String subject = mail.subject() == null || mail.subject().isBlank() ? null : cut(mail.subject(), MAX_SUBJECT);
        return new MessageContent(new MessageContent.Basic(items), null, subject);
    }

    /** A failed sender check shows on the message, to the business only. */
    private static List<Message.Badge> badges(ReceivedMail mail) {
        return mail.failedChecks().isEmpty() ? List.of() : List.of(new Message.Badge(cut("Sender not verified: "
                + String.join(", ", mail.failedChecks()), MAX_BADGE), null, Message.BadgeVisibility.BUSINESS));
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
