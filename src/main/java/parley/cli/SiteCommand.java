package parley.cli;

import java.time.Clock;
import parley.sites.CreateSite;
import parley.sites.Sites;
import parley.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code parley site create --name NAME}: against the data directory, while the server is not running. */
@Command(name = "site", mixinStandardHelpOptions = true, description = "Manage sites.",
        subcommands = SiteCommand.Create.class)
final class SiteCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a site and print its API key.")
    static final class Create implements Runnable {
        @Mixin
        StorageOptions storage;

        @Option(names = "--name", required = true, description = "The site's display name.")
        String name;

        @Override
        public void run() {
            try (Database database = Database.open(storage.databaseUrl, storage.dataDir, 2)) {
                CreateSite.NewSite site = Sites.wire(database, Clock.systemUTC()).createSite().create(name);
                System.out.printf("site id:  %s%nAPI key:  %s%n", site.site().id(), site.apiKey());
            }
        }
    }
}
