package parley.conversations;

import java.time.Instant;

/**
 * How one new message changes its conversation's line in the inbox list: the time, the preview text, the channel
 * and whether it adds to the unread count. A silent message changes none of it (wix-compatibility 3.3, D-16).
 */
public record InboxSummary(Instant at, String previewText, String channel, boolean countsAsUnread, boolean silent) {
}
