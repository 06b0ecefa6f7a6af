package parley.messages;

import java.time.Instant;
import java.util.List;
import parley.conversations.ConversationId;

/**
 * A stored message. {@code sequence} is also its id: strictly increasing within the conversation,
 * assigned in the transaction that stored it (DESIGN.md section 3). {@code appId}, {@code sourceChannelId}
 * may be null.
 */
public record Message(long sequence, ConversationId conversationId, MessageContent content, Sender sender,
                      String appId, Direction direction, Visibility visibility, List<Badge> badges,
                      ChannelType sourceChannel, String sourceChannelId, List<ChannelType> targetChannels,
                      List<String> targetChannelIds, boolean silent, boolean sendNotifications, Instant createdAt) {

    /** The message as its participant may see it: without the badges only the business sees (wix-compatibility 4.4). */
    public Message seenByParticipant() {
        List<Badge> shown = badges.stream().filter(b -> b.badgeVisibility() != BadgeVisibility.BUSINESS).toList();
        return new Message(sequence, conversationId, content, sender, appId, direction, visibility, shown,
                sourceChannel, sourceChannelId, targetChannels, targetChannelIds, silent, sendNotifications, createdAt);
    }

    public enum Direction { UNKNOWN_DIRECTION, BUSINESS_TO_PARTICIPANT, PARTICIPANT_TO_BUSINESS }

    /** {@code BUSINESS} messages are never shown to the participant (wix-compatibility 4.4). */
    public enum Visibility { UNKNOWN_VISIBILITY, BUSINESS_AND_PARTICIPANT, BUSINESS }

    public enum ChannelType {
        UNKNOWN_CHANNEL_TYPE, CHAT, EMAIL, SMS, FACEBOOK, INSTAGRAM, WHATSAPP, AI_ASSISTANT, PHONE
    }

    /** A small label on a message; at most one per message (wix-compatibility 2.7). */
    public record Badge(String text, String iconUrl, BadgeVisibility badgeVisibility) {
    }

    public enum BadgeVisibility { UNKNOWN_BADGE_VISIBILITY, BUSINESS_AND_PARTICIPANT, BUSINESS }

    /**
     * Who wrote the message (wix-compatibility 2.3, message flavour): one id of one kind, plus the contact id when
     * known. A contact participant is written as its contact id alone.
     */
    public record Sender(Kind kind, String id, String contactId) {
        public enum Kind { ANONYMOUS_VISITOR, CONTACT, MEMBER, WIX_USER, APP }
    }
}
