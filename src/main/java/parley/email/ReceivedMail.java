package parley.email;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mail as Parley takes it in: its Message-ID, who wrote it, its subject, the text its writer wrote this time, and
 * whether a machine sent it (an auto-reply, a bounce, a list's mail), which never becomes a customer's message.
 *
 * @param messageId the Message-ID without its angle brackets; for a mail without one, a digest of its bytes
 * @param recipients   every address the mail names as its recipients (To, Cc, and the Delivered-To and
 *                     X-Original-To a relay adds for Bcc), lower-cased: a reply address among them threads the mail
 * @param references   the Message-IDs it answers, nearest first: In-Reply-To, then References from its end
 * @param failedChecks the sender checks an upstream server's {@code Authentication-Results} says failed, such as
 *                     {@code dmarc=fail}: shown as a warning, never taken as proof either way (a sender can write
 *                     that header too; only the receiving server's own is worth reading)
 * @param bounce       nullable: the mail of Parley's this one reports undeliverable
 * @param attachments  its files and inline images, in order, but not the images it shows only in its quoted
 *                     history (copies of earlier mails' images)
 * @param original     the mail as it arrived, kept for the business to look at
 */
record ReceivedMail(String messageId, String fromAddress, String fromName, String subject, String text,
                    boolean automatic, List<String> recipients, List<String> references, List<String> failedChecks,
                    Bounce bounce, List<Attachment> attachments, byte[] original) {
    /** A file of a mail. Nullable: {@code filename}, {@code contentType} (as the mail claims it). */
    record Attachment(String filename, String contentType, byte[] bytes) {
    }

    private static final Session SESSION = Session.getInstance(new Properties());
    private static final Set<String> MACHINES = Set.of("mailer-daemon", "postmaster");
    private static final Set<String> BULK = Set.of("bulk", "junk", "list");
    private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>\\s]+)>");
    private static final int MAX_REFERENCES = 50;
    private static final Pattern FAILED_CHECK = Pattern.compile("(?i)\\b(spf|dkim|dmarc)=(fail|softfail|permerror)\\b");

    /** The mail whose bytes arrived from {@code envelopeSender} (MAIL FROM; empty for a bounce). */
    static Optional<ReceivedMail> parse(byte[] raw, String envelopeSender) throws MessagingException, IOException {
        MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        Optional<InternetAddress> from = first(message.getFrom());
        if (from.isEmpty()) {
            from = first(new Address[] {message.getSender()});
        }
        if (from.isEmpty()) {
            return Optional.empty(); // nobody to answer: not a customer's message
        }
        String id = message.getMessageID();
        String messageId = id == null || id.isBlank() ? "sha256:" + sha256(raw) : id.strip().replaceAll("^<|>$", "");
        String subject = message.getSubject();
        boolean machine = machine(envelopeSender, from.get().getAddress());
        return Optional.of(new ReceivedMail(messageId, from.get().getAddress(), from.get().getPersonal(),
                subject == null ? null : subject.strip(), text(message).orElse(""), machine || automatic(message),
                recipients(message), references(message), failedChecks(message),
                Bounce.of(message, raw, machine).orElse(null), attachments(message), raw));
    }

    private static List<String> recipients(MimeMessage message) throws MessagingException {
        Set<String> addresses = new LinkedHashSet<>();
        for (String header : List.of("To", "Cc", "Delivered-To", "X-Original-To")) {
            String value = message.getHeader(header, ",");
            if (value == null) {
                continue;
            }
            try {
                for (InternetAddress address : InternetAddress.parseHeader(value, false)) {
                    if (address.getAddress() != null) {
                        addresses.add(address.getAddress().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (AddressException e) {
                // a malformed header names nobody; the envelope's recipients still count
            }
        }
        return List.copyOf(addresses);
    }

    private static List<String> references(MimeMessage message) throws MessagingException {
        Set<String> ids = new LinkedHashSet<>(ids(message.getHeader("In-Reply-To", " ")));
        List<String> references = ids(message.getHeader("References", " "));
        for (int i = references.size() - 1; i >= 0 && ids.size() < MAX_REFERENCES; i--) {
            ids.add(references.get(i));
        }
        return List.copyOf(ids);
    }

    private static List<String> ids(String header) {
        if (header == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        Matcher matcher = MESSAGE_ID.matcher(header);
        while (matcher.find() && ids.size() < MAX_REFERENCES) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static List<String> failedChecks(MimeMessage message) throws MessagingException {
        String[] results = message.getHeader("Authentication-Results");
        if (results == null) {
            return List.of();
        }
        Set<String> failed = new LinkedHashSet<>();
        for (String result : results) {
            Matcher matcher = FAILED_CHECK.matcher(result);
            while (matcher.find()) {
                failed.add(matcher.group(1).toLowerCase(Locale.ROOT) + "=" + matcher.group(2).toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(failed);
    }

    /** A null envelope sender (how bounces arrive) or a mailer daemon's address. */
    private static boolean machine(String envelopeSender, String from) {
        return envelopeSender == null || envelopeSender.isBlank()
                || MACHINES.contains(localPart(envelopeSender)) || MACHINES.contains(localPart(from));
    }

    /** RFC 3834's {@code Auto-Submitted}, {@code Precedence: bulk|junk|list}, the common auto-responder headers. */
    private static boolean automatic(MimeMessage message) throws MessagingException {
        String autoSubmitted = message.getHeader("Auto-Submitted", null);
        String precedence = message.getHeader("Precedence", null);
        return autoSubmitted != null && !autoSubmitted.strip().equalsIgnoreCase("no")
                || precedence != null && BULK.contains(precedence.strip().toLowerCase(Locale.ROOT))
                || message.getHeader("X-Autoreply") != null || message.getHeader("X-Autorespond") != null;
    }

    private static String localPart(String address) {
        int at = address.indexOf('@');
        return (at < 0 ? address : address.substring(0, at)).toLowerCase(Locale.ROOT);
    }

    /** The visible text of the first plain-text body, else of the first HTML one; attachments are not bodies. */
    private static Optional<String> text(Part part) throws MessagingException, IOException {
        Optional<Part> plain = body(part, "text/plain");
        if (plain.isPresent()) {
            return Optional.of(VisibleText.ofPlain((String) plain.get().getContent()));
        }
        Optional<Part> html = body(part, "text/html");
        return html.isPresent() ? Optional.of(VisibleText.ofHtml((String) html.get().getContent())) : Optional.empty();
    }

    private static List<Attachment> attachments(MimeMessage message) throws MessagingException, IOException {
        Optional<Part> html = body(message, "text/html");
        Set<String> quoted = html.isPresent() ? VisibleText.quotedImages((String) html.get().getContent()) : Set.of();
        List<Attachment> attachments = new ArrayList<>();
        collect(message, quoted, attachments);
        return attachments;
    }

    /** Every part that is not a text body or a multipart, unless it is an image shown only in quoted history. */
    private static void collect(Part part, Set<String> quoted, List<Attachment> into)
            throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collect(multipart.getBodyPart(i), quoted, into);
            }
            return;
        }
        String filename = part.getFileName();
        if (filename != null && filename.contains("=?")) { // an RFC 2047 word, as some mail clients write names
            filename = MimeUtility.decodeText(filename);
        }
        boolean attached = Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
        if (filename == null && !attached && (part.isMimeType("text/plain") || part.isMimeType("text/html"))) {
            return; // one of the mail's bodies
        }
        String contentId = part instanceof MimePart mime ? mime.getContentID() : null;
        if (contentId != null && quoted.contains(contentId.strip().replaceAll("^<|>$", ""))) {
            return;
        }
        try (var input = part.getInputStream()) {
            into.add(new Attachment(filename, part.getContentType(), input.readAllBytes()));
        }
    }

    private static Optional<Part> body(Part part, String type) throws MessagingException, IOException {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return Optional.empty();
        }
        if (part.isMimeType(type)) {
            return Optional.of(part);
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Optional<Part> found = body(child, type);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<InternetAddress> first(Address[] addresses) {
        if (addresses == null) {
            return Optional.empty();
        }
        for (Address address : addresses) {
            if (address instanceof InternetAddress internet && internet.getAddress() != null
                    && internet.getAddress().contains("@")) {
                return Optional.of(internet);
            }
        }
        return Optional.empty();
    }

    private static String sha256(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
