package parley.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the data is: shared by every command that opens the database. */
final class StorageOptions {
    @Option(names = "--data-dir", defaultValue = "${env:PARLEY_DATA_DIR:-./data}",
            description = "Directory of the embedded PostgreSQL (env PARLEY_DATA_DIR; default ./data).")
    Path dataDir;

    @Option(names = "--database-url", defaultValue = "${env:PARLEY_DATABASE_URL}",
            description = "An external PostgreSQL (jdbc:postgresql://… or postgres://user:pass@host/db) "
                    + "instead of the embedded one (env PARLEY_DATABASE_URL).")
    String databaseUrl;
}
