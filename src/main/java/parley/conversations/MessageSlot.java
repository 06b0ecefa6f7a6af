package parley.conversations;

/**
 * A conversation locked for a new message, and the sequence that message takes. {@code reopenedFrom}: the status
 * the message reopens the conversation from (a participant wrote into a pending, snoozed or resolved one), else null.
 */
public record MessageSlot(Conversation conversation, long sequence, ConversationStatus reopenedFrom) {
}
