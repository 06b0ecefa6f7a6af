package parley.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import parley.dashboard.DashboardUser;
import parley.errors.ApiException;
import parley.dashboard.DashboardUsers;
import parley.dashboard.Passwords;
import parley.sites.SiteId;
import parley.sites.Sites;
import parley.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parley user add --email E}: a dashboard account, against the data directory (server not running). */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage dashboard users.",
        subcommands = UserCommand.Add.class)
final class UserCommand {
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a dashboard user. Prints a generated password unless --password-stdin is given.")
    static final class Add implements Runnable {
        @Mixin
        StorageOptions storage;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--email", required = true, description = "What the user signs in with.")
        String email;

        @Option(names = "--site", description = "The site's id (default: the installation's first site).")
        String site;

        @Option(names = "--role", defaultValue = "AGENT", description = "AGENT (default) or OWNER.")
        DashboardUser.Role role;

        @Option(names = "--password-stdin", description = "Read the password from standard input (at least 12 characters).")
        boolean passwordFromStdin;

        @Override
        public void run() {
            try (Database database = Database.open(storage.databaseUrl, storage.dataDir, 2)) {
                Sites sites = Sites.wire(database, Clock.systemUTC());
                SiteId siteId = (site == null ? sites.first() : SiteId.parse(site).filter(id -> sites.find(id).isPresent()))
                        .orElseThrow(() -> new ParameterException(spec.commandLine(), "no such site: " + site));
                String password = passwordFromStdin ? readPassword() : Passwords.generate();
                DashboardUser user;
                try {
                    user = new DashboardUsers(database, Clock.systemUTC()).add(siteId, email, password, role);
                } catch (ApiException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                System.out.printf("dashboard user added to site %s%n  email:    %s%n  role:     %s%n", siteId,
                        user.email(), user.role());
                if (!passwordFromStdin) {
                    System.out.printf("  password: %s%n", password);
                }
            }
        }

        private static String readPassword() {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                return line == null ? "" : line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
