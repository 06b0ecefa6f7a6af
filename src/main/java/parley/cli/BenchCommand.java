package parley.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import parley.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley bench}: measures Parley against the machine's limit and writes a report. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the benchmark: pgbench's ceiling and Parley's own load in one run.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "A smaller run, under two minutes.")
    boolean quick;

    @Option(names = "--out", defaultValue = "target/bench",
            description = "Where the report goes (default target/bench).")
    Path out;

    @Override
    public Integer call() throws Exception {
        System.out.println(Bench.run(quick, out));
        return 0;
    }
}
