package parley.storage;

import org.jdbi.v3.core.HandleCallback;

/** Something that runs work in a transaction: the database itself, or a {@link GroupCommit} sharing one. */
public interface Transactions {
    /** Runs {@code work} in a transaction; returns once what it wrote is committed. */
    <T> T inTransaction(HandleCallback<T, RuntimeException> work);
}
