package parley.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import parley.Fixtures;
import parley.NodePackages;
import parley.Fixtures.TestSite;
import parley.TestParley;

/**
 * The official Wix JavaScript SDK ({@code @wix/sdk}, {@code @wix/inbox}, {@code @wix/crm}, versions pinned
 * in {@code compat/package-lock.json}) against the real server: the sample calls of the Send Message
 * reference, getConversation and listMessages with paging ({@code compat/inbox-sdk.mjs}); and, as an app's
 * backend receives them, every webhook Parley sends, verified and dispatched to the SDK's typed handlers
 * ({@code compat/webhooks-sdk.mjs}).
 */
class SdkCompatibilityTest {
    private static final Path COMPAT = NodePackages.COMPAT;

    @Test
    void theOfficialSdkWorksAgainstParley() throws Exception {
        assertThat(run("inbox-sdk.mjs")).contains("all SDK calls answered as the SDK expects");
    }

    @Test
    void theOfficialSdkVerifiesAndDispatchesEveryWebhookParleySends() throws Exception {
        assertThat(run("webhooks-sdk.mjs")).contains("the official SDK verified and dispatched every webhook");
    }

    /** Runs a script against a site of its own; returns its output once it exited with 0. */
    private static String run(String script) throws Exception {
        NodePackages.install();
        TestSite acme = Fixtures.acme();
        ProcessBuilder node = new ProcessBuilder("node", script).directory(COMPAT.toFile()).redirectErrorStream(true);
        node.environment().put("PARLEY_HOST", "127.0.0.1:" + TestParley.get().port());
        node.environment().put("PARLEY_SITE_ID", acme.id());
        node.environment().put("PARLEY_API_KEY", acme.apiKey());
        Process process = node.start();
        String output = new String(process.getInputStream().readAllBytes());

        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
