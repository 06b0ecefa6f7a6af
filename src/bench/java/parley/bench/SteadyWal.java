package parley.bench;

import java.time.Duration;
import parley.storage.Database;

/**
 * Brings the benchmark's new PostgreSQL to the WAL state of a server that has been running for a while.
 * A new cluster has no WAL segments to recycle until its first checkpoint, so at the benchmark's load its
 * backends create and zero-fill a 16 MB segment every second or two, and a commit waiting behind that
 * stalls for 10–40 ms: in one `--section send` run 49 segments were created and none recycled, and a
 * third of the batches slower than 9 ms were within 150 ms of a creation (7 % would be by chance). A
 * server past its first checkpoints renames old segments instead, which costs nothing. So before any
 * section measures, this writes about 1 GB of WAL (256 MB for {@code --quick}; a scratch table, then
 * dropped) and checkpoints: the checkpoint keeps that many segments for recycling, enough for every section.
 */
final class SteadyWal {
    private SteadyWal() {
    }

    static void reach(Database database, int mebibytes) throws Exception {
        int rows = mebibytes * 1024; // of about 1 KB each
        Progress.during("writing " + mebibytes + " MB of WAL for recycling", Duration.ofMillis(20L * mebibytes),
                () -> database.read(handle -> {
                    handle.execute("CREATE TABLE bench_wal_warmup AS SELECT g, repeat('x', 1000) AS filler "
                            + "FROM generate_series(1, " + rows + ") AS g");
                    handle.execute("DROP TABLE bench_wal_warmup");
                    handle.execute("CHECKPOINT");
                    return null;
                }));
    }
}
