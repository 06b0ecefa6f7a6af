package parley.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code parley}: the entry point of the launcher script. */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A self-hosted business inbox with a Wix Inbox v2 compatible API.",
        footer = "%nThe benchmark is a separate program: ./parley bench --help",
        subcommands = {ServeCommand.class, SiteCommand.class, UserCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"parley " + (version == null ? "development build" : version)};
        }
    }
}
