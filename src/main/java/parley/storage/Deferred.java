package parley.storage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Rows a transaction writes at its end rather than when it makes them, gathered by kind so that each kind
 * writes all of its rows at once, and all kinds in one statement ({@link Writes}). Under {@link GroupCommit}
 * every send of a batch defers its message, event, contact-activity and conversation-summary rows here, and
 * the batch writes them all with one statement instead of four per message: on this hardware a statement
 * costs PostgreSQL far more than a row. A kind may also read ahead: what the batch's work announced
 * ({@link Transactions.DeferringWork#announce}) is locked for all of it in one statement before it runs.
 *
 * <p>Deferred rows are invisible until written, so work that defers ({@link Transactions#inTransactionDeferring})
 * must never read rows of the kinds it or other deferring work defers. Work that does not defer may read
 * anything: the group commit writes what is pending before running it.
 */
public final class Deferred {
    /** Pending rows of one kind. */
    public interface Rows {
        /** Locks or reads what work announced, before that work runs; may be called again after more is announced. */
        default void prepare(Handle handle) {
        }

        /** Adds the writes of every pending row to the statement; called once, after which the rows are forgotten. */
        void write(Writes writes);
    }

    private final Map<Class<? extends Rows>, Rows> pending = new LinkedHashMap<>();

    /** The pending rows of {@code kind}, created by {@code empty} when there are none yet. */
    public <R extends Rows> R rows(Class<R> kind, Supplier<R> empty) {
        return kind.cast(pending.computeIfAbsent(kind, k -> empty.get()));
    }

    /** Lets every kind read ahead what was announced to it. */
    public void prepare(Handle handle) {
        pending.values().forEach(rows -> rows.prepare(handle));
    }

    /** Writes what is pending with one statement, kind after kind in the order each was first deferred. */
    public void write(Handle handle) {
        writes().run(handle, false);
    }

    /**
     * Writes what is pending and commits the transaction in the same round trip, as its last statement; when
     * nothing is pending the transaction's own commit follows as usual. At half the best send rate a batch
     * holds a handful of sends, and its round trips to PostgreSQL (lock, write, commit) cost more than its rows.
     * For the group commit's writer only: it owns its transaction, which no caller's transaction encloses.
     */
    void writeAndCommit(Handle handle) {
        writes().run(handle, true);
    }

    private Writes writes() {
        Writes writes = new Writes();
        pending.values().forEach(rows -> rows.write(writes));
        pending.clear();
        return writes;
    }
}
