package parley.bench;

import parley.storage.Database;

/**
 * PostgreSQL's WAL flushes (pg_stat_wal): how many commits shared each fsync, and what one cost during
 * a run. The second explains most of the run-to-run variance on a virtual disk; the first shows group
 * commit at work.
 */
record WalSyncs(long syncs, double syncMillis) {
    /** Turns on WAL I/O timing for the benchmark's own database (off by default: it costs a clock read). */
    static void enableTiming(Database database) {
        database.read(handle -> handle.execute("ALTER SYSTEM SET track_wal_io_timing = on"));
        database.read(handle -> handle.execute("SELECT pg_reload_conf()"));
    }

    static WalSyncs now(Database database) {
        return database.read(handle -> handle.createQuery("SELECT wal_sync, wal_sync_time FROM pg_stat_wal")
                .map((rs, ctx) -> new WalSyncs(rs.getLong(1), rs.getDouble(2))).one());
    }

    WalSyncs since(WalSyncs before) {
        return new WalSyncs(syncs - before.syncs, syncMillis - before.syncMillis);
    }

    double millisEach() {
        return syncs == 0 ? Double.NaN : syncMillis / syncs;
    }
}
