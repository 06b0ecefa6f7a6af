package parley.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import parley.TestParley;
import parley.errors.NotFound;

/**
 * Grouped commits: answers only after the commit, and an error in one member of a batch fails only that
 * member. The writer is held inside a first item while the others queue, so the next batch is known.
 */
class GroupCommitTest {
    private final Database database = Database.open(null, TestParley.freshDataDir(), 4);
    private final GroupCommit group = new GroupCommit(database);
    private final CountDownLatch writerHeld = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    GroupCommitTest() {
        database.inTransaction(h -> h.execute("CREATE TABLE probe (n integer PRIMARY KEY)"));
    }

    @AfterEach
    void close() {
        group.close();
        database.close();
    }

    /** One caller of the group commit. */
    private interface Call extends Function<GroupCommit, Integer> {
    }

    private static Call plain(HandleCallback<Integer, RuntimeException> work) {
        return group -> group.inTransaction(work);
    }

    private CompletableFuture<Integer> submit(Call call) {
        return CompletableFuture.supplyAsync(() -> call.apply(group), Executors.newVirtualThreadPerTaskExecutor());
    }

    /** Inserts {@code n} and answers the id of the transaction that did it. */
    private static HandleCallback<Integer, RuntimeException> insert(int n) {
        return h -> {
            h.createUpdate("INSERT INTO probe (n) VALUES (:n)").bind("n", n).execute();
            return h.createQuery("SELECT txid_current()::integer").mapTo(Integer.class).one();
        };
    }

    private int holderTransaction;
    /** Queues {@code works} in order behind a first item that holds the writer, then lets them run as one batch. */
    private List<CompletableFuture<Integer>> oneBatchOf(List<Call> works) throws Exception {
        CompletableFuture<Integer> holder = submit(plain(h -> {
            writerHeld.countDown();
            awaitRelease();
            return insert(0).withHandle(h);
        }));
        writerHeld.await();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (Call work : works) { // one at a time, so that they queue in this order
            futures.add(submit(work));
            while (group.waiting() < futures.size()) {
                Thread.onSpinWait();
            }
        }
        release.countDown();
        holderTransaction = holder.get();
        return futures;
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Integer> stored() {
        return database.read(h -> h.createQuery("SELECT n FROM probe ORDER BY n").mapTo(Integer.class).list());
    }

    @Test
    void aFailingSqlStatementFailsOnlyItsOwnCaller() throws Exception {
        List<CompletableFuture<Integer>> futures = oneBatchOf(List.of(plain(insert(1)), plain(insert(2)),
                plain(h -> h.createUpdate("INSERT INTO no_such_table VALUES (1)").execute()), plain(insert(3))));

        assertThatThrownBy(() -> futures.get(2).get()).isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("no_such_table");
        // the batch rolled back; each of the others then committed alone, in a transaction of its own
        assertThat(List.of(futures.get(0).get(), futures.get(1).get(), futures.get(3).get()))
                .doesNotHaveDuplicates();
        assertThat(stored()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aRefusalBeforeAnyWriteFailsItsCallerAndTheBatchStillCommits() throws Exception {
        List<CompletableFuture<Integer>> futures = oneBatchOf(List.of(plain(insert(1)), plain(h -> {
            throw new NotFound("CONVERSATION_NOT_FOUND", "conversation not found");
        }), plain(insert(2))));

        assertThatThrownBy(() -> futures.get(1).get()).hasCauseInstanceOf(NotFound.class);
        // the others were not disturbed: they committed together, in the batch's one transaction
        assertThat(futures.get(2).get()).isEqualTo(futures.get(0).get()).isNotEqualTo(holderTransaction);
        assertThat(stored()).containsExactly(0, 1, 2);
    }

    @Test
    void anAnswerMeansTheWriteIsCommitted() {
        group.inTransaction(insert(7));

        assertThat(stored()).containsExactly(7); // read on another connection, outside any batch
    }

    @Test
    void theWriterPlansItsStatementsOnceAndThePoolAsPostgreSQLChooses() {
        HandleCallback<String, RuntimeException> mode = h -> h.createQuery("SHOW plan_cache_mode").mapTo(String.class).one();

        assertThat(group.inTransaction(mode)).isEqualTo("force_generic_plan");
        assertThat(database.inTransaction(mode)).isEqualTo("auto");
    }

    /** Defers the probe row {@code n}; answers its transaction's id. */
    private static Call deferring(int n) {
        return group -> group.inTransactionDeferring((h, deferred) -> {
            deferred.rows(ProbeRows.class, ProbeRows::new).values.add(n);
            return h.createQuery("SELECT txid_current()::integer").mapTo(Integer.class).one();
        });
    }

    private static final class ProbeRows implements Deferred.Rows {
        private final List<Integer> values = new ArrayList<>();

        @Override
        public void write(Writes writes) {
            values.forEach(n -> writes.with("INSERT INTO probe (n) VALUES (?)", binder -> binder.bigint(n)));
        }
    }

    @Test
    void deferredRowsAreWrittenBeforeWorkThatDoesNotDeferAndBeforeTheCommit() throws Exception {
        List<CompletableFuture<Integer>> futures = oneBatchOf(List.of(deferring(1), deferring(2),
                plain(h -> h.createQuery("SELECT count(*)::integer FROM probe").mapTo(Integer.class).one()),
                deferring(3)));

        assertThat(futures.get(2).get()).isEqualTo(3); // the holder's row, then 1 and 2, written before it read
        assertThat(futures.get(3).get()).isEqualTo(futures.get(0).get()); // one batch, one transaction
        assertThat(stored()).containsExactly(0, 1, 2, 3);
    }

    /** Announces itself to {@link Announced}; answers how many were announced when it was prepared. */
    private static Call announcing() {
        return group -> group.inTransactionDeferring(new Transactions.DeferringWork<>() {
            @Override
            public Integer run(Handle h, Deferred deferred) {
                return deferred.rows(Announced.class, Announced::new).preparedWith;
            }

            @Override
            public void announce(Deferred deferred) {
                deferred.rows(Announced.class, Announced::new).announced++;
            }
        });
    }

    private static final class Announced implements Deferred.Rows {
        private int announced;
        private int preparedWith = -1;

        @Override
        public void prepare(Handle handle) {
            preparedWith = announced;
        }

        @Override
        public void write(Writes writes) {
        }
    }

    @Test
    void eachRunOfDeferringWorkIsAnnouncedAndPreparedAsAWholeBeforeAnyOfItRuns() throws Exception {
        List<CompletableFuture<Integer>> futures = oneBatchOf(List.of(announcing(), announcing(), announcing(),
                plain(h -> 0), announcing()));

        assertThat(List.of(futures.get(0).get(), futures.get(1).get(), futures.get(2).get())).containsOnly(3);
        assertThat(futures.get(4).get()).isEqualTo(1); // after work that does not defer, a new run
    }

    @Test
    void theLastDeferredWriteCommitsInTheSameRoundTrip() {
        database.inTransaction(h -> {
            Deferred deferred = new Deferred();
            deferred.rows(ProbeRows.class, ProbeRows::new).values.add(5);
            deferred.writeAndCommit(h);

            // before the transaction's own commit: nothing is left open, and another connection sees the row
            assertThat(transactionState(h)).isEqualTo(TransactionState.IDLE);
            assertThat(storedSeenElsewhere()).containsExactly(5);
            return null;
        });
        assertThat(stored()).containsExactly(5);
    }

    @Test
    void aFailingLastWriteCommitsNothingOfItsTransaction() {
        assertThatThrownBy(() -> database.inTransaction(h -> {
            insert(1).withHandle(h);
            Deferred deferred = new Deferred();
            deferred.rows(ProbeRows.class, ProbeRows::new).values.add(1); // a duplicate of the row just inserted
            deferred.writeAndCommit(h);
            return null;
        })).hasStackTraceContaining("probe_pkey");
        assertThat(stored()).isEmpty();
    }

    /** The stored rows as a connection outside JDBI sees them (JDBI would reuse this thread's open handle). */
    private List<Integer> storedSeenElsewhere() {
        try (Connection connection = database.dedicatedConnection();
                ResultSet rows = connection.createStatement().executeQuery("SELECT n FROM probe ORDER BY n")) {
            List<Integer> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getInt(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TransactionState transactionState(Handle h) {
        try {
            return h.getConnection().unwrap(BaseConnection.class).getTransactionState();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDeferredRowThatFailsFailsOnlyItsOwnCaller() throws Exception {
        List<CompletableFuture<Integer>> futures = oneBatchOf(List.of(deferring(1), deferring(0), deferring(2)));

        // 0 is the holder's row: the batch's deferred write fails, and each caller then runs alone
        assertThatThrownBy(() -> futures.get(1).get()).hasStackTraceContaining("probe_pkey");
        assertThat(futures.get(0).get()).isNotEqualTo(futures.get(2).get());
        assertThat(stored()).containsExactly(0, 1, 2);
    }
}
