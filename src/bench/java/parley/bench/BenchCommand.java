package parley.bench;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code parley bench}: measures Parley against the machine's limit and writes a report. The benchmark is
 * built into a jar of its own ({@code target/parley-bench.jar}), never into the server's; the launcher runs
 * this entry point with both.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the benchmark: pgbench's ceiling and Parley's own load in one run.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A smaller run, about three minutes.")
    boolean quick;

    @Option(names = "--section", paramLabel = "NAME", split = ",",
            description = "Run only these sections: startup, send, hot, list, contacts, workspace, live, webhooks, email, channels (default: all).")
    Set<String> sections = Set.of();

    @Option(names = "--out", defaultValue = "target/bench",
            description = "Where the report goes (default target/bench).")
    Path out;

    @Option(names = "--keep-data", description = "Keep the seeded database under the run's folder, to study "
            + "plans with EXPLAIN afterwards (gigabytes after a full run).")
    boolean keepData;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!Bench.sectionKeys().containsAll(sections)) {
            throw new ParameterException(spec.commandLine(), "unknown --section; known: " + Bench.sectionKeys());
        }
        System.out.println(Bench.run(quick, sections, out, keepData));
        return 0;
    }
}
