package parley.conversations;

/** A conversation locked for a new message, and the sequence that message takes. */
public record MessageSlot(Conversation conversation, long sequence) {
}
