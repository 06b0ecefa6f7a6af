package parley.bench;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;
import parley.email.MailStreams;
import parley.email.NoDelaySockets;

/**
 * Email both ways through a node of its own (docs/email.md): customers' mail clients (Angus Mail, one connection
 * each) deliver 20 KB mails with one attachment to Parley's SMTP listener, each answered once stored; then agents'
 * replies to those customers go out through a relay on this machine that accepts everything, timed from the relay's
 * first mail to its last.
 */
final class EmailThroughput implements Section {
    static final double TARGET_PER_SECOND = 300;
    private static final int CLIENTS = 8;
    private static final int CUSTOMERS = 200;

    @Override
    public String key() {
        return "email";
    }

    @Override
    public String title() {
        return "Email";
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        BenchSettings settings = context.settings;
        MailStreams.useAngus(); // the customers' mail clients, as the server does
        BenchContext.BenchSite site = context.site("Email benchmark");
        try (CountingRelay relay = new CountingRelay()) {
            int smtpPort = freePort();
            ServerProcess server = ServerProcess.start(context.outDir.resolve("email-server.log"), "--database-url",
                    context.database().jdbcUrl(), "--smtp-port", Integer.toString(smtpPort), "--smtp-relay",
                    "smtp://127.0.0.1:" + relay.port());
            try (server) {
                String support = "support@email-bench.example";
                try (HttpConnection http = new HttpConnection(server.port())) {
                    HttpConnection.Response channel = http.send(site.post("/parley/v1/channels",
                            "{\"kind\": \"EMAIL\", \"settings\": {\"address\": \"" + support + "\"}}"));
                    if (channel.status() != 201) {
                        throw new IllegalStateException("could not add the email channel: " + channel.body());
                    }
                }
                byte[] attachment = new byte[14 * 1024];
                new Random(1).nextBytes(attachment);

                AtomicLong sent = new AtomicLong();
                Progress.during("warming up the SMTP listener", settings.jitWarmup(),
                        () -> inbound(smtpPort, support, attachment, settings.jitWarmup(), sent));
                long before = stored(context, site);
                long warmedUp = sent.get();
                double inPerSecond = Progress.during("mail in, " + CLIENTS + " clients", settings.measure(),
                        () -> inbound(smtpPort, support, attachment, settings.measure(), sent));
                long storedDuring = stored(context, site) - before;
                if (storedDuring != sent.get() - warmedUp) {
                    throw new IllegalStateException("accepted " + (sent.get() - warmedUp) + " mails, stored "
                            + storedDuring);
                }

                List<String> conversations = context.database().read(handle -> handle.createQuery(
                                "SELECT conversation_id::text FROM conversations WHERE site_id = :site")
                        .bind("site", site.id())
                        .mapTo(String.class)
                        .list());
                int replies = settings.quick() ? 2_000 : 10_000;
                Progress.during("replies out through the relay", Duration.ofSeconds(replies / 300), () -> {
                    reply(server.port(), site, conversations, replies);
                    return null;
                });
                double outPerSecond = relay.awaitPerSecond(replies, Duration.ofMinutes(5));

                part.table("direction", "mails", "mails/s", "target");
                part.row("in: SMTP, 20 KB with one attachment, " + CLIENTS + " clients", storedDuring, inPerSecond,
                        "≥ 300/s " + Report.verdict(inPerSecond >= TARGET_PER_SECOND));
                part.row("out: replies through a local relay", replies, outPerSecond,
                        "≥ 300/s " + Report.verdict(outPerSecond >= TARGET_PER_SECOND));
                part.endTable();
                part.note("In: each mail from one of " + CUSTOMERS + " senders, answered 250 only once stored, and "
                        + "every accepted mail counted in the database afterwards. The attachment is stored as a "
                        + "file in PostgreSQL and attached to the message, besides the mail's original. Out: " + replies + " agent "
                        + "replies posted to the API at once; the rate is the relay's, from its first mail to its last."
                        + (settings.quick() ? " --quick: this section's server starts for it and is still compiling "
                        + "its hot paths while it is measured; judge the targets by a full run." : ""));
                part.figure("inPerSecond", inPerSecond);
                part.figure("outPerSecond", outPerSecond);
            }
        }
    }

    /** Mails sent by {@link #CLIENTS} mail clients for {@code duration}; returns mails per second. */
    private static double inbound(int port, String support, byte[] attachment, Duration duration, AtomicLong sent)
            throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", "127.0.0.1");
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.socketFactory", new NoDelaySockets(SocketFactory.getDefault())); // as MTAs do
        Session session = Session.getInstance(properties);
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        AtomicLong count = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(Thread.ofPlatform().start(() -> {
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    while (System.nanoTime() < end) {
                        MimeMessage mail = mail(session, support, attachment, sent.incrementAndGet());
                        transport.sendMessage(mail, mail.getAllRecipients());
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static MimeMessage mail(Session session, String support, byte[] attachment, long n)
            throws MessagingException {
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress("Customer " + n % CUSTOMERS + " <customer" + n % CUSTOMERS
                + "@client.example>"));
        mail.setRecipients(RecipientType.TO, support);
        mail.setSubject("Order " + n);
        MimeBodyPart text = new MimeBodyPart();
        text.setText(("Hello, about my order " + n + ": it has not arrived yet. ").repeat(40)
                + "\n\nOn Tue, the shop wrote:\n> Your order is on its way.\n", "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setContent(attachment, "application/octet-stream");
        file.setFileName("receipt.bin");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text);
        mixed.addBodyPart(file);
        mail.setContent(mixed);
        mail.saveChanges();
        return mail;
    }

    /** Posts {@code count} agent replies round-robin over the conversations, from 16 connections. */
    static void reply(int port, BenchContext.BenchSite site, List<String> conversations, int count)
            throws Exception {
        int connections = 16;
        List<Thread> posters = new ArrayList<>();
        List<Exception> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < connections; p++) {
            int first = p;
            posters.add(Thread.ofPlatform().start(() -> {
                try (HttpConnection http = new HttpConnection(port)) {
                    for (int i = first; i < count; i += connections) {
                        HttpConnection.Response answer = http.send(site.post("/inbox/v2/messages", """
                                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                                 "visibility": "BUSINESS_AND_PARTICIPANT",
                                 "content": {"basic": {"items": [{"text": "Thanks, it ships today (%d)."}]}}}}
                                """.formatted(conversations.get(i % conversations.size()), i)));
                        if (answer.status() != 200) {
                            throw new IllegalStateException(answer.body());
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread poster : posters) {
            poster.join();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    private static long stored(BenchContext context, BenchContext.BenchSite site) throws Exception {
        return context.database().read(handle -> handle.createQuery(
                        "SELECT count(*) FROM email_messages WHERE site_id = :site AND NOT outgoing")
                .bind("site", site.id())
                .mapTo(Long.class)
                .one());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A relay that takes every mail and notes when it took the first and the last. */
    private static final class CountingRelay implements AutoCloseable {
        private final AtomicLong mails = new AtomicLong();
        private volatile long first;
        private volatile long last;
        private final SMTPServer server = SMTPServer.port(0).maxConnections(64)
                .messageHandlerFactory(Taking::new).build();

        CountingRelay() {
            server.start();
        }

        int port() {
            return server.getPortAllocated();
        }

        /** Waits for {@code count} mails; their rate, from the first to the last. */
        double awaitPerSecond(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (mails.get() < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the relay got " + mails.get() + " of " + count + " mails");
                }
                Thread.sleep(10);
            }
            return (count - 1) / ((last - first) / 1e9);
        }

        @Override
        public void close() {
            server.stop();
        }

        private final class Taking implements MessageHandler {
            Taking(MessageContext context) {
            }

            @Override
            public void from(String from) {
            }

            @Override
            public void recipient(String recipient) {
            }

            @Override
            public String data(InputStream data) throws java.io.IOException {
                data.transferTo(java.io.OutputStream.nullOutputStream());
                long now = System.nanoTime();
                if (mails.getAndIncrement() == 0) {
                    first = now;
                }
                last = now;
                return null;
            }

            @Override
            public void done() {
            }
        }
    }
}
