package parley.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.NodePackages;

/**
 * Debian's chromium driven by Playwright (DESIGN.md: never a downloaded browser). One per test class.
 * Every page it opens records what would show that injected script ran: dialogs, uncaught errors and
 * console errors other than failed loads (an image URL of the corpus that does not resolve is expected).
 */
final class Chromium implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Playwright playwright;
    private final Browser browser;
    private final Map<Page, List<String>> scriptSignals = new ConcurrentHashMap<>();

    Chromium() {
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of("/usr/bin/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    /** A page in a context of its own (its own cookies and localStorage), watched for script signals. */
    Page newPage(int width, int height) {
        Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(width, height)).newPage();
        page.setDefaultTimeout(15_000);
        List<String> signals = scriptSignals.computeIfAbsent(page, p -> new CopyOnWriteArrayList<>());
        page.onDialog(dialog -> {
            signals.add("dialog: " + dialog.message());
            dialog.dismiss();
        });
        page.onPageError(error -> signals.add("page error: " + error));
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !message.text().startsWith("Failed to load resource")) {
                signals.add("console error: " + message.text());
            }
        });
        return page;
    }

    /** What the page showed of script running: dialogs, uncaught errors, console errors. */
    List<String> scriptSignals(Page... pages) {
        return java.util.Arrays.stream(pages).flatMap(page -> scriptSignals.getOrDefault(page, List.of()).stream()).toList();
    }

    /** The dashboard at {@code baseUrl}, signed in as a new agent of the site. */
    Page dashboard(String baseUrl, Fixtures.TestSite site) {
        return dashboard(baseUrl, DashboardLogin.agentOf(site));
    }

    /** The dashboard at {@code baseUrl}, signed in with {@code login}, in a browser context of its own. */
    Page dashboard(String baseUrl, DashboardLogin login) {
        Page page = newPage(1400, 860);
        page.navigate(baseUrl + "/dashboard");
        page.getByLabel("Email").fill(login.email());
        page.getByLabel("Password").fill(login.password());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByText("Sign out")).isVisible();
        return page;
    }

    /** The demo page at {@code baseUrl} with the site's widget, its chat window open and ready to write. */
    Page widget(String baseUrl, Fixtures.TestSite site) {
        Page page = newPage(400, 760);
        page.navigate(baseUrl + "/demo?siteId=" + site.id());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open chat")).click();
        assertThat(messageBox(page)).isEnabled();
        return page;
    }

    static Locator messageBox(Page widget) {
        return widget.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
    }

    /**
     * What axe-core (the npm package pinned in compat/) finds critical or serious on the page as it is now, open
     * shadow roots included; each as "rule: where". Evaluated through the browser's devtools channel, which the
     * pages' Content-Security-Policy does not cover (an inline script would be refused, rightly). axe's own inline
     * styles, which that policy refuses while it runs, are not the page's script signals.
     */
    List<String> accessibilityViolations(Page page) {
        List<String> signals = scriptSignals.get(page);
        int before = signals.size();
        try {
            String axe = Files.readString(NodePackages.install().resolve("node_modules/axe-core/axe.min.js"));
            page.evaluate("() => { if (!window.axe) { " + axe + "\n } }");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) page.evaluate("""
                async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
                    .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`)
                """);
        List<String> during = List.copyOf(signals.subList(before, signals.size()));
        signals.removeIf(signal -> during.contains(signal) && signal.contains("Applying inline style violates"));
        return found;
    }

    void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
