package parley.email;

import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address a conversation's mail is answered at (docs/email.md, "Threading"): the channel's own address with the
 * conversation in a subaddress, {@code support+3f2a…9c@acme.example}. Mail to any subaddress ({@code support+x@…})
 * reaches the channel; one whose tag is a conversation also says which conversation it answers, wherever the customer's
 * mail client put it (To, Cc, Bcc).
 *
 * @param base         the channel's address, lower-cased
 * @param conversation the conversation the tag names, or null
 */
record ReplyAddress(String base, UUID conversation) {
    /** RFC 5321: a local part has at most 64 characters. */
    private static final int MAX_LOCAL_PART = 64;
    private static final Pattern SUBADDRESS = Pattern.compile("([^@+]+)\\+([^@]*)@(.+)");
    private static final Pattern CONVERSATION_TAG = Pattern.compile("[0-9a-f]{32}");

    /** The reply address of {@code conversation} at {@code channelAddress}; the channel's own when it would be too long. */
    static String of(String channelAddress, UUID conversation) {
        int at = channelAddress.lastIndexOf('@');
        String local = channelAddress.substring(0, at) + "+" + conversation.toString().replace("-", "");
        return local.length() > MAX_LOCAL_PART ? channelAddress : local + channelAddress.substring(at);
    }

    static ReplyAddress parse(String address) {
        String lower = address.strip().toLowerCase(Locale.ROOT);
        Matcher m = SUBADDRESS.matcher(lower);
        if (!m.matches()) {
            return new ReplyAddress(lower, null);
        }
        return new ReplyAddress(m.group(1) + "@" + m.group(3), conversation(m.group(2)).orElse(null));
    }

    private static Optional<UUID> conversation(String tag) {
        if (!CONVERSATION_TAG.matcher(tag).matches()) {
            return Optional.empty();
        }
        return Optional.of(new UUID(Long.parseUnsignedLong(tag.substring(0, 16), 16),
                Long.parseUnsignedLong(tag.substring(16), 16)));
    }
}
