package parley.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.TestParley;

/** The agent workspace in Debian's chromium: two agents working one inbox live, and axe on every screen. */
class WorkspaceBrowserTest {
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
    void everyScreenPassesAxe() {
        Fixtures.TestSite site = Fixtures.site("Axe Bakery");
        String conversation = site.visitorConversation();
        site.sendText(conversation, "Hello, is the shop open?", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        site.api().post("/parley/v1/labels", "{\"name\": \"VIP\", \"color\": \"#ffcc00\"}");
        Page signIn = chromium.newPage(1280, 800);
        signIn.navigate(TestParley.baseUrl() + "/dashboard");
        assertThat(signIn.getByLabel("Email")).isVisible();
        assertThat(chromium.accessibilityViolations(signIn)).as("sign-in").isEmpty();

        Page dashboard = chromium.dashboard(TestParley.baseUrl(), DashboardLogin.ownerOf(site));
        dashboard.locator(".conversation").click();
        assertThat(dashboard.locator(".message .bubble")).hasText("Hello, is the shop open?");
        assertThat(chromium.accessibilityViolations(dashboard)).as("inbox and thread").isEmpty();
        dashboard.getByRole(AriaRole.RADIO, new Page.GetByRoleOptions().setName("Internal note")).check();
        assertThat(chromium.accessibilityViolations(dashboard)).as("writing a note").isEmpty();
        dashboard.locator("#search").fill("shop");
        assertThat(dashboard.locator(".search-results mark")).hasText("shop");
        assertThat(chromium.accessibilityViolations(dashboard)).as("search").isEmpty();
        dashboard.keyboard().press("Escape");
        dashboard.keyboard().press("Escape");
        dashboard.keyboard().press("?");
        assertThat(dashboard.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Keyboard shortcuts"))).isVisible();
        assertThat(chromium.accessibilityViolations(dashboard)).as("help").isEmpty();
        dashboard.keyboard().press("Escape");
        dashboard.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Settings")).click();
        assertThat(dashboard.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("People"))).isVisible();
        assertThat(chromium.accessibilityViolations(dashboard)).as("settings").isEmpty();

        Page widget = chromium.widget(TestParley.baseUrl(), site);
        assertThat(chromium.accessibilityViolations(widget)).as("widget").isEmpty();
        assertThat(chromium.scriptSignals(signIn, dashboard, widget)).isEmpty();
    }

    @Test
    void twoAgentsSeeEachOthersAssignmentsAndStatusChangesLive() {
        Fixtures.TestSite site = Fixtures.site("Team Bakery");
        String first = site.visitorConversation();
        site.sendText(first, "First customer", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        String second = site.visitorConversation();
        site.sendText(second, "Second customer", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        DashboardLogin alice = DashboardLogin.ownerOf(site);
        Page alicePage = chromium.dashboard(TestParley.baseUrl(), alice);
        Page bobPage = chromium.dashboard(TestParley.baseUrl(), DashboardLogin.agentOf(site));
        for (Page page : java.util.List.of(alicePage, bobPage)) {
            assertThat(page.locator(".conversation")).hasCount(2);
            assertThat(viewTab(page, "All")).containsText("2");
            assertThat(viewTab(page, "Unassigned")).containsText("2");
        }

        // Alice takes the first with the keyboard: j opens it, a assigns it to her.
        alicePage.keyboard().press("j");
        assertThat(alicePage.locator("#reply-text")).isFocused();
        String opened = alicePage.locator(".conversation.selected").getAttribute("data-conversation-id");
        alicePage.keyboard().press("Escape"); // opening put the cursor in the reply box
        alicePage.keyboard().press("a");
        assertThat(alicePage.locator(".conversation.selected .assignee")).hasText("You");
        assertThat(viewTab(alicePage, "Mine")).containsText("1");
        Locator inBobsList = bobPage.locator(".conversation[data-conversation-id='" + opened + "'] .assignee");
        assertThat(inBobsList).hasText(alice.email());
        assertThat(viewTab(bobPage, "Unassigned")).containsText("1");

        // Bob looks at the unassigned ones only, and takes the other with the button.
        viewTab(bobPage, "Unassigned").click();
        assertThat(bobPage.locator(".conversation")).hasCount(1);
        bobPage.locator(".conversation").click();
        bobPage.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Assign to me")).click();
        assertThat(bobPage.locator(".conversation")).hasCount(0);
        assertThat(bobPage.getByText("No conversation matches these filters.")).isVisible();
        assertThat(viewTab(alicePage, "Unassigned")).containsText("0");

        // Alice resolves hers with e: it leaves both Open lists, and shows under Resolved.
        alicePage.keyboard().press("e");
        assertThat(alicePage.locator(".conversation")).hasCount(1);
        viewTab(bobPage, "All").click();
        assertThat(bobPage.locator(".conversation")).hasCount(1);
        bobPage.getByLabel("Status").first().selectOption("RESOLVED");
        assertThat(bobPage.locator(".conversation .status")).hasText("Resolved");
        // The customer writes again: the conversation reopens, live, for both.
        site.sendText(opened, "One more question", "PARTICIPANT_TO_BUSINESS", "BUSINESS_AND_PARTICIPANT");
        assertThat(bobPage.locator(".conversation")).hasCount(0);
        assertThat(alicePage.locator(".conversation")).hasCount(2);
        assertThat(chromium.scriptSignals(alicePage, bobPage)).isEmpty();
    }

    @Test
    void labelsCannedRepliesSearchTypingAndNotesWorkFromTheDashboard() {
        Fixtures.TestSite site = Fixtures.site("Busy Bakery");
        Api.Response label = site.api().post("/parley/v1/labels", "{\"name\": \"Wholesale\", \"color\": \"#0f766e\"}");
        site.api().post("/parley/v1/canned-replies", "{\"shortcut\": \"hours\", \"body\": \"We bake from 6 to 14.\"}");
        Page widget = chromium.widget(TestParley.baseUrl(), site);
        Chromium.messageBox(widget).fill("Do you deliver croissants in bulk?");
        Chromium.messageBox(widget).press("Enter");
        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        dashboard.locator(".conversation").click();
        assertThat(dashboard.locator(".message.theirs .bubble")).hasText("Do you deliver croissants in bulk?");
        // The contact panel shows the page the visitor opened the widget on.
        Locator visited = dashboard.locator(".contact .pages a");
        assertThat(visited).hasText("Parley — widget demo");
        assertThat(visited).hasAttribute("href", TestParley.baseUrl() + "/demo?siteId=" + site.id());

        // Typing, both ways, never stored.
        Chromium.messageBox(widget).pressSequentially("Also");
        assertThat(dashboard.locator(".typing")).hasText("The visitor is typing…");
        dashboard.locator("#reply-text").pressSequentially("Let me");
        assertThat(widget.locator(".typing")).hasText("Busy Bakery is typing…");
        dashboard.locator("#reply-text").fill("");

        // A label from the thread, then the list filtered by it.
        dashboard.locator(".labels").getByText("Wholesale").click();
        assertThat(dashboard.locator(".conversation .label")).hasText("Wholesale");
        dashboard.getByLabel("Label").selectOption(label.text("/id"));
        assertThat(dashboard.locator(".conversation")).hasCount(1);

        // A canned reply: "/" and the start of its shortcut, Enter takes it.
        dashboard.locator("#reply-text").pressSequentially("/ho");
        assertThat(dashboard.getByRole(AriaRole.LISTBOX, new Page.GetByRoleOptions().setName("Canned replies")))
                .containsText("/hours");
        dashboard.locator("#reply-text").press("Enter");
        assertThat(dashboard.locator("#reply-text")).hasValue("We bake from 6 to 14.");
        dashboard.locator("#reply-text").press("Enter");
        assertThat(widget.locator(".message.theirs .bubble")).hasText("We bake from 6 to 14.");

        // A note is visibly a note, and the mode does not stick.
        BrowserTest.reply(dashboard, "Ask Sam about the wholesale price list", true);
        assertThat(dashboard.locator(".message.internal .bubble")).hasText("Ask Sam about the wholesale price list");

        // One box finds messages (notes too) and contacts.
        dashboard.locator("#search").fill("wholesale pri");
        Locator found = dashboard.locator(".search-results .result").first();
        assertThat(found.locator("mark")).hasText(new String[] {"wholesale", "price"});
        assertThat(found.locator(".tag")).hasText("Note");
        dashboard.locator("#search").fill("croiss");
        dashboard.locator(".search-results .result").first().click();
        assertThat(dashboard.locator(".search-results")).hasCount(0);
        assertThat(widget.locator(".internal")).hasCount(0);
        assertThat(chromium.scriptSignals(dashboard, widget)).isEmpty();
        chromium.screenshot(dashboard, "dashboard-workspace");
    }

    @Test
    void theThreadGroupsBySenderSeparatesDaysAndLoadsOlderMessages() {
        Fixtures.TestSite site = Fixtures.site("Chatty Bakery");
        String conversation = site.visitorConversation();
        java.time.Instant threeDaysAgo = java.time.Instant.now().minus(java.time.Duration.ofDays(3));
        for (int i = 1; i <= 130; i++) {
            java.time.Instant at = i <= 30 ? threeDaysAgo.plusSeconds(i) : java.time.Instant.now().minusSeconds(200 - i);
            StoredMessages.insert(site.id(), conversation, "PARTICIPANT_TO_BUSINESS",
                    "{\"basic\": {\"items\": [{\"text\": \"Message " + i + "\"}]}}", "[]", at);
        }
        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        dashboard.locator(".conversation").click();
        assertThat(dashboard.locator(".message")).hasCount(100);
        assertThat(dashboard.locator(".message .bubble").first()).hasText("Message 31");
        // One sender, minutes apart, one day: one block with one time.
        assertThat(dashboard.locator(".message time")).hasCount(1);
        assertThat(dashboard.locator(".day")).hasText(new String[] {"Today"});
        assertThat(dashboard.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load older messages")))
                .hasCount(1);
        dashboard.locator(".thread .messages").evaluate("list => list.scrollTop = 0"); // scrolling up loads them
        assertThat(dashboard.locator(".message")).hasCount(130);
        assertThat(dashboard.locator(".message .bubble").first()).hasText("Message 1");
        assertThat(dashboard.locator(".day")).hasCount(2);
        assertThat(dashboard.locator(".day").last()).hasText("Today");
        assertThat(dashboard.locator(".message time")).hasCount(2);
        assertThat(dashboard.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Load older messages")))
                .hasCount(0);
        assertThat(chromium.scriptSignals(dashboard)).isEmpty();
    }

    @Test
    void longUnbrokenTextsNeverWidenAPageAndOverridesStayIsolated() {
        Fixtures.TestSite site = Fixtures.site("Wide Bakery");
        Page widget = chromium.widget(TestParley.baseUrl(), site);
        Chromium.messageBox(widget).fill("x".repeat(400));
        Chromium.messageBox(widget).press("Enter");
        String conversation = site.api().get("/parley/v1/conversations").text("/conversations/0/id");
        String long500 = "W".repeat(500);
        StoredMessages.insert(site.id(), conversation, "BUSINESS_TO_PARTICIPANT",
                "{\"basic\": {\"items\": [{\"file\": {\"url\": \"https://127.0.0.1:1/f\", \"filename\": "
                        + "\"invoice\\u202Efdp.exe\"}}]}, \"previewText\": \"" + long500 + "\"}",
                "[{\"text\": \"" + long500 + "\", \"badgeVisibility\": \"BUSINESS_AND_PARTICIPANT\"}]");
        StoredMessages.insert(site.id(), conversation, "BUSINESS_TO_PARTICIPANT",
                "{\"minimal\": {\"text\": \"" + long500 + "\"}}", "[]");
        Api.Response named = site.api().post("/contacts/v4/contacts",
                "{\"info\": {\"name\": {\"first\": \"" + "N".repeat(100) + "\"}}}");
        site.conversationOf("contactId", named.text("/contact/id"));
        site.sendText(site.conversationOf("contactId", named.text("/contact/id")), "hi", "PARTICIPANT_TO_BUSINESS",
                "BUSINESS_AND_PARTICIPANT");

        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        dashboard.locator(".conversation").last().click();
        assertThat(dashboard.locator(".message")).hasCount(3);
        widget.reload();
        widget.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat")).click();
        assertThat(widget.locator(".message")).hasCount(3);
        for (Page page : java.util.List.of(dashboard, widget)) {
            assertThat(page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")).isEqualTo(true);
            Locator file = page.locator(".bubble.file a");
            assertThat(file).hasText("⬇ invoicefdp.exe"); // the override is gone, the real extension shows
            assertThat(file).hasAttribute("download", "invoicefdp.exe");
            assertThat(page.locator(".bubble.file").evaluate("e => e.textContent.startsWith('\\n')")).isEqualTo(false);
        }
        for (String scroller : java.util.List.of(".inbox", ".thread .messages")) {
            assertThat(dashboard.locator(scroller).evaluate("e => e.scrollWidth <= e.clientWidth")).as(scroller)
                    .isEqualTo(true);
        }
        assertThat(widget.locator(".messages").evaluate("e => e.scrollWidth <= e.clientWidth")).isEqualTo(true);
        var favicon = dashboard.request().get(TestParley.baseUrl() + "/favicon.ico");
        assertThat(favicon.status()).isEqualTo(200);
        assertThat(favicon.headers().get("content-type")).startsWith("image/svg+xml");
        assertThat(chromium.scriptSignals(dashboard, widget)).isEmpty();
    }

    @Test
    void theWidgetPresentsTheBusinessAndAPostbackFiresOnce() throws Exception {
        Fixtures.TestSite site = Fixtures.site("Corner Bakery");
        Api.Response saved = site.api().patch("/parley/v1/widget/settings", """
                {"appearance": {"welcomeMessage": "Hello! We answer within the hour.", "awayMessage": "We are closed now.",
                 "officeHours": {"timeZone": "UTC", "weekly": []}}}""");
        assertThat(saved.status()).as(saved.raw()).isEqualTo(200);
        Page widget = chromium.widget(TestParley.baseUrl(), site);
        Locator chat = widget.getByRole(AriaRole.DIALOG, new Page.GetByRoleOptions().setName("Corner Bakery"));
        assertThat(chat.locator(".welcome")).hasText("Hello! We answer within the hour.");
        assertThat(chat.locator(".away")).hasText("We are closed now.");
        // One way to close it, and the launcher is drawn, not an emoji.
        assertThat(widget.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close chat"))).hasCount(1);
        assertThat(widget.locator(".launcher")).isHidden();

        Chromium.messageBox(widget).fill("Do you have rye bread?");
        Chromium.messageBox(widget).press("Enter");
        assertThat(widget.locator(".message.mine .bubble")).hasText("Do you have rye bread?");
        String conversation = site.api().get("/parley/v1/conversations").text("/conversations/0/id");
        site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"template": {"title": "Reserve a loaf?",
                 "buttons": [{"label": "Yes please", "postbackProperties": {"interactionId": "reserve"}}]}}}}
                """.formatted(conversation));
        Locator yes = widget.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Yes please"));
        yes.dblclick();
        assertThat(yes).hasAttribute("aria-pressed", "true");
        assertThat(yes).isDisabled();
        assertThat(yes).hasText("✓ Yes please");
        chromium.screenshot(widget, "widget-business");
        Thread.sleep(500); // a second press, had one gone out, would be in the log by now
        assertThat(site.events().stream().filter(e -> e.type() == parley.events.EventType.BUTTON_INTERACTED)).hasSize(1);

        widget.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Close chat")).click();
        Locator launcher = widget.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat"));
        assertThat(launcher.locator("svg")).hasCount(1);
        assertThat(launcher).isFocused();

        // On a phone the chat takes the whole screen.
        Page phone = chromium.newPage(360, 640);
        phone.navigate(TestParley.baseUrl() + "/demo?siteId=" + site.id());
        phone.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat")).click();
        var box = phone.locator("#parley-chat").boundingBox();
        assertThat(new double[] {box.x, box.y, box.width, box.height}).containsExactly(0, 0, 360, 640);
        assertThat(chromium.scriptSignals(widget, phone)).isEmpty();
    }

    @Test
    void theContactPanelShowsAndEditsThePersonAndTheMergesIntoTheConversation() {
        Fixtures.TestSite site = Fixtures.site("Panel Bakery");
        String visitor = java.util.UUID.randomUUID().toString();
        site.sendText(site.conversationOf("anonymousVisitorId", visitor), "Hi, I am Ruth", "PARTICIPANT_TO_BUSINESS",
                "BUSINESS_AND_PARTICIPANT");
        Api.Response ruth = site.api().post("/contacts/v4/contacts", """
                {"info": {"name": {"first": "Ruth", "last": "Okafor"}, "emails": {"items": [{"email": "ruth@example.com"}]},
                 "company": "Okafor Catering"}}""");
        String contactId = ruth.text("/contact/id");
        site.api().post("/parley/v1/identity/link", "{\"anonymousVisitorId\": \"" + visitor + "\", \"contactId\": \""
                + contactId + "\"}");
        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        dashboard.locator(".conversation").click();
        Locator panel = dashboard.getByRole(AriaRole.COMPLEMENTARY, new Page.GetByRoleOptions().setName("Contact"));
        assertThat(panel.locator("h2")).hasText("Ruth Okafor");
        assertThat(panel.locator(".facts")).containsText("ruth@example.com");
        assertThat(panel.locator(".facts")).containsText("Okafor Catering");
        assertThat(panel.locator(".merges li")).hasCount(1);

        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit")).click();
        panel.getByLabel("Phone").fill("+44 20 7946 0018");
        panel.getByLabel("Company").fill("Okafor & Daughters");
        panel.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
        assertThat(panel.locator(".facts")).containsText("Okafor & Daughters");
        assertThat(site.api().get("/contacts/v4/contacts/" + contactId).text("/contact/info/phones/items/0/phone"))
                .isEqualTo("+44 20 7946 0018");
        assertThat(chromium.scriptSignals(dashboard)).isEmpty();
    }

    @Test
    void anOwnerInvitesAnAgentWhoJoinsThroughTheLinkAndIsDeactivatedAtOnce() {
        Fixtures.TestSite site = Fixtures.site("Hiring Bakery");
        Page owner = chromium.dashboard(TestParley.baseUrl(), DashboardLogin.ownerOf(site));
        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Settings")).click();
        owner.getByLabel("Invite by email").fill("sam@hiring.example");
        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Invite")).click();
        String link = owner.locator(".invited code").textContent();
        assertThat(link).contains("/dashboard/join#");
        assertThat(owner.getByText("Invited sam@hiring.example as Agent", new Page.GetByTextOptions().setExact(false)))
                .isVisible();
        assertThat(chromium.accessibilityViolations(owner)).isEmpty();

        Page sam = chromium.newPage(1280, 800);
        sam.navigate(link);
        assertThat(sam.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Join the team"))).isVisible();
        assertThat(chromium.accessibilityViolations(sam)).isEmpty();
        sam.getByLabel("Your name").fill("Sam Baker");
        sam.getByLabel("Password").fill("flour and water and salt");
        sam.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join")).click();
        assertThat(sam.locator(".who")).hasText("Sam Baker");

        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Settings")).click();
        Locator row = owner.locator("tr", new Page.LocatorOptions().setHasText("sam@hiring.example"));
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Deactivate")).click();
        assertThat(row).containsText("Deactivated");
        sam.reload();
        assertThat(sam.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        assertThat(chromium.scriptSignals(owner)).isEmpty();
    }

    private static Locator viewTab(Page page, String name) {
        return page.locator(".views").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name));
    }
}
