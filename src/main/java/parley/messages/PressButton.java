package parley.messages;

import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.conversations.Conversation;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.errors.PermissionDenied;
import parley.events.EventLog;
import parley.events.EventType;
import parley.storage.Transactions;
import parley.web.PathIds;

/**
 * A participant pressed a postback button (wix-compatibility 5.2 Button Interacted). The message must be in the
 * conversation (or in one merged into it), shown to the participant, and carry a button with that interaction id; the
 * event names the button's app (wix-compatibility D-8), the message as its entity (wix-compatibility D-20) and the
 * participant as {@code interactedBy}.
 */
public final class PressButton {
    private final Transactions transactions;
    private final Conversations conversations;
    private final MessageRepository messages;
    private final EventLog events;

    PressButton(Transactions transactions, Conversations conversations, MessageRepository messages, EventLog events) {
        this.transactions = transactions;
        this.conversations = conversations;
        this.messages = messages;
        this.events = events;
    }

    record ButtonInteractedBody(String conversationId, String appId, String interactionId,
                                MessageJson.SenderJson interactedBy) {
    }

    public void press(Caller caller, String conversationId, String messageId, String interactionId) {
        ConversationId id = ConversationId.parse(conversationId).orElseThrow(Conversations::notFound);
        long sequence = PathIds.sequence(messageId).orElseThrow(PressButton::messageNotFound);
        if (interactionId == null || interactionId.isBlank()) {
            throw InvalidArgument.of(FieldViolation.required("interactionId"));
        }
        transactions.inTransaction(handle -> {
            press(handle, caller, id, sequence, interactionId);
            return null;
        });
    }

    /** {@link #press} in the caller's transaction, for what records more with the press (an email's button). */
    public void press(Handle handle, Caller caller, ConversationId id, long sequence, String interactionId) {
        Conversation conversation = conversations.find(handle, caller.site(), id)
                .filter(found -> conversations.mayActIn(handle, caller, found))
                .orElseThrow(Conversations::notFound);
        Message message = messages.find(handle, caller.site(), sequence)
                .filter(m -> m.conversationId().equals(conversation.id()))
                .orElseThrow(PressButton::messageNotFound);
        authorize(caller, message);
        MessageContent.Postback postback = message.content().postbackButton(interactionId)
                .map(MessageContent.Button::postback)
                .orElseThrow(() -> InvalidArgument.of(new FieldViolation("interactionId",
                        "the message has no postback button with this interactionId",
                        FieldViolation.Rule.VALIDATION)));
        events.append(handle, caller.site(), EventType.BUTTON_INTERACTED, Long.toString(sequence),
                conversation.id().value(), new ButtonInteractedBody(conversation.id().toString(),
                        postback.appId(), interactionId, MessageJson.sender(SendMessage.participant(conversation))),
                caller);
    }

    /**
     * Who may press which buttons, in one place. Only a participant presses buttons, and only on messages
     * shown to them; an app relays its participants' presses (from another channel, say), so the same rule
     * holds for it, and for a visitor in the widget (whose conversation {@code Conversations.mayActIn}
     * already limited to its own). A visitor is not told that a business-only message exists.
     */
    private static void authorize(Caller caller, Message message) {
        if (caller.identity() instanceof Caller.Agent) { // wix-compatibility 4.4: not clickable from the business inbox
            throw new PermissionDenied("PERMISSION_DENIED", "buttons are pressed by the participant, not by the business");
        }
        if (message.visibility() == Message.Visibility.BUSINESS_AND_PARTICIPANT) {
            return;
        }
        throw caller.identity() instanceof Caller.Visitor ? messageNotFound()
                : InvalidArgument.of(new FieldViolation("messageId",
                        "the message is not shown to the participant, so its buttons cannot be pressed",
                        FieldViolation.Rule.VALIDATION));
    }

    public static NotFound messageNotFound() {
        return new NotFound("MESSAGE_NOT_FOUND", "message not found");
    }
}
