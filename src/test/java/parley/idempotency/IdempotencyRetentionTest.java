package parley.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.TestParley;
import parley.auth.Caller;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.storage.Deferred;
import parley.web.Json;

/** Keys are kept at least 24 hours, then the hourly purge forgets them. */
class IdempotencyRetentionTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration RETENTION = Duration.ofHours(24);

    private final Database database = Database.open(null, TestParley.freshDataDir(), 2);
    private final Caller caller = new Caller(new SiteId(UUID.randomUUID()), new Caller.App(UUID.randomUUID()));
    private final Optional<IdempotencyKey> key = IdempotencyKey.from("k", Json.MAPPER.createObjectNode());
    private final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void close() {
        database.close();
    }

    private int call(Instant at) {
        return new Idempotency(database, Clock.fixed(at, ZoneOffset.UTC)).inTransaction(caller, "test", key,
                new Idempotency.Work<>() {
                    @Override
                    public Integer run(Handle handle, Deferred deferred) {
                        return runs.incrementAndGet();
                    }

                    @Override
                    public JsonNode remember(Integer result) {
                        return Json.MAPPER.getNodeFactory().numberNode(result);
                    }

                    @Override
                    public Integer recall(Handle handle, JsonNode remembered) {
                        return remembered.asInt();
                    }
                });
    }

    private void purgeAt(Instant at) {
        new Idempotency(database, Clock.fixed(at, ZoneOffset.UTC)).purgeOlderThan(RETENTION);
    }

    @Test
    void aKeyIsKeptForTwentyFourHoursAndForgottenAfter() {
        assertThat(call(T0)).isEqualTo(1);

        purgeAt(T0.plus(RETENTION).minusSeconds(1));
        assertThat(call(T0.plus(RETENTION).minusSeconds(1))).isEqualTo(1);

        purgeAt(T0.plus(RETENTION).plusSeconds(1));
        assertThat(call(T0.plus(RETENTION).plusSeconds(1))).isEqualTo(2);
    }
}
