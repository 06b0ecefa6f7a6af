package parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** CPU seconds used so far (user + system, from /proc) by a process, or by every process of one name. */
final class CpuTime {
    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private CpuTime() {
    }

    static double ofProcess(long pid) {
        return ticks(pid, false) / TICKS_PER_SECOND;
    }

    /**
     * All PostgreSQL server processes of this machine (the benchmark's is the only one it starts), with the
     * time of those that have ended: a backend or autovacuum worker that ends takes its time out of the live
     * processes' sum, and the postmaster, which waits for it, adds it to its children's time.
     */
    static double ofPostgres() throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(CpuTime::isPostgres)
                    .mapToLong(p -> ticks(Long.parseLong(p.getFileName().toString()), true))
                    .sum() / TICKS_PER_SECOND;
        }
    }

    /** utime + stime, and with {@code ended} cutime + cstime (the ended children it waited for), in ticks. */
    private static long ticks(long pid, boolean ended) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ended ? own + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : own;
        } catch (IOException | RuntimeException gone) {
            return 0; // the process ended between listing and reading
        }
    }

    private static boolean isPostgres(Path process) {
        try {
            return Files.readString(process.resolve("comm")).strip().equals("postgres");
        } catch (IOException gone) {
            return false;
        }
    }
}
