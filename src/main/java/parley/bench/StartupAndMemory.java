package parley.bench;

import java.time.Duration;

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
        Duration existing;
        double idleMiB;
        try (ServerProcess second = Progress.during("serve on the existing data dir", Duration.ofSeconds(3), () ->
                ServerProcess.start(context.outDir.resolve("startup-2.log"), "--data-dir",
                        context.dataDir.toString()))) {
            existing = second.startedIn();
            Thread.sleep(3_000); // let start-up garbage settle before reading resident memory
            idleMiB = second.residentMiB();
        }
        part.table("measure", "figure", "target");
        part.row("`serve` to ready, empty data dir (includes initdb)", seconds(fresh), "–");
        part.row("`serve` to ready, existing data dir", seconds(existing),
                "≤ 3 s " + Report.verdict(existing.compareTo(TARGET_READY) <= 0));
        part.row("server resident memory, idle (MiB)", idleMiB,
                "≤ 300 " + Report.verdict(idleMiB <= TARGET_IDLE_MIB));
        part.endTable();
        part.note("Times run from starting the JVM to the first 200 from `/health/ready`; memory is the server "
                + "JVM's VmRSS (the PostgreSQL processes are separate and not counted).");
        part.figure("readyFreshSeconds", fresh.toMillis() / 1000.0);
        part.figure("readyExistingSeconds", existing.toMillis() / 1000.0);
        part.figure("idleResidentMiB", idleMiB);
    }

    static String seconds(Duration duration) {
        return String.format("%.2f s", duration.toMillis() / 1000.0);
    }
}
