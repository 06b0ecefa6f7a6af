package parley.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.errors.Conflict;
import parley.sites.SiteId;
import parley.storage.Deferred;
import parley.storage.Transactions;
import parley.web.Json;

/**
 * Runs a create call at most once per key and caller. The first request records what it produced in its own
 * transaction; a retry recalls that result. Two concurrent requests with one key both do the work,
 * but the unique key lets only one commit: the other rolls back and answers with the winner's result. A key
 * belongs to the caller that sent it: another caller's same key is another key, so no caller can recall
 * what someone else created; and a recalled result is authorized again ({@link Work#recall}).
 */
public final class Idempotency {
    private final Transactions transactions;
    private final Clock clock;

    /** Runs its work through {@code transactions}: the database, or a group commit for hot paths. */
    public Idempotency(Transactions transactions, Clock clock) {
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What an idempotent call does (it may defer rows, see {@link Deferred}); how its result is kept and recalled. */
    public interface Work<T> extends Transactions.DeferringWork<T> {
        JsonNode remember(T result);

        /** The remembered result, if the caller may still see it (else the error it would get now). */
        T recall(Handle handle, JsonNode remembered);
    }

    /** Runs {@code work} in one transaction; with a key ({@code key} may be empty), at most once per caller. */
    public <T> T inTransaction(Caller caller, String operation, Optional<IdempotencyKey> key, Work<T> work) {
        SiteId site = caller.site();
        String principal = caller.principal();
        if (key.isEmpty()) {
            return transactions.inTransactionDeferring(work);
        }
        IdempotencyKey idempotencyKey = key.get();
        try {
            return transactions.inTransactionDeferring(new Transactions.DeferringWork<>() {
                @Override
                public T run(Handle handle, Deferred deferred) {
                    Optional<JsonNode> previous = previous(handle, site, principal, operation, idempotencyKey);
                    if (previous.isPresent()) {
                        return work.recall(handle, previous.get());
                    }
                    T result = work.run(handle, deferred);
                    if (!record(handle, site, principal, operation, idempotencyKey, work.remember(result))) {
                        throw new LostRace();
                    }
                    return result;
                }

                @Override
                public void announce(Deferred deferred) {
                    work.announce(deferred);
                }
            });
        } catch (LostRace e) {
            return transactions.inTransaction(handle -> work.recall(handle,
                    previous(handle, site, principal, operation, idempotencyKey).orElseThrow()));
        }
    }

    /** Forgets keys older than {@code retention}; run periodically, harmless on several nodes at once. */
    public int purgeOlderThan(Duration retention) {
        return transactions.inTransaction(handle -> handle.createUpdate(
                        "DELETE FROM idempotency_keys WHERE created_at < :before")
                .bind("before", clock.instant().minus(retention))
                .execute());
    }

    private static Optional<JsonNode> previous(Handle handle, SiteId site, String caller, String operation,
                                               IdempotencyKey key) {
        record Stored(String requestHash, String result) {
        }
        Optional<Stored> stored = handle.createQuery("""
                        SELECT request_hash, result::text AS result FROM idempotency_keys
                        WHERE site_id = :site AND caller = :caller AND operation = :operation AND key = :key
                        """)
                .bind("site", site.value())
                .bind("caller", caller)
                .bind("operation", operation)
                .bind("key", key.key())
                .map((rs, ctx) -> new Stored(rs.getString("request_hash"), rs.getString("result")))
                .findOne();
        if (stored.isPresent() && !stored.get().requestHash().equals(key.requestHash())) {
            throw new Conflict("IDEMPOTENCY_KEY_REUSED",
                    "this Idempotency-Key was already used with a different request");
        }
        return stored.map(s -> Json.readStored(s.result(), JsonNode.class));
    }

    private boolean record(Handle handle, SiteId site, String caller, String operation, IdempotencyKey key,
                           JsonNode result) {
        return handle.createUpdate("""
                        INSERT INTO idempotency_keys (site_id, caller, operation, key, request_hash, result, created_at)
                        VALUES (:site, :caller, :operation, :key, :hash, CAST(:result AS jsonb), :at)
                        ON CONFLICT DO NOTHING
                        """)
                .bind("site", site.value())
                .bind("caller", caller)
                .bind("operation", operation)
                .bind("key", key.key())
                .bind("hash", key.requestHash())
                .bind("result", Json.write(result))
                .bind("at", clock.instant())
                .execute() == 1;
    }

    /** Thrown inside the transaction to roll back the loser of a race for one key. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super(null, null, false, false);
        }
    }
}
