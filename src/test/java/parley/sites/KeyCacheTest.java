package parley.sites;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.TestParley;
import parley.storage.Database;

/** Verified API keys are remembered, and checked again by one request before they would expire. */
class KeyCacheTest {
    private final Database database = Database.open(TestParley.get().databaseUrl(), null, 2);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final Sites sites = Sites.wire(database, clock);
    private final ApiKey key = ApiKey.parse(sites.createSite().create("Key cache").apiKey()).orElseThrow();

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aKeyIsTrustedUntilItsRefreshWindowThenCheckedAgain() {
        assertThat(sites.grant(key).isPresent()).isTrue();
        storeAnotherSecret();

        clock.set(clock.instant().plus(Sites.KEY_CACHE_TTL.minus(Sites.KEY_REFRESH_AHEAD).minusSeconds(1)));
        assertThat(sites.grant(key).isPresent()).as("remembered: no query").isTrue();

        clock.set(clock.instant().plusSeconds(2)); // inside the refresh window, before the expiry
        assertThat(sites.grant(key).isPresent()).as("the request that refreshes sees the change").isFalse();
        assertThat(sites.grant(key).isPresent()).as("and so does every later one").isFalse();
    }

    @Test
    void aRefreshedKeyStaysValidPastItsFirstExpiry() {
        Instant verifiedAt = clock.instant();
        assertThat(sites.grant(key).isPresent()).isTrue();
        clock.set(verifiedAt.plus(Sites.KEY_CACHE_TTL).minusSeconds(1));
        assertThat(sites.grant(key).isPresent()).isTrue(); // checked again, valid for another full lifetime
        storeAnotherSecret();

        clock.set(verifiedAt.plus(Sites.KEY_CACHE_TTL).plusSeconds(1));
        assertThat(sites.grant(key).isPresent()).as("still remembered from the refresh").isTrue();
    }

    private void storeAnotherSecret() {
        database.inTransaction(handle -> handle.createUpdate("UPDATE api_keys SET secret_hash = '\\x00' WHERE key_id = :key")
                .bind("key", key.keyId()).execute());
    }

    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
