package parley.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.TestParley;
import parley.web.Json;

/** Every message type as both UIs draw it (wix-compatibility 6), and script-injection payloads drawn harmlessly. */
class RenderingTest {
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
    void everyMessageTypeRendersInBothUis() {
        Fixtures.TestSite site = Fixtures.site("Types Bakery");
        Page widget = chromium.widget(TestParley.baseUrl(), site);
        String conversationId = visitorConversation(widget, site);
        send(site, conversationId, """
                {"basic": {"items": [{"text": "Here is our menu"},
                  {"image": {"url": "https://127.0.0.1:1/cake.png", "filename": "cake.png"}},
                  {"file": {"url": "https://127.0.0.1:1/menu.pdf", "filename": "menu.pdf"}}]}}""");
        send(site, conversationId, """
                {"template": {"title": "Birthday cake", "imageUrl": "https://127.0.0.1:1/cake.png",
                  "textLines": ["Chocolate", "Serves 12"], "buttons": [
                    {"label": "Order", "postbackProperties": {"interactionId": "order"}},
                    {"label": "Details", "launchUrl": "https://example.com/cake"}]}}""");
        send(site, conversationId, """
                {"template": {"title": "Wide card", "orientation": "LANDSCAPE", "textLines": ["Landscape"],
                  "buttons": [{"label": "See more", "launchUrl": "https://example.com/wide"}]}}""");
        send(site, conversationId, """
                {"minimal": {"text": "Booked a table", "iconUrl": "https://127.0.0.1:1/icon.png",
                  "url": "https://example.com/booking"}}""");
        send(site, conversationId, """
                {"form": {"title": "Catering request", "description": "Sent from the website",
                  "fields": [{"name": "Guests", "value": "40"}, {"name": "Date", "value": "May 3"}],
                  "media": [{"image": {"url": "https://127.0.0.1:1/venue.png"}}]}}""");
        StoredMessages.insert(site.id(), conversationId, "BUSINESS_TO_PARTICIPANT", """
                {"system": {"text": "Replies may take a day.\\\\nWe answer on weekdays.",
                  "buttons": [{"label": "Learn More", "launchUrl": "https://example.com/policy"}]}}""", "[]");

        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        dashboard.locator(".conversation").click();
        for (Page page : List.of(dashboard, widget)) {
            if (page == widget) {
                page.reload();
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat")).click();
            }
            Locator basic = page.locator("[data-type=basic]").last();
            assertThat(basic.locator(".bubble")).hasCount(3); // one bubble per item
            assertThat(basic.locator(".bubble.text")).hasText("Here is our menu");
            assertThat(basic.locator(".bubble.media img")).hasAttribute("src", "https://127.0.0.1:1/cake.png");
            assertThat(basic.locator(".bubble.file a")).hasAttribute("href", "https://127.0.0.1:1/menu.pdf");

            Locator portrait = page.locator(".card.template.portrait");
            assertThat(portrait.locator(".card-title")).hasText("Birthday cake");
            assertThat(portrait.locator(".line")).hasText(new String[] {"Chocolate", "Serves 12"});
            assertThat(portrait.locator("img")).hasAttribute("src", "https://127.0.0.1:1/cake.png");
            assertThat(portrait.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Details")))
                    .hasAttribute("rel", "noopener noreferrer");
            Locator order = portrait.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Order"));
            if (page == dashboard) {
                assertThat(order).isDisabled(); // postbacks are the participant's (wix-compatibility 4.4)
            } else {
                assertThat(order).isEnabled();
            }
            assertThat(page.locator(".card.template.landscape .card-title")).hasText("Wide card");

            Locator activity = page.locator(".activity");
            assertThat(activity.locator(".activity-text")).hasText("Booked a table"); // plain text, not a link
            assertThat(activity.locator("a.activity-link")).hasAttribute("href", "https://example.com/booking");
            assertThat(activity.locator("img.icon")).hasAttribute("src", "https://127.0.0.1:1/icon.png");

            Locator form = page.locator(".card.form");
            assertThat(form.locator(".card-title")).hasText("Catering request");
            assertThat(form.locator(".description")).hasText("Sent from the website");
            assertThat(form.locator("dt")).hasText(new String[] {"Guests", "Date"});
            assertThat(form.locator("dd")).hasText(new String[] {"40", "May 3"});
            assertThat(page.locator("[data-type=form] .bubble.media img")).hasAttribute("src", "https://127.0.0.1:1/venue.png");

            Locator system = page.locator(".system");
            assertThat(system).containsText("Replies may take a day.");
            assertThat(system.locator("br")).hasCount(1);
            assertThat(system.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Learn More"))).isVisible();
        }
        chromium.screenshot(dashboard, "dashboard-all-types");
        chromium.screenshot(widget, "widget-all-types");
        assertThat(chromium.scriptSignals(dashboard, widget)).isEmpty();
    }

    /** Payloads that would run script if any UI built HTML from message text or followed a non-http(s) URL. */
    static final List<String> TEXT_PAYLOADS = List.of(
            "<script>alert('script')</script>",
            "<img src=x onerror=\"window.parleyPwned=1;alert('img')\">",
            "\"><svg onload=alert('svg')>",
            "'><iframe src=\"javascript:alert('iframe')\"></iframe>",
            "<a href=\"javascript:alert('a')\">click me</a>",
            "</textarea><script>alert('textarea')</script>",
            "{{constructor.constructor('alert(1)')()}}",
            "${alert('template')}",
            "<style>*{display:none!important}</style>");
    static final List<String> URL_PAYLOADS = List.of(
            "javascript:alert('url')",
            "JaVaScRiPt:alert('url-case')",
            " javascript:alert('url-space')",
            "data:text/html,<script>alert('data')</script>",
            "vbscript:msgbox('vb')",
            "https://127.0.0.1:1/x.png\" onerror=\"alert('attribute')",
            "https://127.0.0.1:1/x.png' onerror='alert(1)");

    /** Mouse and focus events on every element of the messages: injected handlers, had there been any, would run. */
    private static final String HOVER_EVERYTHING = """
            () => {
                const widget = document.getElementById('parley-widget');
                for (const root of [document, widget && widget.shadowRoot].filter(Boolean)) {
                    for (const element of root.querySelectorAll('.messages *')) {
                        for (const type of ['mouseover', 'mouseenter', 'focus']) element.dispatchEvent(new Event(type));
                    }
                }
            }""";

    @Test
    void injectionPayloadsInEveryTextAndUrlFieldOfEveryTypeExecuteNothing() {
        Fixtures.TestSite site = Fixtures.site("Hostile Bakery");
        Page widget = chromium.widget(TestParley.baseUrl(), site);
        String conversationId = visitorConversation(widget, site);
        int stored = 1; // the visitor's first message
        for (int i = 0; i < Math.max(TEXT_PAYLOADS.size(), URL_PAYLOADS.size()); i++) {
            String text = json(TEXT_PAYLOADS.get(i % TEXT_PAYLOADS.size()));
            String url = json(URL_PAYLOADS.get(i % URL_PAYLOADS.size()));
            String badges = "[{\"text\": " + text + ", \"iconUrl\": " + url + ", \"badgeVisibility\": \"BUSINESS_AND_PARTICIPANT\"}]";
            for (String content : List.of(
                    "{\"basic\": {\"items\": [{\"text\": %1$s}, {\"image\": {\"url\": %2$s, \"filename\": %1$s}},"
                            + " {\"file\": {\"url\": %2$s, \"filename\": %1$s}}]}, \"previewText\": %1$s}",
                    "{\"template\": {\"title\": %1$s, \"imageUrl\": %2$s, \"textLines\": [%1$s], \"buttons\": ["
                            + "{\"label\": %1$s, \"launchUrl\": %2$s}, {\"label\": %1$s, \"postbackProperties\": {\"interactionId\": %1$s}}]}}",
                    "{\"template\": {\"title\": %1$s, \"orientation\": \"LANDSCAPE\", \"imageUrl\": %2$s, \"textLines\": [%1$s]}}",
                    "{\"minimal\": {\"text\": %1$s, \"iconUrl\": %2$s, \"url\": %2$s}}",
                    "{\"form\": {\"title\": %1$s, \"description\": %1$s, \"fields\": [{\"name\": %1$s, \"value\": %1$s}],"
                            + " \"media\": [{\"image\": {\"url\": %2$s}}, {\"file\": {\"url\": %2$s, \"filename\": %1$s}}]}}",
                    "{\"system\": {\"text\": %1$s, \"imageUrl\": %2$s, \"buttons\": [{\"label\": %1$s, \"launchUrl\": %2$s}]}}")) {
                StoredMessages.insert(site.id(), conversationId, i % 2 == 0 ? "BUSINESS_TO_PARTICIPANT" : "PARTICIPANT_TO_BUSINESS",
                        content.formatted(text, url), badges);
                stored++;
            }
        }
        // The same text payloads through the API, in every text field it accepts (it refuses the URLs).
        for (String payload : TEXT_PAYLOADS) {
            Api.Response response = site.api().post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                     "visibility": "BUSINESS_AND_PARTICIPANT", "badges": [{"text": %2$s}],
                     "content": {"template": {"title": %2$s, "textLines": [%2$s],
                       "buttons": [{"label": %2$s, "postbackProperties": {"interactionId": "x"}}]}, "previewText": %2$s}}}
                    """.formatted(conversationId, json(payload)));
            assertThat(response.status()).as(response.raw()).isEqualTo(200);
            stored++;
        }
        for (String payload : URL_PAYLOADS) {
            Api.Response refused = site.api().post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                     "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"minimal": {"text": "x", "url": %s}}}}
                    """.formatted(conversationId, json(payload)));
            assertThat(refused.status()).as(payload).isEqualTo(400);
        }

        Page dashboard = chromium.dashboard(TestParley.baseUrl(), site);
        dashboard.locator(".conversation").click();
        widget.reload();
        widget.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat")).click();
        for (Page page : List.of(dashboard, widget)) {
            assertThat(page.locator(".message")).hasCount(stored);
            page.evaluate(HOVER_EVERYTHING);
            assertThat(page.getByText("<script>alert('script')</script>").first()).isVisible(); // shown, as text
            assertThat(page.locator(".messages script, .messages iframe, .messages svg, .messages style")).hasCount(0);
            assertThat(page.locator("[onerror], [onload], [onclick], [onmouseover]")).hasCount(0);
            List<String> links = new ArrayList<>();
            for (Locator element : page.locator(".messages [href], .messages [src]").all()) {
                String value = element.getAttribute(element.getAttribute("href") != null ? "href" : "src");
                links.add(value);
            }
            assertThat(links).isNotEmpty().allSatisfy(link -> assertThat(link).startsWith("https://"));
            assertThat(page.evaluate("() => window.parleyPwned === undefined")).isEqualTo(true);
            assertThat(page.locator("body")).isVisible(); // the injected style did not hide the page
        }
        chromium.screenshot(dashboard, "dashboard-injection");
        chromium.screenshot(widget, "widget-injection");
        assertThat(chromium.scriptSignals(dashboard, widget)).isEmpty();
    }

    private static String visitorConversation(Page widget, Fixtures.TestSite site) {
        Chromium.messageBox(widget).fill("Hi");
        Chromium.messageBox(widget).press("Enter");
        assertThat(widget.locator(".message.mine .bubble")).hasText("Hi");
        return site.api().get("/parley/v1/conversations").text("/conversations/0/id");
    }

    private static void send(Fixtures.TestSite site, String conversationId, String content) {
        Api.Response response = site.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": %s}}
                """.formatted(conversationId, content));
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
    }

    private static String json(String value) {
        return Json.write(value);
    }
}
