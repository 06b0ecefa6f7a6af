package parley.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.errors.ApiException;

/**
 * Shares one commit among concurrent writers (DESIGN.md section 7). Work submitted while a batch is being
 * committed waits in a queue; one writer thread then runs everything queued, in arrival order, in one
 * transaction and one commit, and only after that commit answers each caller. Every answered write is
 * therefore committed, and the fsync is paid once per batch instead of once per request.
 *
 * <p>Rows that work defers ({@link #inTransactionDeferring}) are written for the whole batch at once, before
 * its commit, or earlier when work that does not defer comes next in the batch (it may read them). Each run of
 * deferring work first announces what it will lock, and its {@link Deferred} kinds lock that with one
 * statement each, so that a batch of sends to many conversations costs a few statements, not one per send.
 *
 * <p>Failure isolation. Work may throw an {@link ApiException} only before it has written or deferred anything
 * (an unknown conversation, a reused idempotency key): that caller gets its error and the batch goes on.
 * Any other failure (a SQL error, a deadlock with another node) rolls the whole batch back, and each of
 * its callers then runs its work alone in a transaction of its own, so an error fails only the request
 * that causes it.
 *
 * @implNote One writer per node: batches of one node never wait on each other's row locks.
 */
public final class GroupCommit implements Transactions, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
    static final int MAX_BATCH = 128;

    private final Database database;
    private final LinkedBlockingQueue<Item<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    public GroupCommit(Database database) {
        this.database = database;
        this.writer = Thread.ofPlatform().name("parley-group-commit").daemon().start(this::writeBatches);
    }

    /** {@code defers}: whether the work may leave rows pending; work that does not first sees them written. */
    private record Item<T>(DeferringWork<T> work, boolean defers, CompletableFuture<Outcome<T>> outcome) {
    }

    /** What a batch did with one item: its result, its own error, or "run alone" after a batch rollback. */
    private sealed interface Outcome<T> {
    }

    private record Done<T>(T result) implements Outcome<T> {
    }

    private record Failed<T>(ApiException error) implements Outcome<T> {
    }

    private record RunAlone<T>() implements Outcome<T> {
    }

    @Override
    public <T> T inTransaction(HandleCallback<T, RuntimeException> work) {
        return submit((handle, deferred) -> work.withHandle(handle), false);
    }

    @Override
    public <T> T inTransactionDeferring(DeferringWork<T> work) {
        return submit(work, true);
    }

    private <T> T submit(DeferringWork<T> work, boolean defers) {
        if (closed) {
            throw new IllegalStateException("group commit is closed");
        }
        Item<T> item = new Item<>(work, defers, new CompletableFuture<>());
        queue.add(item);
        if (closed && queue.remove(item)) {
            return database.inTransactionDeferring(work); // closed while we queued, after the writer's last drain
        }
        Outcome<T> outcome;
        try {
            outcome = item.outcome().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a commit", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("group commit failed", e.getCause());
        }
        return switch (outcome) {
            case Done<T> done -> done.result();
            case Failed<T> failed -> throw failed.error();
            case RunAlone<T> ignored -> database.inTransactionDeferring(work);
        };
    }

    private void writeBatches() {
        List<Item<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            commit(batch);
            batch.clear();
        }
        answerRunAlone();
    }

    private void answerRunAlone() {
        for (Item<?> item = queue.poll(); item != null; item = queue.poll()) {
            item.outcome().complete(new RunAlone<>());
        }
    }

    private void commit(List<Item<?>> batch) {
        List<Runnable> answers = new ArrayList<>(batch.size());
        try {
            database.writer().inTransaction(handle -> {
                Deferred deferred = new Deferred();
                for (int i = 0; i < batch.size(); i++) {
                    Item<?> item = batch.get(i);
                    if (!item.defers()) {
                        deferred.write(handle);
                    } else if (i == 0 || !batch.get(i - 1).defers()) {
                        announce(batch, i, deferred);
                        deferred.prepare(handle);
                    }
                    answers.add(run(item, handle, deferred));
                }
                deferred.writeAndCommit(handle);
                return null;
            });
        } catch (RuntimeException e) {
            log.debug("a batch of {} rolled back; each runs alone", batch.size(), e);
            batch.forEach(item -> item.outcome().complete(new RunAlone<>()));
            return;
        }
        answers.forEach(Runnable::run); // only now, after the commit
    }

    /** Announces the work of the run of deferring items that starts at {@code from}, up to one that does not defer. */
    private static void announce(List<Item<?>> batch, int from, Deferred deferred) {
        for (int i = from; i < batch.size() && batch.get(i).defers(); i++) {
            batch.get(i).work().announce(deferred);
        }
    }

    private static <T> Runnable run(Item<T> item, Handle handle, Deferred deferred) {
        try {
            T result = item.work().run(handle, deferred);
            return () -> item.outcome().complete(new Done<>(result));
        } catch (ApiException e) {
            return () -> item.outcome().complete(new Failed<>(e));
        }
    }

    /** How many callers wait for a batch to start; for tests that need a batch of a known makeup. */
    int waiting() {
        return queue.size();
    }

    /** Stops the writer once its batch is committed; whoever still waits runs alone. Close before the database. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        answerRunAlone();
    }
}
