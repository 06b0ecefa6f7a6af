package parley.email;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.TooMuchDataException;
import org.subethamail.smtp.server.SMTPServer;
import parley.channels.Channels;
import parley.sites.SiteId;

/**
 * Parley's own SMTP listener (docs/email.md, "Receiving"), for a domain's MX or a relay to forward to. A recipient no
 * email channel receives at is refused at {@code RCPT TO}, so Parley never accepts mail it would have to bounce.
 * A mail is answered 250 only once it is stored; if storing fails the sender is told to try again (451).
 */
public final class SmtpListener implements AutoCloseable {
    static final int MAX_MAIL_BYTES = 10 * 1024 * 1024;
    static final int MAX_RECIPIENTS = 50;
    static final int MAX_CONNECTIONS = 100;
    private static final Logger log = LoggerFactory.getLogger(SmtpListener.class);

    private final SMTPServer server;
    private final Channels channels;
    private final EmailIntake intake;

    /** Listens on {@code port} (0: any free one) until closed. */
    public SmtpListener(int port, Channels channels, EmailIntake intake) {
        this.channels = channels;
        this.intake = intake;
        this.server = SMTPServer.port(port)
                .softwareName("Parley")
                .maxMessageSize(MAX_MAIL_BYTES)
                .maxRecipients(MAX_RECIPIENTS)
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(60, TimeUnit.SECONDS)
                .insertReceivedHeaders(false) // Parley is the mailbox: the mail goes nowhere on to be traced
                .messageHandlerFactory(Receiving::new)
                .build();
        server.start();
    }

    public int port() {
        return server.getPortAllocated();
    }

    @Override
    public void close() {
        server.stop();
    }

    /**
     * One mail of a connection: its envelope sender, the channels of its recipients (one per site) with the
     * conversations their reply addresses name, its bytes.
     */
    private final class Receiving implements MessageHandler {
        private final Map<SiteId, Channels.Owner> recipients = new LinkedHashMap<>();
        private final Map<SiteId, List<UUID>> replyTo = new HashMap<>();
        private String sender;

        Receiving(MessageContext context) {
        }

        @Override
        public void from(String from) {
            sender = from;
        }

        @Override
        public void recipient(String recipient) throws RejectException {
            ReplyAddress address = ReplyAddress.parse(recipient);
            Channels.Owner owner = channels.ownerOf(recipient).or(() -> channels.ownerOf(address.base()))
                    .orElseThrow(() -> new RejectException(550, "5.1.1 no such mailbox here"));
            recipients.putIfAbsent(owner.site(), owner); // a mail to two addresses of one site is stored once
            if (address.conversation() != null) {
                replyTo.computeIfAbsent(owner.site(), site -> new ArrayList<>()).add(address.conversation());
            }
        }

        @Override
        public String data(InputStream data) throws RejectException, IOException {
            byte[] raw = data.readNBytes(MAX_MAIL_BYTES + 1);
            if (raw.length > MAX_MAIL_BYTES) {
                throw new TooMuchDataException("5.3.4 a mail may have at most " + MAX_MAIL_BYTES + " bytes");
            }
            ReceivedMail mail;
            try {
                mail = ReceivedMail.parse(raw, sender).orElse(null);
            } catch (MessagingException | RuntimeException e) {
                throw new RejectException(554, "5.6.0 the mail could not be read as MIME");
            }
            if (mail == null) {
                return null; // no From: nobody to answer, nothing for an inbox
            }
            Optional<String> refusal = intake.refusal(mail);
            if (refusal.isPresent()) {
                throw new RejectException(552, "5.3.4 " + refusal.get());
            }
            for (Channels.Owner owner : recipients.values()) {
                try {
                    EmailIntake.Outcome outcome = intake.take(owner, mail,
                            replyTo.getOrDefault(owner.site(), List.of()));
                    log.debug("mail {} for site {}: {}", mail.messageId(), owner.site().value(), outcome);
                } catch (RuntimeException e) {
                    log.error("could not store a mail for site {}", owner.site().value(), e);
                    throw new RejectException(451, "4.3.0 the mail could not be stored now: try again later");
                }
            }
            return null;
        }

        @Override
        public void done() {
        }
    }
}
