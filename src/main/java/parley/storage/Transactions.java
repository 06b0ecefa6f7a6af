package parley.storage;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

/** Something that runs work in a transaction: the database itself, or a {@link GroupCommit} sharing one. */
public interface Transactions {
    /** Runs {@code work} in a transaction; returns once what it wrote is committed. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> work);

    /**
     * Runs {@code work} in a transaction and writes what it deferred before the commit, possibly together
     * with the deferred rows of other work sharing the commit; returns once all of it is committed.
     */
    <T> T inTransactionDeferring(DeferringWork<T> work);

    /** Work that leaves some of its rows in {@code deferred} (see {@link Deferred} for the one rule). */
    interface DeferringWork<T> {
        T run(Handle handle, Deferred deferred);

        /**
         * Says, without touching the database, what the work will lock: a group commit announces all its
         * work before any of it runs and then locks for all of it at once ({@link Deferred.Rows#prepare}).
         * Only a hint: what was not announced is locked when the work asks for it.
         */
        default void announce(Deferred deferred) {
        }
    }
}
