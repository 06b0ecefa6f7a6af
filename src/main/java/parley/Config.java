package parley;

import java.nio.file.Path;
import parley.webhooks.WebhookSettings;

/**
 * Everything Parley is configured with, built once from flags, then environment, then defaults.
 *
 * @param databaseUrl an external PostgreSQL, or null for the embedded one under {@code dataDir}
 * @param adminToken  the token of the admin API, or null to keep it off
 * @param webhooks    how webhook deliveries are attempted and retried
 */
public record Config(int port, Path dataDir, String databaseUrl, String adminToken, long maxBodyBytes,
                     int databasePoolSize, WebhookSettings webhooks) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_POOL_SIZE = 16;
}
