package parley;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import parley.files.FileSettings;
import parley.webhooks.WebhookSettings;

/**
 * One Parley per test JVM: a real embedded PostgreSQL under {@code target/}, migrated once, and the
 * real HTTP server on a free port. Tests isolate themselves by creating their own site.
 */
public final class TestParley {
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** Short enough that retries, time-outs and give-ups happen within a test. */
    public static final WebhookSettings WEBHOOKS = new WebhookSettings(Duration.ofMillis(1500), Duration.ofMillis(200),
            Duration.ofHours(48), Duration.ofDays(5), Duration.ofMillis(50));
    /** Short enough that a test sees an idle stream's heartbeat. */
    public static final Duration HEARTBEAT = Duration.ofMillis(300);
    /** Every test node's credentials key: nodes of one installation share theirs. */
    static final String SECRET_KEY = "dGVzdC1jcmVkZW50aWFscy1rZXktMzItYnl0ZXMhISE=";
    /** Every test's client is 127.0.0.1: far above the product's limits, checked by tests on nodes of their own. */
    public static final Config.Limits LIMITS = new Config.Limits(100_000, 100_000, 1_000, 1_000, 100_000);
    private static Parley parley;

    private TestParley() {
    }

    public static synchronized Parley get() {
        if (parley == null) {
            parley = Parley.start(config(freshDataDir(), 0), Clock.systemUTC());
            Runtime.getRuntime().addShutdownHook(new Thread(parley::close));
        }
        return parley;
    }

    /** A node with its own embedded PostgreSQL under {@code dataDir}. Receivers in tests are on loopback. */
    public static Config config(Path dataDir, int port) {
        return new Config(port, dataDir, null, ADMIN_TOKEN, Config.DEFAULT_MAX_BODY_BYTES, 8, WEBHOOKS,
                HEARTBEAT, true, LIMITS, 0, TestMail.relay(), null, SECRET_KEY,
                FileSettings.DEFAULTS);
    }

    /** Another node on the shared test database. */
    public static Config anotherNode(int port) {
        return anotherNode(port, true);
    }

    /** Another node on the shared test database; {@code allowPrivateTargets} false is the product's default. */
    public static Config anotherNode(int port, boolean allowPrivateTargets) {
        return new Config(port, null, get().databaseUrl(), ADMIN_TOKEN, Config.DEFAULT_MAX_BODY_BYTES, 4, WEBHOOKS,
                HEARTBEAT, allowPrivateTargets, LIMITS, null, null, null, SECRET_KEY,
                FileSettings.DEFAULTS);
    }

    public static Path freshDataDir() {
        try {
            Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(Path.of("target").toAbsolutePath(), "test-data-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String baseUrl() {
        return "http://127.0.0.1:" + get().port();
    }
}
