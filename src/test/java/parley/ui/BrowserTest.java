package parley.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Parley;
import parley.TestFiles;
import parley.TestMail;
import parley.TestParley;
import parley.events.Event;
import parley.events.EventType;
import parley.live.SseStream;
import parley.webhooks.Receiver;
import parley.widget.MemberIdentity;

/** The dashboard and the widget in Debian's chromium, against a real Parley. */
class BrowserTest {
    private static Chromium chromium;

    @BeforeAll
    static void launch() {
        chromium = new Chromium();
    }

    @AfterAll
    static void quit() {
        chromium.close();
    }

    @Test
    void aVisitorAndAnAgentTalkLiveAndAnInternalNoteNeverReachesTheWidget() throws Exception {
        Fixtures.TestSite site = Fixtures.site("Browser Bakery");
        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        assertThat(dashboard.getByText("No conversations yet.")).isVisible();

        Page widget = chromium.widget(TestParley.baseUrl(), site);
        Chromium.messageBox(widget).fill("Hello from the widget");
        Chromium.messageBox(widget).press("Enter");

        // Live in the dashboard's list, with the unread count, then in the thread.
        Locator conversation = dashboard.locator(".conversation");
        assertThat(conversation.locator(".preview")).hasText("Hello from the widget");
        assertThat(conversation.locator(".unread")).hasText("1");
        assertThat(conversation.locator(".channel")).hasText("chat"); // what a visitor writes comes from the widget
        conversation.click();
        assertThat(dashboard.locator(".message.theirs .bubble")).hasText("Hello from the widget");
        assertThat(conversation.locator(".unread")).hasCount(0);

        reply(dashboard, "Refund approved, do not tell them yet", true);
        assertThat(dashboard.locator(".message.internal .bubble")).hasText("Refund approved, do not tell them yet");
        assertThat(dashboard.locator(".message.internal .internal-label")).isVisible();
        reply(dashboard, "Hi! How can we help?", false);

        assertThat(widget.locator(".message.theirs .bubble")).hasText("Hi! How can we help?");
        assertThat(dashboard.locator(".message.mine .delivery").last()).hasText("Sent via Chat");
        assertThat(widget.getByText("Refund approved", new Page.GetByTextOptions().setExact(false))).hasCount(0);
        assertThat(widget.locator(".internal")).hasCount(0);

        // On the wire: the visitor's own stream from the start holds the two public messages, not the note between.
        String token = (String) widget.evaluate("key => localStorage.getItem(key)", "parley.widget." + site.id());
        try (SseStream stream = SseStream.open(TestParley.baseUrl() + "/parley/v1/widget/stream?after=0&token="
                + Api.encode(token), null, null)) {
            List<String> texts = stream.take(2).stream()
                    .map(received -> received.data().at("/message/content/basic/items/0/text").asText()).toList();
            assertThat(texts).containsExactly("Hello from the widget", "Hi! How can we help?");
        }
        chromium.screenshot(dashboard, "dashboard");
        chromium.screenshot(widget, "widget");

        // A reload continues the same conversation.
        widget.reload();
        widget.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat")).click();
        assertThat(widget.locator(".message .bubble")).hasText(new String[] {"Hello from the widget", "Hi! How can we help?"});

        // What arrives in the conversation the agent has open is read at once: no unread count.
        Chromium.messageBox(widget).fill("One more thing");
        Chromium.messageBox(widget).press("Enter");
        assertThat(dashboard.locator(".message.theirs .bubble").last()).hasText("One more thing");
        assertThat(conversation.locator(".preview")).hasText("One more thing");
        assertThat(conversation.locator(".unread")).hasCount(0);
        assertThat(chromium.scriptSignals(dashboard, widget)).isEmpty();
    }

    @Test
    void filesAttachedInTheWidgetAndTheDashboardAreShownOnBothSides() {
        Fixtures.TestSite site = Fixtures.site("File Bakery");
        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        Page widget = chromium.widget(TestParley.baseUrl(), site);
        Chromium.messageBox(widget).fill("Our receipt and the page");
        widget.locator(".compose input[type=file]").setInputFiles(new FilePayload[] {
                new FilePayload("receipt.png", "image/png", TestFiles.png(60, 40)),
                new FilePayload("page.html", "text/html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8))});

        assertThat(widget.locator(".message.mine .bubble")).hasCount(3);
        assertThat(Chromium.messageBox(widget)).hasValue("");
        dashboard.locator(".conversation").click();
        Locator image = dashboard.locator(".message.theirs .bubble.media img");
        assertThat(image).isVisible();
        dashboard.waitForCondition(() -> (Boolean) image.evaluate("img => img.complete && img.naturalWidth === 60"));
        Locator page = dashboard.locator(".message.theirs .bubble.file a");
        assertThat(page).containsText("page.html");
        assertThat(page).hasAttribute("href", java.util.regex.Pattern.compile("^http://localhost:\\d+/parley/v1/files/"));

        dashboard.locator(".reply input[type=file]").setInputFiles(new FilePayload("menu.txt", "text/plain",
                "Bread, cakes".getBytes(StandardCharsets.UTF_8)));
        assertThat(dashboard.locator(".picked li")).containsText("menu.txt");
        reply(dashboard, "Here is our menu", false);
        assertThat(dashboard.locator(".picked")).hasCount(0);
        assertThat(widget.locator(".message.theirs .bubble")).containsText(new String[] {"Here is our menu", "menu.txt"});
        assertThat(widget.locator(".message.mine .bubble.media img")).isVisible();
        chromium.screenshot(dashboard, "dashboard-files");
        chromium.screenshot(widget, "widget-files");
        assertThat(chromium.scriptSignals(dashboard, widget)).isEmpty();
    }

    @Test
    void aMessageOfAnotherServiceArrivesLiveWithItsBadgeAndTheReplyShowsAsDeliveredThroughIt() throws Exception {
        Fixtures.TestSite site = Fixtures.site("SMS Bakery");
        String channel = site.api().post("/parley/v1/channels", "{\"kind\": \"CUSTOM\", \"settings\": "
                + "{\"name\": \"Acme SMS\", \"channelType\": \"SMS\"}}").text("/id");
        try (Receiver connector = new Receiver()) {
            site.api().post("/parley/v1/webhooks", "{\"url\": \"" + connector.url() + "\", \"eventTypes\": "
                    + "[\"parley.inbox.v1.message_channel_outbound\"]}");
            Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
            assertThat(site.api().post("/parley/v1/channels/" + channel + "/inbound", """
                    {"externalMessageId": "SM1", "sender": {"phone": "+14155550123", "name": "Ana Lopez"},
                     "message": {"content": {"basic": {"items": [{"text": "Do you have rye bread?"}]}}}}""")
                    .status()).isEqualTo(200);

            Locator conversation = dashboard.locator(".conversation");
            assertThat(conversation.locator(".preview")).hasText("Do you have rye bread?");
            assertThat(conversation.locator(".channel")).hasText("sms");
            conversation.click();
            assertThat(dashboard.locator(".message.theirs .bubble")).hasText("Do you have rye bread?");
            assertThat(dashboard.locator(".message.theirs .badge")).hasText("Acme SMS");
            assertThat(dashboard.locator(".message.internal")).hasCount(0);

            reply(dashboard, "Yes, until noon", false);
            assertThat(dashboard.locator(".message.mine .delivery").last()).hasText("Sending via Acme SMS");
            String envelope = com.nimbusds.jwt.SignedJWT.parse(connector.await(r -> r.size() == 1).getFirst()
                    .body()).getJWTClaimsSet().getStringClaim("data");
            String messageId = parley.web.Json.MAPPER.readTree(parley.web.Json.MAPPER.readTree(envelope).get("data")
                    .asText()).at("/actionEvent/body/message/id").asText();
            assertThat(site.api().post("/parley/v1/channels/" + channel + "/deliveries",
                    "{\"messageId\": \"" + messageId + "\", \"state\": \"DELIVERED\"}").status()).isEqualTo(200);
            assertThat(dashboard.locator(".message.mine .delivery").last()).hasText("Delivered via Acme SMS");
            assertThat(chromium.scriptSignals(dashboard)).isEmpty();
        }
    }

    @Test
    void aCustomersEmailArrivesLiveAndTheAgentsReplyIsEmailedInItsThreadOrSaysWhyNot() throws Exception {
        Fixtures.TestSite site = Fixtures.site("Email Bakery");
        String support = "support@" + java.util.UUID.randomUUID() + ".example";
        assertThat(site.api().post("/parley/v1/channels", "{\"kind\": \"EMAIL\", \"settings\": {\"address\": \""
                + support + "\"}}").status()).isEqualTo(201);
        String customer = "ida." + java.util.UUID.randomUUID() + "@client.example";
        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        assertThat(dashboard.getByText("No conversations yet.")).isVisible();
        TestMail.toParley(TestMail.mail("<ida." + customer + ">", customer, support, "Gluten free?",
                "Do you bake gluten-free bread?"));
        Locator conversation = dashboard.locator(".conversation"); // live, through the dashboard's stream
        assertThat(conversation.locator(".channel")).hasText("email");
        conversation.click();
        assertThat(dashboard.locator(".message.theirs .bubble")).hasText("Do you bake gluten-free bread?");
        assertThat(dashboard.locator(".message.theirs .subject")).hasText("Gluten free?");
        Locator original = dashboard.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("View original"));
        assertThat(original).hasAttribute("target", "_blank");
        Page source = dashboard.waitForPopup(original::click);
        assertThat(source.locator("body")).containsText("Message-ID: <ida." + customer + ">");
        source.close();

        reply(dashboard, "Yes, on Tuesdays.", false);
        assertThat(dashboard.locator(".message.mine .delivery").last()).hasText("Emailed");
        jakarta.mail.internet.MimeMessage answer = TestMail.await(customer, 1).getFirst();
        assertThat(answer.getSubject()).isEqualTo("Re: Gluten free?"); // in the customer's thread
        assertThat(answer.getHeader("In-Reply-To", null)).isEqualTo("<ida." + customer + ">");

        // A visitor has no address to email: the message says so where the agent looks.
        String visitor = site.visitorConversation();
        site.sendText(visitor, "Hello", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        Api.Response toEmail = site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "targetChannels": ["EMAIL"],
                 "content": {"basic": {"items": [{"text": "We'll email you"}]}}}}
                """.formatted(visitor));
        assertThat(toEmail.status()).as(toEmail.raw()).isEqualTo(200);
        dashboard.locator(".conversation", new Page.LocatorOptions().setHasText("We'll email you")).click();
        assertThat(dashboard.locator(".message.mine .delivery").last())
                .hasText("Email failed: the participant has no email address");
        assertThat(chromium.scriptSignals(dashboard)).isEmpty();
    }

    @Test
    void aPostbackButtonPressedInTheWidgetFiresButtonInteracted() {
        Fixtures.TestSite site = Fixtures.site("Postback Bakery");
        Page widget = chromium.widget(TestParley.baseUrl(), site);
        Chromium.messageBox(widget).fill("Which size?");
        Chromium.messageBox(widget).press("Enter");
        assertThat(widget.locator(".message.mine .bubble")).hasText("Which size?");
        String conversationId = site.api().get("/parley/v1/conversations").text("/conversations/0/id");
        Api.Response sent = site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"template": {"title": "Pick a size",
                 "textLines": ["Our cakes come in two sizes"], "buttons": [
                   {"label": "Small", "postbackProperties": {"interactionId": "size-small"}},
                   {"label": "Menu", "launchUrl": "https://example.com/menu"}]}}}}
                """.formatted(conversationId));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);

        Locator card = widget.locator(".card.template");
        assertThat(card.locator(".card-title")).hasText("Pick a size");
        Locator link = card.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Menu"));
        assertThat(link).hasAttribute("target", "_blank");
        assertThat(link).hasAttribute("rel", "noopener noreferrer");
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Small")).click();

        Event pressed = awaitEvent(site, EventType.BUTTON_INTERACTED);
        assertThat(pressed.body().get("interactionId").asText()).isEqualTo("size-small");
        assertThat(pressed.entityId()).isEqualTo(sent.text("/message/id"));
        assertThat(chromium.scriptSignals(widget)).isEmpty();
    }

    @Test
    void theWidgetIsKeyboardOperableAndFitsA320PixelScreen() {
        Fixtures.TestSite site = Fixtures.site("Small Screen Bakery");
        Page page = chromium.newPage(320, 640);
        page.navigate(TestParley.baseUrl() + "/demo?siteId=" + site.id());
        Locator launcher = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat"));
        assertThat(page.locator("#parley-text")).isEnabled(); // the session is ready (the window is still closed)
        launcher.focus();
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Small Screen Bakery"))).isVisible();
        assertThat(Chromium.messageBox(page)).isFocused();
        page.keyboard().type("Typed with the keyboard");
        page.keyboard().press("Enter");
        assertThat(page.locator(".message.mine .bubble")).hasText("Typed with the keyboard");

        var box = page.locator("#parley-chat").boundingBox();
        assertThat(box.x).isGreaterThanOrEqualTo(0);
        assertThat(box.x + box.width).isLessThanOrEqualTo(320);
        assertThat(page.evaluate("() => document.documentElement.scrollWidth")).isEqualTo(320);
        chromium.screenshot(page, "widget-320px");

        page.keyboard().press("Escape");
        assertThat(page.getByRole(AriaRole.DIALOG)).isHidden();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat"))).isFocused();
        assertThat(chromium.scriptSignals(page)).isEmpty();
    }

    /**
     * The widget on another site's page, served by a web server of its own (another origin): refused until
     * the site allows that origin, then, with the member signed by the site's backend, it continues the
     * member's conversation.
     */
    @Test
    void onAnAllowedSitesPageTheWidgetContinuesASignedMembersConversation() throws Exception {
        Fixtures.TestSite site = Fixtures.site("Shop Bakery");
        String memberId = site.createMember("Mia");
        String memberConversation = site.conversationOf("memberId", memberId);
        site.sendText(memberConversation, "Welcome back, Mia", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        String secret = site.api().get("/parley/v1/widget/settings").text("/identitySecret");
        byte[] shopPage = """
                <!doctype html><html lang="en"><title>Shop</title><h1>The shop</h1>
                <script src="%s/widget.js" data-site-id="%s" data-member-id="%s" data-member-signature="%s" async></script>
                """.formatted(TestParley.baseUrl(), site.id(), memberId, MemberIdentity.sign(secret, memberId))
                .getBytes(StandardCharsets.UTF_8);
        HttpServer shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, shopPage.length);
            exchange.getResponseBody().write(shopPage);
            exchange.close();
        });
        shop.start();
        try {
            String shopOrigin = "http://127.0.0.1:" + shop.getAddress().getPort();
            Page page = chromium.newPage(400, 760);
            Locator launcher = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat"));
            page.navigate(shopOrigin + "/");
            launcher.click();
            assertThat(page.getByText("Chat is unavailable right now.")).isVisible();
            assertThat(site.api().get("/parley/v1/conversations").body().get("conversations")).hasSize(1); // Mia's only

            Api.Response allowed = site.api().patch("/parley/v1/widget/settings",
                    "{\"allowedOrigins\": [\"" + shopOrigin + "\"]}");
            assertThat(allowed.status()).as(allowed.raw()).isEqualTo(200);
            page.reload();
            launcher.click();
            assertThat(page.locator(".message.theirs .bubble")).hasText("Welcome back, Mia");
            Chromium.messageBox(page).fill("Thanks, where is my order?");
            Chromium.messageBox(page).press("Enter");
            assertThat(page.locator(".message.mine .bubble")).hasText("Thanks, where is my order?");
            assertThat(site.listAllPages(memberConversation)).extracting(m -> m.at("/content/basic/items/0/text").asText())
                    .containsExactly("Welcome back, Mia", "Thanks, where is my order?");
        } finally {
            shop.stop(0);
        }
    }

    /**
     * The streams of both UIs are cut (the node serving them stops) while the business writes through
     * another node; when the node is back, each catches up by itself: every missed message, once.
     */
    @Test
    void bothUisCatchUpAfterTheirStreamsAreCut() throws Exception {
        Fixtures.TestSite site = Fixtures.site("Flaky Bakery");
        int port = freePort();
        String node2 = "http://127.0.0.1:" + port;
        Parley node = startNode(port);
        Page widget = chromium.widget(node2, site);
        Page dashboard = chromium.dashboard(node2, site);
        Chromium.messageBox(widget).fill("Are you there?");
        Chromium.messageBox(widget).press("Enter");
        assertThat(widget.locator(".message.mine .bubble")).hasText("Are you there?");
        String conversationId = site.api().get("/parley/v1/conversations").text("/conversations/0/id");
        site.sendText(conversationId, "Yes, one moment", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        assertThat(widget.locator(".message.theirs .bubble")).hasText("Yes, one moment");
        dashboard.locator(".conversation").click();
        assertThat(dashboard.locator(".message .bubble")).hasText(new String[] {"Are you there?", "Yes, one moment"});

        node.close();
        assertThat(widget.getByText("Reconnecting…")).isVisible();
        assertThat(dashboard.getByText("Connection lost — reconnecting…")).isVisible();
        site.sendText(conversationId, "Missed one", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        site.sendText(conversationId, "Missed two", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");

        try (Parley back = startNode(port)) {
            assertThat(widget.locator(".message.theirs .bubble"))
                    .hasText(new String[] {"Yes, one moment", "Missed one", "Missed two"});
            assertThat(widget.getByText("Reconnecting…")).hasCount(0);
            assertThat(dashboard.locator(".message .bubble"))
                    .hasText(new String[] {"Are you there?", "Yes, one moment", "Missed one", "Missed two"});
            assertThat(dashboard.locator(".conversation .preview")).hasText("Missed two");
            assertThat(dashboard.getByText("Connection lost — reconnecting…")).hasCount(0);
            site.sendText(conversationId, "Live again", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
            assertThat(widget.locator(".message.theirs .bubble"))
                    .hasText(new String[] {"Yes, one moment", "Missed one", "Missed two", "Live again"});
        }
    }

    /** The widget's token expires while the page is open: the next send renews it and goes through. */
    @Test
    void theWidgetRenewsAnExpiredTokenAndTheVisitorNeverNotices() throws Exception {
        Fixtures.TestSite site = Fixtures.site("Patient Bakery");
        int port = freePort();
        parley.MutableClock clock = new parley.MutableClock();
        try (Parley node = Parley.start(TestParley.anotherNode(port), clock)) {
            Page widget = chromium.widget("http://127.0.0.1:" + port, site);
            Chromium.messageBox(widget).fill("Before lunch");
            Chromium.messageBox(widget).press("Enter");
            assertThat(widget.locator(".message.mine .bubble")).hasText("Before lunch");

            clock.advance(parley.auth.ParticipantTokens.LIFETIME.plusMinutes(5));
            Chromium.messageBox(widget).fill("After lunch");
            Chromium.messageBox(widget).press("Enter");

            assertThat(widget.locator(".message.mine .bubble")).hasText(new String[] {"Before lunch", "After lunch"});
            assertThat(widget.locator(".error")).hasCount(0);
        }
    }

    /** Writes in the reply box: a reply, or an internal note (the mode goes back to replying once it is sent). */
    static void reply(Page dashboard, String text, boolean internal) {
        dashboard.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName(internal ? "Internal note" : "Reply"))
                .check();
        dashboard.locator("#reply-text").fill(text);
        dashboard.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(internal ? "Add note" : "Send")).click();
        assertThat(dashboard.locator("#reply-text")).hasValue("");
        assertThat(dashboard.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Reply"))).isChecked();
    }

    private static Event awaitEvent(Fixtures.TestSite site, EventType type) {
        for (int attempt = 0; attempt < 100; attempt++) {
            var found = site.events().stream().filter(event -> event.type() == type).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(100);
        }
        throw new AssertionError("no " + type + " event");
    }

    private static Parley startNode(int port) {
        return Parley.start(TestParley.anotherNode(port), java.time.Clock.systemUTC());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
