/**
 * Messages: the five content types, sending and listing (wix-compatibility 2.4–2.8, 3.3–3.4). Start at
 * {@link parley.messages.SendMessage}: it checks, then stores the message, its sequence, the
 * conversation summary and the outbox event in one transaction. {@link parley.messages.ListMessages}
 * applies visibility in the SQL. The wire shapes live in {@code MessageJson}; {@code MessageChecks}
 * holds every validation rule of wix-compatibility 3.3 and D-13; {@code LegacyShapes} translates the v1 shapes of D-6.
 *
 * <p>Content, sender and badges are stored as their Wix JSON, the one canonical serialization of those
 * values we have, so a message reads back exactly as it was answered.
 */
package parley.messages;
