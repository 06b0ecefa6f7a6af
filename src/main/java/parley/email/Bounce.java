package parley.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mail server's report that a mail Parley sent could not be delivered (docs/email.md, "Bounces"): which mail, by
 * its Message-ID (Parley's own, {@code parley.<sequence>.<site>@…}, wherever the report quotes it: the returned
 * headers or message), and the server's words. A delivery status notification (RFC 3464, {@code multipart/report})
 * counts only when a recipient's {@code Action} is {@code failed}: a "delayed" warning is not a failure. A report
 * of another shape counts when a mailer daemon sent it (null envelope sender, {@code mailer-daemon},
 * {@code postmaster}), as old servers and some providers write plain-text bounces.
 *
 * <p>Anyone can write such a report, and a customer who got one of the site's mails knows what its Message-IDs look
 * like; so a report counts only for a mail to an address the report names (its {@code Final-Recipient}, or the
 * text of a plain bounce): a forger can fail only mail they already know the recipient of.
 *
 * @param messageId the bounced mail's Message-ID, without angle brackets
 * @param reason    the {@code Diagnostic-Code}, else the {@code Status}, else a general sentence
 * @param report    the report's text, unfolded and lower-cased, to find the recipient in
 */
record Bounce(String messageId, String reason, String report) {
    private static final Pattern PARLEY_ID = Pattern.compile(
            "(?im)^Message-ID:[ \\t]*<(parley\\.\\d+\\.[0-9a-f]{32}@[^<>\\s]+)>");
    private static final Pattern ACTION = Pattern.compile("(?im)^Action:[ \\t]*(\\S+)");
    private static final Pattern DIAGNOSTIC = Pattern.compile("(?im)^Diagnostic-Code:[ \\t]*(?:[\\w-]+;[ \\t]*)?(.+)");
    private static final Pattern STATUS = Pattern.compile("(?im)^Status:[ \\t]*([245]\\.\\d{1,3}\\.\\d{1,3})");
    private static final int MAX_REASON = 500;

    /** The bounce {@code message} reports, if it is one of a mail of Parley's; {@code fromMachine}: a daemon sent it. */
    static Optional<Bounce> of(MimeMessage message, byte[] raw, boolean fromMachine) throws MessagingException {
        boolean report = message.isMimeType("multipart/report");
        if (!report && !fromMachine) {
            return Optional.empty();
        }
        // Unfolded, as header fields may continue on the next line; ISO-8859-1 maps every byte to one character.
        String text = new String(raw, StandardCharsets.ISO_8859_1).replaceAll("\\r?\\n[ \\t]+", " ");
        Matcher id = PARLEY_ID.matcher(text);
        if (!id.find()) {
            return Optional.empty();
        }
        if (report) {
            boolean failed = false;
            boolean anyAction = false;
            for (Matcher action = ACTION.matcher(text); action.find(); ) {
                anyAction = true;
                failed |= action.group(1).equalsIgnoreCase("failed");
            }
            if (anyAction ? !failed : !fromMachine) {
                return Optional.empty();
            }
        }
        Matcher diagnostic = DIAGNOSTIC.matcher(text);
        Matcher status = STATUS.matcher(text);
        String reason = diagnostic.find() ? diagnostic.group(1).strip()
                : status.find() ? "status " + status.group(1) : "no reason given";
        return Optional.of(new Bounce(id.group(1), reason.length() <= MAX_REASON ? reason
                : reason.substring(0, MAX_REASON - 1) + "…", text.toLowerCase(Locale.ROOT)));
    }
}
