package parley;

import java.nio.file.Path;
import java.time.Duration;
import parley.email.Relay;
import parley.files.FileSettings;
import parley.webhooks.WebhookSettings;

/**
 * Everything Parley is configured with, built once from flags, then environment, then defaults.
 *
 * @param databaseUrl an external PostgreSQL, or null for the embedded one under {@code dataDir}
 * @param adminToken  the token of the admin API, or null to keep it off
 * @param webhooks    how webhook deliveries are attempted and retried
 * @param heartbeat   how often an idle live stream gets a comment line, so that proxies keep it open
 * @param allowPrivateTargets whether outbound requests (webhooks) may go to private, loopback and
 *                    link-local addresses: for development, and for receivers on the same host or network
 * @param limits      what one client or one credential may ask of a node
 * @param smtpPort    the port of Parley's SMTP listener (0: any free one), or null to keep it off
 * @param relay       the mail server business messages are emailed through, or null: this node sends no mail
 * @param publicUrl   where people reach this installation (links in mail), without a trailing slash; null:
 *                    {@code http://localhost:<port>}
 * @param secretKey   the key channel credentials are encrypted under (base64 of 32 bytes), or null for the one in
 *                    {@code dataDir/secret.key}
 * @param files       where attached files are kept, and how large one may be
 */
public record Config(int port, Path dataDir, String databaseUrl, String adminToken, long maxBodyBytes,
                     int databasePoolSize, WebhookSettings webhooks, Duration heartbeat, boolean allowPrivateTargets,
                     Limits limits, Integer smtpPort, Relay relay, String publicUrl,
                     String secretKey, FileSettings files) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_POOL_SIZE = 16;

    /**
     * What one client (by address) or one credential may ask of a node, each per node and in memory.
     *
     * @param signInsPerMinute        dashboard sign-in attempts per client address, whatever the email
     * @param widgetSessionsPerMinute new widget visitors per client address (a resumed visitor is free)
     * @param streamsPerVisitor       live streams open at once for one widget visitor (its tabs)
     * @param streamsPerCredential    live streams open at once for one API key or dashboard user
     * @param uploadsPerMinute        files uploaded by widget visitors per client address
     */
    public record Limits(int signInsPerMinute, int widgetSessionsPerMinute, int streamsPerVisitor,
                         int streamsPerCredential, int uploadsPerMinute) {
        public static final Limits DEFAULTS = new Limits(10, 30, 5, 50, 20);
    }

    public Config withWebhooks(WebhookSettings settings) {
        return new Config(port, dataDir, databaseUrl, adminToken, maxBodyBytes, databasePoolSize, settings, heartbeat,
                allowPrivateTargets, limits, smtpPort, relay, publicUrl, secretKey, files);
    }

    public Config withLimits(Limits changed) {
        return new Config(port, dataDir, databaseUrl, adminToken, maxBodyBytes, databasePoolSize, webhooks, heartbeat,
                allowPrivateTargets, changed, smtpPort, relay, publicUrl, secretKey, files);
    }

    public Config withFiles(FileSettings changed) {
        return new Config(port, dataDir, databaseUrl, adminToken, maxBodyBytes, databasePoolSize, webhooks, heartbeat,
                allowPrivateTargets, limits, smtpPort, relay, publicUrl, secretKey, changed);
    }

    public Config withRelay(Relay changed) {
        return new Config(port, dataDir, databaseUrl, adminToken, maxBodyBytes, databasePoolSize, webhooks, heartbeat,
                allowPrivateTargets, limits, smtpPort, changed, publicUrl, secretKey, files);
    }
}
