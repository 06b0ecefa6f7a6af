package parley;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import parley.email.Relay;

/**
 * The outside world's mail, one per test JVM: GreenMail's SMTP server is the relay the test node sends through,
 * and it keeps every mail in the recipient's mailbox (readable over its IMAP server too). Tests isolate themselves by
 * writing to addresses of their own. The other way, a customer's mail client (Angus Mail) writes to the test node's
 * SMTP listener.
 */
public final class TestMail {
    private static GreenMail greenMail;

    private TestMail() {
    }

    public static synchronized GreenMail get() {
        if (greenMail == null) {
            greenMail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP))
                    .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
            greenMail.start();
            Runtime.getRuntime().addShutdownHook(new Thread(greenMail::stop));
        }
        return greenMail;
    }

    public static Relay relay() {
        return new Relay("127.0.0.1", get().getSmtp().getPort(), false, null, null);
    }

    /** The mails received for {@code address} so far. */
    public static List<MimeMessage> to(String address) {
        String wanted = address.toLowerCase(Locale.ROOT);
        return Arrays.stream(get().getReceivedMessages()).filter(mail -> {
            try {
                return Arrays.stream(mail.getAllRecipients()).anyMatch(r -> r instanceof InternetAddress internet
                        && internet.getAddress().toLowerCase(Locale.ROOT).equals(wanted));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    /** Waits until {@code address} has received {@code count} mails, then returns them. */
    public static List<MimeMessage> await(String address, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<MimeMessage> mails = to(address);
        while (mails.size() < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            mails = to(address);
        }
        if (mails.size() < count) {
            throw new AssertionError(address + " received " + mails.size() + " mails, expected " + count);
        }
        return mails;
    }

    /** A customer's plain-text mail, with a Message-ID of our choosing. */
    public static MimeMessage mail(String messageId, String from, String to, String subject, String text)
            throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(from));
        message.setRecipients(RecipientType.TO, to);
        message.setSubject(subject);
        message.setText(text, "UTF-8");
        return message;
    }

    /** Sends {@code message} to the test node's SMTP listener: to its recipients, or to {@code envelope} if given. */
    public static void toParley(MimeMessage message, Address... envelope) throws MessagingException {
        send(TestParley.get().smtpPort().orElseThrow(), message, envelope);
    }

    /** Sends {@code message} through the outside world's mail server, which files it in its recipients' mailboxes. */
    public static void toMailbox(MimeMessage message) throws MessagingException {
        send(get().getSmtp().getPort(), message);
    }

    private static void send(int port, MimeMessage message, Address... envelope) throws MessagingException {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(port));
        try (Transport transport = Session.getInstance(properties).getTransport("smtp")) {
            transport.connect();
            message.saveChanges();
            transport.sendMessage(message, envelope.length > 0 ? envelope : message.getAllRecipients());
        }
    }

    /**
     * An SMTP conversation with the test node's listener over a plain socket, as a mail server speaks it (a bounce's
     * null sender, say): each command, then what the listener answered to all of them.
     */
    public static String speak(String... commands) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", TestParley.get().smtpPort().orElseThrow())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            StringBuilder answers = new StringBuilder(in.readLine()).append('\n');
            out.write("HELO client.example\r\n".getBytes(StandardCharsets.UTF_8));
            answers.append(in.readLine()).append('\n');
            for (String command : commands) {
                out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                answers.append(in.readLine()).append('\n');
            }
            return answers.toString();
        }
    }
}
