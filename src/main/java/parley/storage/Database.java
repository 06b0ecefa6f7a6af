package parley.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one PostgreSQL Parley stores everything in: the embedded server under the data directory
 * unless an external database URL is given. Opening it runs the migrations.
 */
public final class Database implements Transactions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private final EmbeddedPostgres embedded; // null when the database is external
    private final Writeback writeback; // with the embedded database only
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final HikariDataSource writerSource;
    private final Transactions writer;

    private Database(EmbeddedPostgres embedded, Writeback writeback, HikariDataSource dataSource) {
        this.embedded = embedded;
        this.writeback = writeback;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.writerSource = writerPool(dataSource.getJdbcUrl());
        this.writer = new Transactions() {
            private final Jdbi writerJdbi = Jdbi.create(writerSource);

            @Override
            public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
                return writerJdbi.inTransaction(work);
            }

            @Override
            public <T> T inTransactionDeferring(DeferringWork<T> work) {
                return Database.inTransactionDeferring(writerJdbi, work);
            }
        };
    }

    /** Opens {@code databaseUrl}, or when it is null the embedded PostgreSQL under {@code dataDir}. */
    public static Database open(String databaseUrl, Path dataDir, int poolSize) {
        if (databaseUrl != null && !databaseUrl.isBlank()) {
            return migrated(new Database(null, null, pool(jdbcUrl(databaseUrl), poolSize)));
        }
        Path directory = dataDir.resolve("postgres");
        EmbeddedPostgres embedded = startEmbedded(directory);
        Writeback writeback = Writeback.of(directory);
        try {
            return migrated(new Database(embedded, writeback,
                    pool(embedded.getJdbcUrl("postgres", "postgres"), poolSize)));
        } catch (RuntimeException e) {
            writeback.close();
            closeQuietly(embedded, e);
            throw e;
        }
    }

    private static EmbeddedPostgres startEmbedded(Path directory) {
        try {
            stopOrphanedServer(directory);
            return EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    // The library is made for tests and turns durability off; Parley keeps every
                    // acknowledged message, so it turns it back on (DESIGN.md section 6).
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", sharedBuffersMiB() + "MB")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + directory, e);
        }
    }

    /**
     * PostgreSQL's own default is 128 MB, sized for any machine it might meet; a page of List Messages in a
     * large site reads rows spread over the heap, and with more of the heap in shared buffers it reads
     * fewer from the OS (docs/performance.md: List p99 7.8 ms with 128 MB, 5.0 and 6.7 ms with 1 GB, in
     * one hour on the same VM). A quarter of the memory,
     * PostgreSQL's usual advice for a dedicated server, within 128 MB–1 GB: memory is taken only as pages
     * are read.
     */
    static long sharedBuffersMiB() {
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1024 * 1024);
        return Math.clamp(total / 4, 128, 1024);
    }

    /**
     * A Parley killed with -9 leaves its embedded PostgreSQL running, holding the data directory, with
     * nobody to stop it. The library's lock file tells an orphan from a server a live Parley still uses:
     * only when nobody holds the lock is the postmaster of {@code postmaster.pid} stopped (SIGTERM, a
     * clean shutdown: every committed transaction is already on disk).
     */
    private static void stopOrphanedServer(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        Path lockFile = directory.resolve("epg-lock");
        if (!Files.exists(pidFile) || !Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                return; // a live Parley uses this directory; starting will fail with the library's own message
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
            Optional<ProcessHandle> orphan = ProcessHandle.of(pid)
                    .filter(p -> p.info().command().orElse("").endsWith("/postgres"));
            if (orphan.isPresent()) {
                log.warn("stopping the embedded PostgreSQL (pid {}) left running by a Parley that did not shut down", pid);
                orphan.get().destroy();
                orphan.get().onExit().get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping an orphaned PostgreSQL", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not stop the orphaned PostgreSQL of " + directory, e);
        }
    }

    private static HikariDataSource pool(String jdbcUrl, int poolSize) {
        // Flyway holds two connections while it migrates
        return new HikariDataSource(poolConfig(jdbcUrl, "parley", Math.max(2, poolSize)));
    }

    private static HikariConfig poolConfig(String jdbcUrl, String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(size);
        config.setPoolName(name);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return config;
    }

    /**
     * The connection of the node's one group-commit writer, apart from the pool, on which PostgreSQL plans
     * each statement once ({@code plan_cache_mode = force_generic_plan}). The writer runs the same few
     * statements hundreds of times a second with arrays as long as its batch. By default PostgreSQL plans a
     * prepared statement again for each execution while that plan looks cheaper than the generic one, and
     * for the conversation lock it did so for every batch of fewer than about ten conversations
     * (pg_stat_statements at half the best rate: 5,425 plans in 5,424 calls), although the plan was the same
     * index probe each time. Every statement on it finds its rows by key, which the generic plan does too.
     *
     * <p>{@code enable_seqscan = off}: a generic plan takes each array parameter for ten elements, and for a
     * table of fewer than a few thousand rows it then read the whole table and hashed it rather than probe its
     * key ten times. The benchmark's 1,000 conversations were read in full twice a batch (the lock and the
     * summaries' UPDATE); with the probes, 8 clients sent 3,835–5,288 messages/s in eleven runs instead of
     * 2,994–3,066 and PostgreSQL's CPU per message fell from 0.22–0.23 to 0.10–0.17 ms (docs/performance.md).
     */
    private static HikariDataSource writerPool(String jdbcUrl) {
        HikariConfig config = poolConfig(jdbcUrl, "parley-writer", 1);
        config.setConnectionInitSql("SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off");
        return new HikariDataSource(config);
    }

    private static Database migrated(Database database) {
        RewordedMigrations.accept(database.dataSource);
        Flyway.configure().dataSource(database.dataSource).load().migrate();
        return database;
    }

    /**
     * Accepts a JDBC URL as it is, and turns the common {@code postgres://user:password@host:port/db}
     * form into one, so that the URL a hosting provider hands out works unchanged.
     */
    static String jdbcUrl(String url) {
        if (url.startsWith("jdbc:")) {
            return url;
        }
        URI uri = URI.create(url);
        if (!"postgres".equals(uri.getScheme()) && !"postgresql".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the database URL must start with jdbc:postgresql:// or postgres://");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        if (uri.getRawUserInfo() != null) {
            String[] user = uri.getRawUserInfo().split(":", 2);
            query = (query.isEmpty() ? "" : query + "&") + "user=" + user[0] + (user.length > 1 ? "&password=" + user[1] : "");
        }
        return query.isEmpty() ? jdbc.toString() : jdbc.append('?').append(query).toString();
    }

    /** A connection of its own, outside the pool: for a {@code LISTEN} held for the node's lifetime. */
    public Connection dedicatedConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl());
    }

    /** Where the database is, e.g. for pgbench to run against the same one. */
    public String jdbcUrl() {
        return dataSource.getJdbcUrl();
    }

    /** Runs {@code work} in one transaction: everything it writes commits together or not at all. */
    @Override
    public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        return jdbi.inTransaction(work);
    }

    @Override
    public <T> T inTransactionDeferring(DeferringWork<T> work) {
        return inTransactionDeferring(jdbi, work);
    }

    private static <T> T inTransactionDeferring(Jdbi jdbi, DeferringWork<T> work) {
        return jdbi.inTransaction(handle -> {
            Deferred deferred = new Deferred();
            T result = work.run(handle, deferred);
            deferred.write(handle);
            return result;
        });
    }

    /** Transactions on the group-commit writer's own connection ({@link #writerPool}), for that writer only. */
    Transactions writer() {
        return writer;
    }

    /** Runs a read outside any explicit transaction. */
    public <T, X extends Exception> T read(HandleCallback<T, X> work) throws X {
        return jdbi.withHandle(work);
    }

    /** Checks that the database answers; used by the readiness probe. */
    public boolean answers() {
        try (Handle handle = jdbi.open()) {
            return handle.createQuery("SELECT 1").mapTo(Integer.class).one() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        writerSource.close();
        dataSource.close();
        if (embedded != null) {
            writeback.close();
            closeQuietly(embedded, null);
        }
    }

    private static void closeQuietly(EmbeddedPostgres embedded, RuntimeException cause) {
        try {
            embedded.close();
        } catch (IOException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            } else {
                throw new UncheckedIOException("could not stop the embedded PostgreSQL", e);
            }
        }
    }
}
