package parley.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import parley.Config;
import parley.sites.CreateSite;
import parley.sites.Sites;
import parley.storage.Database;

/**
 * What the sections share: the settings, the database (the embedded PostgreSQL, opened by the same code
 * and settings as {@code serve}) and one Parley server on it, each started on first use.
 */
final class BenchContext implements AutoCloseable {
    final BenchSettings settings;
    final Path dataDir;
    final Path outDir;
    private Database database;
    private ServerProcess server;

    BenchContext(BenchSettings settings, Path dataDir, Path outDir) {
        this.settings = settings;
        this.dataDir = dataDir;
        this.outDir = outDir;
    }

    Database database() throws Exception {
        if (database == null) {
            database = Database.open(null, dataDir, Config.DEFAULT_POOL_SIZE);
            SteadyWal.reach(database, settings.walWarmupMiB());
        }
        return database;
    }

    ServerProcess server() throws Exception {
        if (server == null) {
            // The webhook section's receivers listen on this machine's loopback; the live section opens
            // 10,100 widget sessions from one address, which the per-address limit exists to refuse.
            server = ServerProcess.start(outDir.resolve("server.log"), "--database-url", database().jdbcUrl(),
                    "--allow-private-targets", "--limit-widget-sessions", "1000000");
        }
        return server;
    }

    /** A new site, created with the product's own action, and how to call the API as it. */
    BenchSite site(String name) throws Exception {
        CreateSite.NewSite created = Sites.wire(database(), Clock.systemUTC()).createSite().create(name);
        return new BenchSite(created.site().id().value(), created.apiKey());
    }

    record BenchSite(UUID id, String apiKey) {
        HttpConnection.Request get(String pathAndQuery) {
            return new HttpConnection.Request("GET", pathAndQuery, headers(), null);
        }

        HttpConnection.Request post(String path, String body) {
            return new HttpConnection.Request("POST", path, headers(), body);
        }

        HttpConnection.Request patch(String path, String body) {
            return new HttpConnection.Request("PATCH", path, headers(), body);
        }

        private String headers() {
            return "Authorization: " + apiKey + "\r\nwix-site-id: " + id + "\r\n";
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
