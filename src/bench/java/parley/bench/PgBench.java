package parley.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's pgbench, run against the benchmark's database with a custom script: the machine's ceiling
 * for a given SQL transaction at a given number of clients.
 */
final class PgBench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final String host;
    private final int port;
    private final Path workDir;

    PgBench(String jdbcUrl, Path workDir) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.workDir = workDir;
    }

    static void requireInstalled() throws IOException, InterruptedException {
        try {
            Process probe = new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor() == 0) {
                return;
            }
        } catch (IOException missing) {
            // fall through
        }
        throw new IllegalStateException("pgbench is needed for the baseline: apt-get install postgresql-client");
    }

    /** Transactions per second of {@code script} with {@code clients} clients for {@code duration}. */
    double tps(String script, int clients, Duration duration, List<String> variables)
            throws IOException, InterruptedException {
        Path file = workDir.resolve("pgbench-script.sql");
        Files.writeString(file, script);
        List<String> command = new java.util.ArrayList<>(List.of("pgbench", "-n", "-M", "prepared",
                "-h", host, "-p", Integer.toString(port), "-U", "postgres",
                "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)),
                "-T", Long.toString(duration.toSeconds()), "-f", file.toString()));
        for (String variable : variables) {
            command.addAll(List.of("-D", variable));
        }
        command.add("postgres");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(duration.toSeconds() + 120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        Matcher matcher = TPS.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("no tps in pgbench output:\n" + output);
        }
        return Double.parseDouble(matcher.group(1));
    }
}
