package parley.email;

import jakarta.mail.Message.RecipientType;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.ByteArrayDataSource;
import org.eclipse.angus.mail.util.CRLFOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import parley.files.FileLinks;
import parley.files.Files;
import parley.messages.Message;
import parley.messages.MessageContent;

/**
 * A business message as an email (docs/email.md, "Sending"): from the channel's address under the site's name,
 * answered at the conversation's reply address, threaded under the conversation's newest mail ({@code In-Reply-To},
 * {@code References}, "Re:" subject), as plain text and as HTML. Everything from the message is escaped in the HTML;
 * only http(s) links become links; a postback button becomes its signed link ({@link ButtonLinks}). Its Message-ID is made from the message, so a mail sent again after a crash is the
 * same mail to its receiver.
 */
record OutgoingMail(String messageId, String recipient, String subject, MimeMessage mime) {
    private static final Pattern REPLY_PREFIX = Pattern.compile("(?i)^((re|aw|sv|fw|fwd)\\s*:\\s*)+");

    /** A message that cannot go out as email, whatever is tried again: the reason is shown on the message. */
    static final class Unsendable extends Exception {
        Unsendable(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * {@code attached}: the message's files that go with the mail; its other files are links ({@code fileLink} makes
     * one from a file's path).
     */
    static OutgoingMail of(Session session, MailOutbox.Claimed claimed, MailOutbox.Thread thread, Message message,
                           ButtonLinks buttons, List<Files.Content> attached, UnaryOperator<String> fileLink,
                           Instant now) throws Unsendable, MessagingException {
        if (thread.channelAddress() == null) {
            throw new Unsendable("the site has no email channel to send from");
        }
        if (thread.recipient() == null || thread.recipient().isBlank()) {
            throw new Unsendable("the participant has no email address");
        }
        InternetAddress to;
        try {
            to = new InternetAddress(thread.recipient(), true);
        } catch (AddressException e) {
            throw new Unsendable("the participant's email address is not valid: " + thread.recipient());
        }
        String channel = thread.channelAddress();
        String messageId = "parley." + claimed.sequence() + "." + claimed.site().value().toString().replace("-", "")
                + channel.substring(channel.lastIndexOf('@'));
        String subject = subject(thread, message.content());
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + messageId + ">");
            }
        };
        mime.setFrom(named(channel, thread.siteName()));
        mime.setReplyTo(new InternetAddress[] {named(ReplyAddress.of(channel, claimed.conversation()),
                thread.siteName())});
        mime.setRecipient(RecipientType.TO, to);
        mime.setSubject(subject, StandardCharsets.UTF_8.name());
        mime.setSentDate(Date.from(now));
        if (!thread.messageIds().isEmpty()) {
            mime.setHeader("In-Reply-To", "<" + thread.messageIds().getFirst() + ">");
            // Folded: twenty ids are more than the 998 characters a line of a mail may have.
            mime.setHeader("References", MimeUtility.fold("References: ".length(), String.join(" ",
                    thread.messageIds().reversed().stream().map(id -> "<" + id + ">").toList())));
        }
        Set<String> attachedIds = attached.stream().map(file -> file.file().id().toString()).collect(Collectors.toSet());
        Body body = Body.of(message.content().withMedia(media -> !FileLinks.isPath(media.url()) ? media
                        : attachedIds.contains(media.id()) ? media.withUrl(null) : media.withUrl(fileLink.apply(media.url()))),
                thread.siteName(), interactionId -> buttons.url(claimed.site(), claimed.sequence(), interactionId));
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(body.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(body.html(), StandardCharsets.UTF_8.name(), "html");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        if (attached.isEmpty()) {
            mime.setContent(alternative);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart bodies = new MimeBodyPart();
            bodies.setContent(alternative);
            mixed.addBodyPart(bodies);
            for (Files.Content file : attached) {
                MimeBodyPart part = new MimeBodyPart();
                part.setDataHandler(new DataHandler(new ByteArrayDataSource(file.bytes(), file.file().contentType())));
                part.setDisposition(Part.ATTACHMENT);
                part.setFileName(file.file().filename() != null ? file.file().filename() : "file");
                mixed.addBodyPart(part);
            }
            mime.setContent(mixed);
        }
        mime.saveChanges();
        return new OutgoingMail(messageId, to.getAddress().toLowerCase(Locale.ROOT), subject,
                thread.dkimKey() == null ? mime : signed(session, mime, channel, thread, now));
    }

    /** The mail with its DKIM signature, as bytes that nothing changes any more: the signature covers them. */
    private static MimeMessage signed(Session session, MimeMessage mime, String channel, MailOutbox.Thread thread,
                                      Instant now) throws MessagingException {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (CRLFOutputStream lines = new CRLFOutputStream(bytes)) { // line ends as SMTP sends them
                mime.writeTo(lines);
            }
            DkimSigner signer = new DkimSigner(channel.substring(channel.indexOf('@') + 1), thread.dkimSelector(),
                    thread.dkimKey());
            return new MimeMessage(session, new ByteArrayInputStream(signer.sign(bytes.toByteArray(), now)));
        } catch (IOException | GeneralSecurityException e) {
            throw new MessagingException("could not sign the mail", e);
        }
    }

    /** "Re:" and the thread's subject; a new thread's is the message's title, or the site's name. */
    private static String subject(MailOutbox.Thread thread, MessageContent content) {
        if (thread.subject() != null && !thread.subject().isBlank()) {
            return "Re: " + REPLY_PREFIX.matcher(thread.subject().strip()).replaceFirst("");
        }
        if (content.title() != null && !content.title().isBlank()) {
            return content.title().strip();
        }
        return "Message from " + thread.siteName();
    }

    private static InternetAddress named(String address, String name) throws AddressException {
        try {
            return new InternetAddress(address, name, StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message as plain text and as HTML, each ending with the site's name. */
    private record Body(String text, String html) {
        /** {@code buttonUrl}: the link that presses the postback button of an interaction id. */
        static Body of(MessageContent content, String siteName, UnaryOperator<String> buttonUrl) {
            Parts parts = new Parts();
            switch (content.payload()) {
                case MessageContent.Basic basic -> basic.items().forEach(item -> {
                    switch (item) {
                        case MessageContent.Text text -> parts.paragraph(text.text());
                        case MessageContent.Media media when media.url() == null -> { } // attached to the mail
                        case MessageContent.Image image -> parts.link(image.filename() == null ? "Image"
                                : image.filename(), image.url());
                        case MessageContent.File file -> parts.link(file.filename() == null ? "File"
                                : file.filename(), file.url());
                    }
                });
                case MessageContent.Template card -> {
                    if (card.title() != null) {
                        parts.heading(card.title());
                    }
                    if (card.imageUrl() != null) {
                        parts.link("Image", card.imageUrl());
                    }
                    card.textLines().forEach(parts::paragraph);
                    for (MessageContent.Button button : card.buttons()) {
                        if (button.launchUrl() != null) {
                            parts.link(button.label(), button.launchUrl());
                        } else if (button.postback() != null && button.postback().interactionId() != null) {
                            parts.button(button.label(), buttonUrl.apply(button.postback().interactionId()));
                        }
                    }
                }
                case MessageContent.Form form -> {
                    if (form.title() != null) {
                        parts.heading(form.title());
                    }
                    if (form.description() != null) {
                        parts.paragraph(form.description());
                    }
                    form.fields().forEach(field -> parts.paragraph(field.name() + ": " + field.value()));
                }
                case MessageContent.Minimal minimal -> parts.paragraph(minimal.text());
                case MessageContent.SystemNotice notice -> parts.paragraph(notice.text());
            }
            parts.signature(siteName);
            return new Body(parts.text.toString().strip() + "\n", """
                    <!DOCTYPE html><html><head><meta charset="utf-8"></head>
                    <body style="font-family: sans-serif; font-size: 15px; line-height: 1.45">
                    """ + parts.html + "</body></html>\n");
        }
    }

    private static final class Parts {
        final StringBuilder text = new StringBuilder();
        final StringBuilder html = new StringBuilder();

        void paragraph(String value) {
            text.append(value).append("\n\n");
            html.append("<p style=\"white-space: pre-wrap\">").append(escape(value)).append("</p>\n");
        }

        void heading(String value) {
            text.append(value).append("\n\n");
            html.append("<p><strong>").append(escape(value)).append("</strong></p>\n");
        }

        /** A link only to an http(s) address; anything else is shown as text. */
        void link(String label, String url) {
            boolean web = url != null && (url.startsWith("https://") || url.startsWith("http://"));
            text.append(label).append(web ? ": " + url : "").append("\n\n");
            html.append("<p>").append(web ? "<a href=\"" + escape(url) + "\">" + escape(label) + "</a>" : escape(label))
                    .append("</p>\n");
        }

        /** A postback button: its signed link, drawn as a button. */
        void button(String label, String url) {
            text.append(label).append(": ").append(url).append("\n\n");
            html.append("<p><a href=\"").append(escape(url)).append("\" style=\"display: inline-block; padding: .5em 1em; "
                    + "border: 1px solid #1d3fb8; border-radius: .4em; color: #1d3fb8; text-decoration: none\">")
                    .append(escape(label)).append("</a></p>\n");
        }

        void signature(String siteName) {
            text.append("-- \n").append(siteName).append('\n');
            html.append("<p style=\"color: #666\">— ").append(escape(siteName)).append("</p>\n");
        }
    }

    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (char c : value.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
