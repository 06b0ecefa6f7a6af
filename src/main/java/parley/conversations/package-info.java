/**
 * Conversations: one thread per participant of a site (wix-compatibility 1.4). Start at
 * {@link parley.conversations.GetOrCreateConversation}. Messages are not stored here; the messages
 * feature locks a conversation through {@link parley.conversations.Conversations#lockForNewMessage}
 * so that each message and the conversation summary change together.
 */
package parley.conversations;
