package parley.messages;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import java.util.UUID;
import parley.contacts.Contact;
import parley.contacts.Contacts;
import parley.conversations.Conversation;
import parley.conversations.Participant;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.conversations.InboxSummary;
import parley.conversations.MessageSlot;
import parley.conversations.Workflow;
import parley.errors.PermissionDenied;
import parley.events.EventLog;
import parley.events.EventType;
import parley.idempotency.Idempotency;
import parley.idempotency.IdempotencyKey;
import parley.storage.Deferred;
import parley.messages.Message.ChannelType;
import parley.messages.Message.Direction;
import parley.messages.Message.Visibility;
import parley.web.Json;

/**
 * Send Message (wix-compatibility 3.3). The request was checked by {@link MessageChecks}; here one transaction locks
 * the conversation, updates its inbox summary, stores the message under the next sequence and appends
 * the event its direction calls for (wix-compatibility D-21). Either all of it commits or none of it does.
 */
public final class SendMessage {
    /** Whose name the message goes out under (wix-compatibility 3.3 {@code sendAs}). */
    public enum SendAs { CALLER, PARTICIPANT, BUSINESS_USER }

    /** A checked Send Message request. Nullable: {@code sourceChannelId}. */
    public record Command(String conversationId, MessageContent content, Direction direction, Visibility visibility,
                          List<Message.Badge> badges, ChannelType sourceChannel, String sourceChannelId,
                          List<ChannelType> targetChannels, List<String> targetChannelIds, boolean silent,
                          boolean sendNotifications, SendAs sendAs) {
        public Command inConversation(String id) {
            return new Command(id, content, direction, visibility, badges, sourceChannel, sourceChannelId,
                    targetChannels, targetChannelIds, silent, sendNotifications, sendAs);
        }
    }

    private final Idempotency idempotency;
    private final Conversations conversations;
    private final Contacts contacts;
    private final MessageRepository messages;
    private final EventLog events;
    private final MessageFiles files;
    private final Clock clock;

    SendMessage(Idempotency idempotency, Conversations conversations, Contacts contacts, MessageRepository messages,
                EventLog events, MessageFiles files, Clock clock) {
        this.files = files;
        this.idempotency = idempotency;
        this.conversations = conversations;
        this.contacts = contacts;
        this.messages = messages;
        this.events = events;
        this.clock = clock;
    }

    /** What a channel records of a message it stored, in the message's own transaction (email: its Message-ID). */
    @FunctionalInterface
    public interface Alongside {
        void record(Handle handle, Message message);
    }

    public Message send(Caller caller, Command command, Optional<IdempotencyKey> key) {
        return send(caller, command, key, (handle, message) -> { });
    }

    /** {@link #send}, and {@code alongside} in the same transaction when the message is new. */
    public Message send(Caller caller, Command command, Optional<IdempotencyKey> key, Alongside alongside) {
        ConversationId id = ConversationId.parse(command.conversationId()).orElseThrow(Conversations::notFound);
        if (caller.identity() instanceof Caller.Visitor && (command.direction() != Direction.PARTICIPANT_TO_BUSINESS
                || command.visibility() != Visibility.BUSINESS_AND_PARTICIPANT)) {
            throw new PermissionDenied("PERMISSION_DENIED", "a visitor sends only PARTICIPANT_TO_BUSINESS messages "
                    + "with BUSINESS_AND_PARTICIPANT visibility");
        }
        return idempotency.inTransaction(caller, "sendMessage", key, new Idempotency.Work<>() {
            @Override
            public Message run(Handle handle, Deferred deferred) {
                Message message = store(handle, deferred, caller, id, command);
                alongside.record(handle, message);
                return message;
            }

            @Override
            public void announce(Deferred deferred) {
                conversations.announceNewMessage(deferred, caller.site(), id);
            }

            @Override
            public JsonNode remember(Message message) {
                return Json.MAPPER.createObjectNode().put("sequence", message.sequence());
            }

            /** What the caller could see when it sent may be closed to it now: a member signed out of a visitor. */
            @Override
            public Message recall(Handle handle, JsonNode remembered) {
                Message message = messages.find(handle, caller.site(), remembered.get("sequence").asLong()).orElseThrow();
                conversations.find(handle, caller.site(), message.conversationId())
                        .filter(conversation -> conversations.mayActIn(handle, caller, conversation))
                        .orElseThrow(Conversations::notFound);
                return message;
            }
        });
    }

    private Message store(Handle handle, Deferred deferred, Caller caller, ConversationId id, Command c) {
        if (caller.identity() instanceof Caller.Visitor) { // checked before the lock writes the summary
            conversations.find(handle, caller.site(), id)
                    .filter(requested -> conversations.mayActIn(handle, caller, requested))
                    .orElseThrow(Conversations::notFound);
        }
        MessageContent content = files.stored(handle, caller.site(), c.content());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean toBusiness = c.direction() == Direction.PARTICIPANT_TO_BUSINESS;
        MessageSlot slot = conversations.lockForNewMessage(handle, deferred, caller.site(), id,
                        new InboxSummary(now, content.summaryText(),
                                sourceChannel(caller, c.sourceChannel()).name(), toBusiness, c.silent()))
                .orElseThrow(Conversations::notFound);
        Conversation conversation = slot.conversation();
        String appId = caller.appId();
        Message message = new Message(slot.sequence(), conversation.id(), content.withPostbackOwner(appId),
                sender(caller, conversation, c.sendAs()), appId, c.direction(), c.visibility(), c.badges(),
                sourceChannel(caller, c.sourceChannel()), c.sourceChannelId(), c.targetChannels(), c.targetChannelIds(), c.silent(),
                c.sendNotifications(), now);
        // The rows (and the summary) are deferred: a group commit writes those of all its sends in one statement.
        messages.insert(deferred, caller.site(), message);
        UUID contactId = conversation.participant().kind() == Participant.Kind.CONTACT
                ? conversation.participant().id() : conversation.contactId();
        if (contactId != null && !c.silent()) { // wix-compatibility D-28; silent back-fills leave the activity alone
            contacts.touch(deferred, caller.site(), contactId, now, !toBusiness ? Contact.INBOX_MESSAGE_TO_CUSTOMER
                    : content.payload() instanceof MessageContent.Form ? Contact.INBOX_FORM_SUBMITTED
                    : Contact.INBOX_MESSAGE_FROM_CUSTOMER);
        }
        events.append(deferred, caller.site(),
                toBusiness ? EventType.MESSAGE_SENT_TO_BUSINESS : EventType.MESSAGE_SENT_TO_PARTICIPANT,
                Long.toString(message.sequence()), conversation.id().value(),
                new MessageJson.MessageSentBody(conversation.id().toString(), MessageJson.view(message, files)), caller, null);
        if (slot.reopenedFrom() != null) { // docs/api.md, "Status": a participant's message reopens
            events.append(deferred, caller.site(), EventType.CONVERSATION_STATUS_CHANGED, conversation.id().toString(),
                    conversation.id().value(), Workflow.reopened(conversation.id(), slot.reopenedFrom()), caller,
                    Long.toString(message.sequence()));
        }
        return message;
    }

    /** What a visitor writes comes from the chat widget: its channel is CHAT unless the message says otherwise. */
    private static Message.ChannelType sourceChannel(Caller caller, Message.ChannelType given) {
        return caller.identity() instanceof Caller.Visitor && given == Message.ChannelType.UNKNOWN_CHANNEL_TYPE
                ? Message.ChannelType.CHAT : given;
    }

    /** wix-compatibility 4.3: CALLER is the caller itself; PARTICIPANT is the conversation's participant. */
    private static Message.Sender sender(Caller caller, Conversation conversation, SendAs sendAs) {
        if (sendAs == SendAs.PARTICIPANT) {
            return participant(conversation);
        }
        return switch (caller.identity()) {
            case Caller.App app -> new Message.Sender(Message.Sender.Kind.APP, app.appId().toString(), null);
            case Caller.Visitor ignored -> participant(conversation);
            case Caller.Agent agent -> new Message.Sender(Message.Sender.Kind.WIX_USER, agent.userId().toString(), null);
        };
    }

    /** The conversation's participant in the sender shape (wix-compatibility 2.3, message flavour). */
    static Message.Sender participant(Conversation conversation) {
        String id = conversation.participant().id().toString();
        String contactId = conversation.contactId() == null ? null : conversation.contactId().toString();
        return switch (conversation.participant().kind()) {
            case ANONYMOUS_VISITOR -> new Message.Sender(Message.Sender.Kind.ANONYMOUS_VISITOR, id, contactId);
            case CONTACT -> new Message.Sender(Message.Sender.Kind.CONTACT, id, null);
            case MEMBER -> new Message.Sender(Message.Sender.Kind.MEMBER, id, contactId);
        };
    }
}
