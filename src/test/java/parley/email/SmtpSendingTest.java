package parley.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.TestFiles;
import parley.TestMail;
import parley.events.Event;
import parley.events.EventType;

/**
 * A business message goes out by email through a real relay (GreenMail) and the customer's reply, written by a real
 * mail client (Angus Mail) the way Gmail, Outlook or Apple Mail would write it, threads back into its conversation.
 */
class SmtpSendingTest {
    private final TestSite site = Fixtures.site("Mail Bakery");
    private final String support = "support@" + UUID.randomUUID() + ".example";

    SmtpSendingTest() {
        Api.Response channel = site.api().post("/parley/v1/channels",
                "{\"kind\": \"EMAIL\", \"settings\": {\"address\": \"" + support + "\"}}");
        assertThat(channel.status()).as(channel.raw()).isEqualTo(201);
    }

    @Test
    void anAgentsReplyToAnEmailCustomerIsEmailedInTheirThreadAndShowsAsSent() throws Exception {
        String customer = customer("ana");
        send(mail("<first." + customer + ">", customer, "Order 1234 is late", "Hello, where is my order?"));
        String conversation = onlyConversation();

        String sequence = site.sendText(conversation, "It ships today <b>&</b> see https://shop.example/t/1",
                "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT").get("sequence").asText();

        MimeMessage reply = TestMail.await(customer, 1).getFirst();
        InternetAddress from = (InternetAddress) reply.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo(support);
        assertThat(from.getPersonal()).isEqualTo("Mail Bakery");
        String replyTo = ((InternetAddress) reply.getReplyTo()[0]).getAddress();
        assertThat(ReplyAddress.parse(replyTo).conversation()).hasToString(conversation);
        assertThat(ReplyAddress.parse(replyTo).base()).isEqualTo(support);
        assertThat(reply.getSubject()).isEqualTo("Re: Order 1234 is late");
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo("<first." + customer + ">");
        assertThat(reply.getHeader("References", null)).isEqualTo("<first." + customer + ">");
        MimeMultipart alternative = (MimeMultipart) reply.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        assertThat(text(reply)).isEqualTo("It ships today <b>&</b> see https://shop.example/t/1\n\n-- \nMail Bakery\n");
        assertThat((String) alternative.getBodyPart(1).getContent())
                .contains("It ships today &lt;b&gt;&amp;&lt;/b&gt; see https://shop.example/t/1")
                .doesNotContain("<b>");

        JsonNode delivery = awaitDelivery(conversation, sequence, "SENT");
        assertThat(delivery.get("channel").asText()).isEqualTo("EMAIL");
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
        assertThat(site.events().stream().filter(e -> e.type() == EventType.MESSAGE_DELIVERY_CHANGED)
                .map(e -> e.body().at("/delivery/state").asText() + " " + e.body().at("/delivery/messageId").asText()))
                .containsExactly("QUEUED " + sequence, "SENT " + sequence);

        // The customer answers the reply from another client: In-Reply-To names Parley's mail.
        MimeMessage answer = mail("<second." + customer + ">", customer, "Re: Re: Order 1234 is late", "Thanks!");
        answer.setHeader("In-Reply-To", reply.getMessageID());
        send(answer);
        site.sendText(conversation, "You're welcome.", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        MimeMessage second = TestMail.await(customer, 2).get(1);
        assertThat(second.getSubject()).isEqualTo("Re: Order 1234 is late");
        assertThat(second.getHeader("In-Reply-To", null)).isEqualTo("<second." + customer + ">");
        assertThat(MimeUtility.unfold(second.getHeader("References", null)))
                .isEqualTo("<first." + customer + "> " + reply.getMessageID() + " <second." + customer + ">");
    }

    @Test
    void filesGoWithTheMailAsAttachmentsAndThoseOverTheMailsShareAsLinks() throws Exception {
        String customer = customer("cleo");
        send(mail("<files." + customer + ">", customer, "Photos", "Can I see the cake?"));
        String conversation = onlyConversation();
        byte[] photo = TestFiles.png(20, 10);
        byte[] large = new byte[(int) (MailSender.MAX_ATTACHED_BYTES - photo.length + 1)]; // one byte too many
        String photoId = upload("cake photo.png", photo);
        String largeId = upload("scan.bin", large);
        Api.Response sent = site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [
                   {"text": "Here it is."}, {"image": {"id": "%s"}}, {"file": {"id": "%s"}}]}}}}
                """.formatted(conversation, photoId, largeId));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);

        MimeMessage mail = TestMail.await(customer, 1).getFirst();
        MimeMultipart mixed = (MimeMultipart) mail.getContent();
        assertThat(mixed.getContentType()).startsWith("multipart/mixed");
        assertThat(mixed.getCount()).isEqualTo(2);
        MimeBodyPart attachment = (MimeBodyPart) mixed.getBodyPart(1);
        assertThat(attachment.getFileName()).isEqualTo("cake photo.png");
        assertThat(attachment.getContentType()).startsWith("image/png");
        assertThat(attachment.getInputStream().readAllBytes()).isEqualTo(photo);
        String text = ((String) ((MimeMultipart) ((MimeBodyPart) mixed.getBodyPart(0)).getContent()).getBodyPart(0)
                .getContent()).replace("\r\n", "\n");
        Matcher link = Pattern.compile("scan.bin: (\\S+)").matcher(text);
        assertThat(link.find()).as(text).isTrue();
        assertThat(text).doesNotContain("cake photo.png");
        assertThat(TestFiles.download(link.group(1)).bytes()).isEqualTo(large);
    }

    private String upload(String filename, byte[] bytes) {
        Api.Response uploaded = TestFiles.upload(parley.TestParley.baseUrl(), site.apiKey(), site.id(), filename, null,
                bytes);
        assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(200);
        return uploaded.text("/file/id");
    }

    @Test
    void internalNotesAndConversationsTheCustomerDidNotEmailInAreNotEmailedUnlessAddressedToEmail() throws Exception {
        String customer = customer("bea");
        send(mail("<note." + customer + ">", customer, "Cake", "A cake for Friday?"));
        String emailed = onlyConversation();
        String note = site.sendText(emailed, "Check the oven schedule", "BUSINESS_TO_PARTICIPANT", "BUSINESS")
                .get("sequence").asText();

        // A contact with an email who never wrote by email: the agent's chat reply stays in the inbox...
        String contact = site.createContact("Carl");
        String contactEmail = site.api().get("/contacts/v4/contacts/" + contact)
                .text("/contact/info/emails/items/0/email");
        String chat = site.conversationOf("contactId", contact);
        String chatReply = site.sendText(chat, "Hi Carl", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT")
                .get("sequence").asText();
        // ...until a message asks for email.
        String addressed = sendToEmail(chat, "About your order", "Your cake is ready");
        String public_ = site.sendText(emailed, "Yes, Friday works", "BUSINESS_TO_PARTICIPANT",
                "BUSINESS_AND_PARTICIPANT").get("sequence").asText();

        assertThat(text(TestMail.await(contactEmail, 1).getFirst())).startsWith("Your cake is ready");
        assertThat(TestMail.await(contactEmail, 1).getFirst().getSubject()).isEqualTo("About your order");
        assertThat(text(TestMail.await(customer, 1).getFirst())).startsWith("Yes, Friday works");
        awaitDelivery(chat, addressed, "SENT");
        awaitDelivery(emailed, public_, "SENT");
        assertThat(deliveries(chat)).extracting(d -> d.get("messageId").asText()).containsExactly(addressed)
                .doesNotContain(chatReply);
        assertThat(deliveries(emailed)).extracting(d -> d.get("messageId").asText()).containsExactly(public_)
                .doesNotContain(note);
        assertThat(TestMail.to(customer)).hasSize(1);
        assertThat(TestMail.to(contactEmail)).hasSize(1);
    }

    @Test
    void aReplyFindsTheThreadAnAgentStartedByInReplyToByReferencesOrByTheReplyAddressInCcOrTheEnvelope()
            throws Exception {
        // Two contacts share one address: the customer's own mail would go to the first one created.
        String email = customer("dora");
        String first = contactWith(email, "Dora");
        String second = contactWith(email, "Dora B.");
        String conversation = site.conversationOf("contactId", second);
        sendToEmail(conversation, "Your quote", "Here is your quote.");
        MimeMessage quote = TestMail.await(email, 1).getFirst();
        String replyAddress = ((InternetAddress) quote.getReplyTo()[0]).getAddress();

        MimeMessage byInReplyTo = mail("<r1." + email + ">", email, "Re: Your quote", "By In-Reply-To");
        byInReplyTo.setHeader("In-Reply-To", quote.getMessageID());
        send(byInReplyTo);
        MimeMessage byReferences = mail("<r2." + email + ">", email, "Re: Your quote", "By References");
        byReferences.setHeader("References", quote.getMessageID() + " <unknown@elsewhere.example>");
        send(byReferences);
        MimeMessage byCc = mail("<r3." + email + ">", email, "Your quote", "By the reply address in Cc");
        byCc.setRecipients(RecipientType.CC, replyAddress);
        send(byCc);
        MimeMessage byEnvelope = mail("<r4." + email + ">", email, "Your quote", "By the envelope only");
        byEnvelope.setRecipients(RecipientType.TO, "team@" + UUID.randomUUID() + ".example");
        send(byEnvelope, new InternetAddress(replyAddress)); // as a Bcc or a forward arrives

        assertThat(site.listAll(conversation, "BUSINESS_AND_PARTICIPANT"))
                .filteredOn(m -> m.get("direction").asText().equals("PARTICIPANT_TO_BUSINESS"))
                .extracting(m -> m.at("/content/basic/items/0/text").asText())
                .containsExactly("By In-Reply-To", "By References", "By the reply address in Cc",
                        "By the envelope only");
        assertThat(conversationIds()).containsExactly(conversation)
                .as("nothing went to %s's conversation", first);
    }

    @Test
    void repliesFromDifferentPeopleToOneMailStayWithTheirOwnSenders() throws Exception {
        String eve = customer("eve");
        String conversation = site.conversationOf("contactId", contactWith(eve, "Eve"));
        sendToEmail(conversation, "Newsletter", "Our spring menu is out.");
        MimeMessage newsletter = TestMail.await(eve, 1).getFirst();
        String replyAddress = ((InternetAddress) newsletter.getReplyTo()[0]).getAddress();

        // Eve forwarded it; Finn answers it, to the reply address and with In-Reply-To.
        String finn = customer("finn");
        MimeMessage answer = mail("<finn." + finn + ">", finn, "Re: Newsletter", "Do you deliver?");
        answer.setRecipients(RecipientType.TO, replyAddress);
        answer.setHeader("In-Reply-To", newsletter.getMessageID());
        send(answer);

        assertThat(site.listAll(conversation, "BUSINESS_AND_PARTICIPANT")).hasSize(1);
        List<String> conversations = conversationIds();
        assertThat(conversations).hasSize(2);
        String finns = conversations.stream().filter(id -> !id.equals(conversation)).findFirst().orElseThrow();
        assertThat(site.listAll(finns, "BUSINESS_AND_PARTICIPANT").get(0).at("/content/basic/items/0/text").asText())
                .isEqualTo("Do you deliver?");
    }

    @Test
    void aCardsPostbackButtonsBecomeSignedLinksThatPressTheButtonOnceWhenTheCustomerConfirms() throws Exception {
        String customer = customer("gus");
        send(mail("<card." + customer + ">", customer, "Booking", "Can I book?"));
        String conversation = onlyConversation();
        Api.Response card = site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"template": {
                   "title": "Pick a <time>",
                   "textLines": ["We have two slots."],
                   "buttons": [
                     {"label": "Book online", "launchUrl": "https://book.example/s/1"},
                     {"label": "Morning", "postbackProperties": {"interactionId": "morning"}},
                     {"label": "Evening <late>", "postbackProperties": {"interactionId": "evening"}}]}}}}
                """.formatted(conversation));
        assertThat(card.status()).as(card.raw()).isEqualTo(200);
        String sequence = card.text("/message/sequence");

        MimeMessage mail = TestMail.await(customer, 1).getFirst();
        Matcher links = Pattern.compile("(Morning|Evening <late>): (http://\\S+)").matcher(text(mail));
        assertThat(text(mail)).startsWith("Pick a <time>\n\nWe have two slots.\n\nBook online: https://book.example/s/1");
        assertThat(links.find()).isTrue();
        String morning = links.group(2);
        assertThat(links.find()).isTrue();
        String html = (String) ((MimeMultipart) mail.getContent()).getBodyPart(1).getContent();
        assertThat(html).contains("Pick a &lt;time&gt;", "<a href=\"https://book.example/s/1\">Book online</a>",
                "Evening &lt;late&gt;</a>");

        // Opening the link (as a mail scanner does) shows the choice and presses nothing.
        HttpResponse<String> page = page("GET", morning);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).startsWith("default-src 'none'"));
        assertThat(page.body()).contains("<h1>Pick a &lt;time&gt;</h1>", "<button type=\"submit\">Morning</button>");
        assertThat(presses()).isEmpty();

        // Confirming presses it, once, however often the form is sent.
        assertThat(page("POST", morning).statusCode()).isEqualTo(303);
        assertThat(page("POST", morning).statusCode()).isEqualTo(303);
        assertThat(page("GET", morning).body()).contains("Your answer <strong>Morning</strong> was sent to Mail Bakery");
        assertThat(presses()).singleElement().satisfies(pressed -> {
            assertThat(pressed.body().get("interactionId").asText()).isEqualTo("morning");
            assertThat(pressed.entityId()).isEqualTo(sequence);
            assertThat(pressed.conversationId()).hasToString(conversation);
        });

        // A link someone changed presses nothing: another button's id under this signature, a wrong signature.
        String[] parts = morning.split("\\.");
        parts[parts.length - 2] = "ZXZlbmluZw"; // "evening"
        String forged = String.join(".", parts);
        assertThat(page("GET", forged).statusCode()).isEqualTo(404);
        page("POST", forged);
        assertThat(page("GET", morning.substring(0, morning.length() - 4) + "AAAA").statusCode()).isEqualTo(404);
        assertThat(presses()).hasSize(1);
    }

    private static HttpResponse<String> page(String method, String url) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).method(method, BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aBounceFromTheCustomersServerMarksTheSentMessageFailedWithItsReasonAndADelayWarningDoesNot() throws Exception {
        String customer = customer("gone");
        send(mail("<bounce." + customer + ">", customer, "Refund", "Where is my refund?"));
        String conversation = onlyConversation();
        String sequence = site.sendText(conversation, "It is on its way.", "BUSINESS_TO_PARTICIPANT",
                "BUSINESS_AND_PARTICIPANT").get("sequence").asText();
        String sent = TestMail.await(customer, 1).getFirst().getMessageID();
        awaitDelivery(conversation, sequence, "SENT");

        assertThat(TestMail.speak("MAIL FROM:<>", "RCPT TO:<" + support + ">", "DATA",
                dsn(customer, sent, "delayed", "4.4.1", "connect to mx.client.example: Connection timed out"), "QUIT"))
                .contains("250 Ok");
        assertThat(deliveries(conversation).getFirst().get("state").asText()).isEqualTo("SENT");
        // A report that fails the mail but names someone else: whoever wrote it does not know the recipient.
        TestMail.speak("MAIL FROM:<>", "RCPT TO:<" + support + ">", "DATA",
                dsn("someone.else@client.example", sent, "failed", "5.1.1", "550 5.1.1 User unknown"), "QUIT");
        assertThat(deliveries(conversation).getFirst().get("state").asText()).isEqualTo("SENT");

        TestMail.speak("MAIL FROM:<>", "RCPT TO:<" + support + ">", "DATA", dsn(customer, sent, "failed", "5.1.1",
                "550 5.1.1 <" + customer + ">: Recipient address rejected: User unknown"), "QUIT");
        JsonNode failed = awaitDelivery(conversation, sequence, "FAILED");
        assertThat(failed.get("reason").asText()).isEqualTo("the recipient's mail server returned it: 550 5.1.1 <"
                + customer + ">: Recipient address rejected: User unknown");
        assertThat(site.events().stream().filter(e -> e.type() == EventType.MESSAGE_DELIVERY_CHANGED)
                .map(e -> e.body().at("/delivery/state").asText())).containsExactly("QUEUED", "SENT", "FAILED");
        assertThat(site.listAll(conversation, "BUSINESS")).hasSize(2); // the bounce is no customer's message
    }

    /** A delivery status notification as Postfix writes it (RFC 3464), returning the headers of the mail. */
    private String dsn(String recipient, String messageId, String action, String status, String diagnostic) {
        return String.join("\r\n",
                "From: MAILER-DAEMON@mx.client.example (Mail Delivery System)",
                "To: " + support,
                "Subject: Undelivered Mail Returned to Sender",
                "Auto-Submitted: auto-replied",
                "Message-ID: <dsn." + action + "." + UUID.randomUUID() + "@mx.client.example>",
                "MIME-Version: 1.0",
                "Content-Type: multipart/report; report-type=delivery-status;",
                "\tboundary=\"B1\"",
                "",
                "--B1",
                "Content-Description: Notification",
                "Content-Type: text/plain; charset=us-ascii",
                "",
                "This is the mail system at host mx.client.example.",
                "",
                "--B1",
                "Content-Description: Delivery report",
                "Content-Type: message/delivery-status",
                "",
                "Reporting-MTA: dns; mx.client.example",
                "",
                "Final-Recipient: rfc822; " + recipient,
                "Action: " + action,
                "Status: " + status,
                "Diagnostic-Code: smtp; " + diagnostic.replace(" Recipient", "\r\n    Recipient"), // folded
                "",
                "--B1",
                "Content-Description: Undelivered Message Headers",
                "Content-Type: text/rfc822-headers",
                "",
                "From: Mail Bakery <" + support + ">",
                "To: " + recipient,
                "Message-ID: " + messageId,
                "Subject: Re: Refund",
                "",
                "--B1--",
                ".");
    }

    private List<Event> presses() {
        return site.events().stream().filter(e -> e.type() == EventType.BUTTON_INTERACTED).toList();
    }

    private String customer(String name) {
        return name + "." + UUID.randomUUID() + "@client.example";
    }

    private String contactWith(String email, String first) {
        Api.Response created = site.api().post("/contacts/v4/contacts", """
                {"info": {"name": {"first": "%s"}, "emails": {"items": [{"email": "%s"}]}}, "allowDuplicates": true}
                """.formatted(first, email));
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        return created.text("/contact/id");
    }

    /** An agent's message addressed to email, as a new thread with {@code title} for its subject. */
    private String sendToEmail(String conversation, String title, String text) {
        Api.Response sent = site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "targetChannels": ["EMAIL"],
                 "content": {"title": "%s", "basic": {"items": [{"text": "%s"}]}}}}
                """.formatted(conversation, title, text));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        return sent.text("/message/sequence");
    }

    private String onlyConversation() {
        List<String> ids = conversationIds();
        assertThat(ids).hasSize(1);
        return ids.getFirst();
    }

    private List<String> conversationIds() {
        return site.api().get("/parley/v1/conversations").body().get("conversations").valueStream()
                .map(c -> c.get("id").asText()).toList();
    }

    private List<JsonNode> deliveries(String conversation) {
        return deliveries(site.api(), conversation);
    }

    private JsonNode awaitDelivery(String conversation, String sequence, String state) throws InterruptedException {
        return awaitDelivery(site.api(), conversation, sequence, state);
    }

    static List<JsonNode> deliveries(Api api, String conversation) {
        Api.Response response = api.get("/parley/v1/conversations/" + conversation + "/deliveries");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body().get("deliveries").valueStream().toList();
    }

    /** Waits until the message's delivery reaches {@code state} (the relay has the mail a moment before). */
    static JsonNode awaitDelivery(Api api, String conversation, String sequence, String state)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode delivery = deliveries(api, conversation).stream()
                    .filter(d -> d.get("messageId").asText().equals(sequence)).findFirst().orElse(null);
            if (delivery != null && delivery.get("state").asText().equals(state)) {
                return delivery;
            }
            assertThat(System.nanoTime()).as("delivery of %s: %s", sequence, delivery).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String text(MimeMessage mail) throws MessagingException, IOException {
        return ((String) ((MimeMultipart) mail.getContent()).getBodyPart(0).getContent()).replace("\r\n", "\n");
    }

    /** A mail to the site's support address with a Message-ID of our choosing. */
    private MimeMessage mail(String messageId, String from, String subject, String text) throws MessagingException {
        return TestMail.mail(messageId, from, support, subject, text);
    }

    private static void send(MimeMessage message, Address... envelope) throws MessagingException {
        TestMail.toParley(message, envelope);
    }
}
