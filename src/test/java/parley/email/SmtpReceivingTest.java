package parley.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestFiles;
import parley.TestMail;

/**
 * Mail sent by a real mail client (Angus Mail) to Parley's own SMTP listener, over a socket, lands in the site's
 * inbox as the sender's message; what a machine sent does not.
 */
class SmtpReceivingTest {
    private final TestSite site = Fixtures.site("Mail Bakery");
    private final String support = "support@" + UUID.randomUUID() + ".example";

    SmtpReceivingTest() {
        Api.Response channel = site.api().post("/parley/v1/channels",
                "{\"kind\": \"EMAIL\", \"settings\": {\"address\": \"" + support.toUpperCase() + "\"}}");
        assertThat(channel.status()).as(channel.raw()).isEqualTo(201);
        assertThat(channel.text("/settings/address")).isEqualTo(support);
    }

    @Test
    void aStrangersMailBecomesTheirContactConversationAndMessageWithoutTheQuotedHistory() throws Exception {
        send(mail("<first@client.example>", "Ana Lopez <ana.lopez@client.example>", "Order 1234 is late",
                "Hello, my order has not arrived.\n\nAna\n\nOn Tue, 1 Dec 2026 at 10:00, Mail Bakery <" + support
                        + "> wrote:\n> Your order is on its way.\n"));

        JsonNode conversation = onlyConversation();
        assertThat(conversation.at("/participant/contactId").asText()).isNotEmpty();
        JsonNode message = site.listAll(conversation.get("id").asText(), "BUSINESS_AND_PARTICIPANT").get(0);
        assertThat(message.at("/direction").asText()).isEqualTo("PARTICIPANT_TO_BUSINESS");
        assertThat(message.at("/sourceChannel").asText()).isEqualTo("EMAIL");
        assertThat(message.at("/content/title").asText()).isEqualTo("Order 1234 is late");
        assertThat(message.at("/content/basic/items/0/text").asText())
                .isEqualTo("Hello, my order has not arrived.\n\nAna");
        JsonNode contact = site.api().get("/contacts/v4/contacts/" + conversation.at("/participant/contactId").asText())
                .body().get("contact");
        assertThat(contact.at("/info/name/first").asText()).isEqualTo("Ana");
        assertThat(contact.at("/info/name/last").asText()).isEqualTo("Lopez");
        assertThat(contact.at("/info/emails/items/0/email").asText()).isEqualTo("ana.lopez@client.example");
    }

    @Test
    void theBusinessSeesTheFullOriginalOfACustomersMailAsPlainTextAndNobodyElseDoes() throws Exception {
        send(mail("<original@client.example>", "Finn <finn@client.example>", "Original", "Short answer.\n\n"
                + "On Tue, Mail Bakery wrote:\n> <script>alert(1)</script> the quoted history\n"));
        String conversation = onlyConversation().get("id").asText();
        String sequence = site.listAll(conversation, "BUSINESS").get(0).get("id").asText();
        assertThat(site.listAll(conversation, "BUSINESS").get(0).at("/content/basic/items/0/text").asText())
                .isEqualTo("Short answer.");

        Api.Response original = site.api().get("/parley/v1/conversations/" + conversation + "/messages/" + sequence
                + "/original");
        assertThat(original.status()).isEqualTo(200);
        assertThat(original.header("Content-Type")).isEqualToIgnoringWhitespace("text/plain;charset=utf-8");
        assertThat(original.header("Content-Security-Policy")).isEqualTo("default-src 'none'; sandbox");
        assertThat(original.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(original.raw()).contains("Message-ID: <original@client.example>", "From: Finn <finn@client.example>",
                "> <script>alert(1)</script> the quoted history");

        String widget = site.visitorConversation();
        String chat = site.sendText(widget, "Hi", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT").get("id").asText();
        assertThat(site.api().get("/parley/v1/conversations/" + widget + "/messages/" + chat + "/original").status())
                .isEqualTo(404);
        assertThat(site.api().get("/parley/v1/conversations/" + widget + "/messages/" + sequence + "/original")
                .status()).isEqualTo(404); // not in that conversation
        assertThat(Fixtures.site("Other Bakery").api().get("/parley/v1/conversations/" + conversation + "/messages/"
                + sequence + "/original").status()).isEqualTo(404);
    }

    @Test
    void theSamePersonWritesIntoTheirOneConversationAndAMailDeliveredTwiceIsStoredOnce() throws Exception {
        String contactId = site.createContact("Bea");
        String email = site.api().get("/contacts/v4/contacts/" + contactId).text("/contact/info/emails/items/0/email");
        send(mail("<one@client.example>", email, "Question", "Do you bake rye?"));
        send(mail("<two@client.example>", email.toUpperCase(), "Re: Question", "And spelt?"));
        send(mail("<two@client.example>", email, "Re: Question", "And spelt?")); // the relay's retry

        JsonNode conversation = onlyConversation();
        assertThat(conversation.at("/participant/contactId").asText()).isEqualTo(contactId);
        assertThat(site.listAll(conversation.get("id").asText(), "BUSINESS_AND_PARTICIPANT"))
                .extracting(m -> m.at("/content/basic/items/0/text").asText())
                .containsExactly("Do you bake rye?", "And spelt?");
    }

    @Test
    void failedSenderChecksUpstreamShowOnTheMessageToTheBusinessOnly() throws Exception {
        MimeMessage spoofed = mail("<spoof@client.example>", "ceo@client.example", "Urgent", "Wire the money.");
        spoofed.addHeader("Authentication-Results", "mx.relay.example; spf=fail smtp.mailfrom=client.example; "
                + "dkim=none; dmarc=FAIL header.from=client.example");
        send(spoofed);

        String conversation = onlyConversation().get("id").asText();
        JsonNode badge = site.listAll(conversation, "BUSINESS").get(0).at("/badges/0");
        assertThat(badge.get("text").asText()).isEqualTo("Sender not verified: spf=fail, dmarc=fail");
        assertThat(badge.get("badgeVisibility").asText()).isEqualTo("BUSINESS");
    }

    @Test
    void anHtmlOnlyMailKeepsItsParagraphsAndLinksAsText() throws Exception {
        MimeMessage html = mail("<html@client.example>", "carl@client.example", "Photos", "");
        html.setContent("<html><head><style>p{}</style></head><body><p>Hello,</p><p>see <a href=\"https://shop.example/"
                + "o/9\">my order</a> and <a href=\"javascript:alert(1)\">this</a>.</p><div class=\"gmail_quote\">"
                + "On Mon, Bakery wrote:<blockquote>old news</blockquote></div></body></html>", "text/html; charset=UTF-8");
        send(html);

        JsonNode message = site.listAll(onlyConversation().get("id").asText(), "BUSINESS_AND_PARTICIPANT").get(0);
        assertThat(message.at("/content/basic/items/0/text").asText())
                .isEqualTo("Hello,\n\nsee my order (https://shop.example/o/9) and this.");
    }

    @Test
    void aMultipartMailIsReadFromItsPlainTextAndAnOutlookReplyLosesTheOriginal() throws Exception {
        MimeMessage multipart = mail("<multi@client.example>", "dora@client.example", "Invoice", "");
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText("Thanks, paid today.\n\n-----Original Message-----\nFrom: Mail Bakery\nYour invoice.", "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Thanks, <b>paid</b> today.</p>", "text/html; charset=UTF-8");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(html);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternative);
        MimeBodyPart receipt = new MimeBodyPart();
        receipt.setText("receipt 42", "UTF-8");
        receipt.setDisposition(Part.ATTACHMENT);
        receipt.setFileName("receipt.txt");
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(receipt);
        multipart.setContent(mixed);
        send(multipart);

        JsonNode message = site.listAll(onlyConversation().get("id").asText(), "BUSINESS_AND_PARTICIPANT").get(0);
        assertThat(message.at("/content/basic/items")).hasSize(2);
        assertThat(message.at("/content/basic/items/0/text").asText()).isEqualTo("Thanks, paid today.");
        assertThat(message.at("/content/basic/items/1/file/filename").asText()).isEqualTo("receipt.txt");
    }

    @Test
    void attachmentsAndInlineImagesBecomeItemsButTheQuotedHistorysImagesDoNot() throws Exception {
        byte[] logo = TestFiles.png(64, 16);
        byte[] pdf = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj <<>> endobj\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
        MimeMessage mail = mail("<files@client.example>", "erin@client.example", "Re: Menu", "");
        MimeBodyPart html = new MimeBodyPart();
        html.setContent("<p>Here is our logo <img src=\"cid:logo@client.example\"> and the invoice.</p>"
                + "<blockquote>Your old mail <img src=\"cid:old@client.example\"></blockquote>", "text/html; charset=UTF-8");
        MimeMultipart related = new MimeMultipart("related");
        related.addBodyPart(html);
        related.addBodyPart(inline(logo, "logo@client.example", "logo.png"));
        related.addBodyPart(inline(TestFiles.png(5, 5), "old@client.example", "old.png"));
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(related);
        MimeBodyPart invoice = new MimeBodyPart();
        invoice.setDataHandler(new jakarta.activation.DataHandler(
                new jakarta.mail.util.ByteArrayDataSource(pdf, "application/pdf")));
        invoice.setHeader("Content-Transfer-Encoding", "base64"); // as mail clients send files
        invoice.setDisposition(Part.ATTACHMENT);
        invoice.setFileName(jakarta.mail.internet.MimeUtility.encodeText("Facture n°7.pdf", "UTF-8", "B"));
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(invoice);
        mail.setContent(mixed);
        send(mail);

        JsonNode items = site.listAll(onlyConversation().get("id").asText(), "BUSINESS_AND_PARTICIPANT").get(0)
                .at("/content/basic/items");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("text").asText()).isEqualTo("Here is our logo and the invoice.");
        assertThat(items.get(1).at("/image/filename").asText()).isEqualTo("logo.png");
        assertThat(items.get(1).at("/image/width").asInt()).isEqualTo(64);
        assertThat(TestFiles.download(items.get(1).at("/image/url").asText()).bytes()).isEqualTo(logo);
        assertThat(items.get(2).at("/file/filename").asText()).isEqualTo("Facture n°7.pdf");
        assertThat(items.get(2).at("/file/mimeType").asText()).isEqualTo("application/pdf");
        TestFiles.Download invoiceShown = TestFiles.download(items.get(2).at("/file/url").asText());
        assertThat(invoiceShown.bytes()).isEqualTo(pdf);
        assertThat(invoiceShown.header("Content-Disposition")).startsWith("attachment;");
    }

    @Test
    void aMailWithMoreFilesThanAMessageHoldsIsRefusedWithTheReason() throws Exception {
        MimeMessage mail = mail("<many@client.example>", "fred@client.example", "Scans", "");
        MimeMultipart mixed = new MimeMultipart("mixed");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("All my scans.", "UTF-8");
        mixed.addBodyPart(text);
        for (int i = 0; i <= EmailIntake.MAX_ATTACHMENTS; i++) {
            mixed.addBodyPart(inline(TestFiles.png(2, 2), "scan" + i + "@client.example", "scan" + i + ".png"));
        }
        mail.setContent(mixed);
        assertThatThrownBy(() -> send(mail)).isInstanceOf(MessagingException.class)
                .hasMessageContaining("at most " + EmailIntake.MAX_ATTACHMENTS + " attachments");
        assertThat(site.api().get("/parley/v1/conversations").body().get("conversations")).isEmpty();
    }

    private static MimeBodyPart inline(byte[] image, String contentId, String filename) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setDataHandler(new jakarta.activation.DataHandler(
                new jakarta.mail.util.ByteArrayDataSource(image, "image/png")));
        part.setContentID("<" + contentId + ">");
        part.setDisposition(Part.INLINE);
        part.setFileName(filename);
        return part;
    }

    @Test
    void autoRepliesListsAndBouncesNeverBecomeCustomerMessages() throws Exception {
        MimeMessage autoReply = mail("<away@client.example>", "dan@client.example", "Out of office", "Back Monday.");
        autoReply.setHeader("Auto-Submitted", "auto-replied");
        send(autoReply);
        MimeMessage newsletter = mail("<news@client.example>", "news@client.example", "Our news", "Sale!");
        newsletter.setHeader("Precedence", "bulk");
        send(newsletter);
        // A bounce comes from the null sender; spoken over a plain socket, as a mail server would.
        assertThat(TestMail.speak("MAIL FROM:<>", "RCPT TO:<" + support + ">", "DATA",
                "From: Mail Delivery System <mailer-daemon@relay.example>\r\nTo: " + support
                        + "\r\nSubject: Undelivered Mail\r\nMessage-ID: <dsn@relay.example>\r\n\r\nIt bounced.\r\n.",
                "QUIT")).contains("250 Ok"); // accepted, so the relay stops retrying, and dropped

        assertThat(site.api().get("/parley/v1/conversations").body().get("conversations")).isEmpty();
    }

    @Test
    void mailForAnAddressNoChannelHasIsRefusedAtRcptTo() throws Exception {
        MimeMessage stray = mail("<stray@client.example>", "eve@client.example", "Hi", "Anyone?");
        stray.setRecipients(RecipientType.TO, "nobody@" + UUID.randomUUID() + ".example");
        assertThatThrownBy(() -> send(stray)).isInstanceOf(SendFailedException.class);
        assertThat(TestMail.speak("MAIL FROM:<eve@client.example>", "RCPT TO:<nobody@nowhere.example>", "QUIT"))
                .contains("550 5.1.1 no such mailbox here");
        assertThat(site.api().get("/parley/v1/conversations").body().get("conversations")).isEmpty();
    }

    @Test
    void channelsAreCheckedAndManagedByTheSitesOwnersAndApps() {
        Api.Response taken = Fixtures.site("Other Bakery").api().post("/parley/v1/channels",
                "{\"kind\": \"EMAIL\", \"settings\": {\"address\": \"" + support + "\"}}");
        assertThat(taken.status()).as(taken.raw()).isEqualTo(409);
        for (String address : new String[] {"not an address", "Ana <ana@example.com>", ""}) {
            Api.Response bad = site.api().post("/parley/v1/channels",
                    "{\"kind\": \"EMAIL\", \"settings\": {\"address\": \"" + address + "\"}}");
            assertThat(bad.status()).as(address).isEqualTo(400);
            assertThat(bad.text("/details/validationError/fieldViolations/0/field")).isEqualTo("settings.address");
        }
        assertThat(site.api().post("/parley/v1/channels", "{\"kind\": \"SMOKE_SIGNALS\"}").status()).isEqualTo(400);

        Api agent = DashboardLogin.agentOf(site).signIn();
        assertThat(agent.get("/parley/v1/channels").body().get("channels")).hasSize(1);
        String id = site.api().get("/parley/v1/channels").text("/channels/0/id");
        assertThat(agent.delete("/parley/v1/channels/" + id).status()).isEqualTo(403);
        assertThat(site.api().delete("/parley/v1/channels/" + id).status()).isEqualTo(204);
        assertThat(site.api().delete("/parley/v1/channels/" + id).status()).isEqualTo(404);
    }

    private JsonNode onlyConversation() {
        JsonNode conversations = site.api().get("/parley/v1/conversations").body().get("conversations");
        assertThat(conversations).hasSize(1);
        return conversations.get(0);
    }

    /** A mail to the site's support address with a Message-ID of our choosing. */
    private MimeMessage mail(String messageId, String from, String subject, String text) throws MessagingException {
        return TestMail.mail(messageId, from, support, subject, text);
    }

    private static void send(MimeMessage message, Address... envelope) throws MessagingException {
        TestMail.toParley(message, envelope);
    }
}
