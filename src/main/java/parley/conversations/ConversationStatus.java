package parley.conversations;

/**
 * Where a conversation stands in the business's work (docs/api.md, "Status"): open, pending (waiting on the
 * customer), snoozed until a time, resolved. A participant's new message reopens any of the other three.
 */
public enum ConversationStatus { OPEN, PENDING, SNOOZED, RESOLVED }
