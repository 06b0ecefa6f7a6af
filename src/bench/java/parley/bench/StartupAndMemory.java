package parley.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Time from {@code serve} to ready (fresh and existing data directory) and the idle server's memory. */
final class StartupAndMemory implements Section {
    static final double TARGET_IDLE_MIB = 300;
    static final Duration TARGET_READY = Duration.ofSeconds(3);

    @Override
    public String key() {
        return "startup";
    }

    @Override
    public String title() {
        return "Start-up and idle memory";
    }

    @Override
    public void run(BenchContext context, Report.Part part) throws Exception {
        Duration fresh;
        try (ServerProcess first = Progress.during("serve on an empty data dir", Duration.ofSeconds(6), () ->
                ServerProcess.start(context.outDir.resolve("startup-1.log"), "--data-dir",
                        context.dataDir.toString()))) {
            fresh = first.startedIn();
        }
        // One start is one sample of a VM whose speed varies from minute to minute: the target is judged on
        // the median of three (one in a quick run), each start after the last one's clean shutdown.
        int starts = context.settings.quick() ? 1 : 3;
        List<Duration> existing = new ArrayList<>();
        double idleMiB = 0;
        for (int i = 1; i <= starts; i++) {
            Path log = context.outDir.resolve("startup-" + (i + 1) + ".log");
            try (ServerProcess next = Progress.during("serve on the existing data dir (" + i + " of "
                    + starts + ")", Duration.ofSeconds(3), () -> ServerProcess.start(log, "--data-dir",
                            context.dataDir.toString()))) {
                existing.add(next.startedIn());
                if (i == starts) {
                    Thread.sleep(3_000); // let start-up garbage settle before reading resident memory
                    idleMiB = next.residentMiB();
                }
            }
        }
        Duration median = existing.stream().sorted().toList().get(starts / 2);
        part.table("measure", "figure", "target");
        part.row("`serve` to ready, empty data dir (includes initdb)", seconds(fresh), "–");
        String each = starts == 1 ? "" : " (median of " + starts + ": "
                + existing.stream().map(StartupAndMemory::seconds).collect(Collectors.joining(", ")) + ")";
        part.row("`serve` to ready, existing data dir" + each, seconds(median),
                "≤ 3 s " + Report.verdict(median.compareTo(TARGET_READY) <= 0));
        part.row("server resident memory, idle (MiB)", idleMiB,
                "≤ 300 " + Report.verdict(idleMiB <= TARGET_IDLE_MIB));
        part.endTable();
        part.note("Times run from starting the JVM to the first 200 from `/health/ready`; memory is the server "
                + "JVM's VmRSS (the PostgreSQL processes are separate and not counted).");
        part.figure("readyFreshSeconds", fresh.toMillis() / 1000.0);
        part.figure("readyExistingSeconds", median.toMillis() / 1000.0);
        part.figure("idleResidentMiB", idleMiB);
    }

    static String seconds(Duration duration) {
        return String.format("%.2f s", duration.toMillis() / 1000.0);
    }
}
