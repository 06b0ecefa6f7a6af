package parley.sites;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.UUID;
import parley.storage.Database;

/** The sites feature, wired: its actions and the reads other features may use. */
public final class Sites {
    private final Database database;
    private final SiteRepository repository = new SiteRepository();
    private final CreateSite createSite;
    private final Clock clock;
    private final Map<String, Verified> verifiedKeys = new ConcurrentHashMap<>();
    static final Duration KEY_CACHE_TTL = Duration.ofSeconds(30);
    /** How long before its expiry a busy key is checked again, by one request, while the others trust it. */
    static final Duration KEY_REFRESH_AHEAD = Duration.ofSeconds(10);
    private static final int KEY_CACHE_SIZE = 10_000;

    private Sites(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.createSite = new CreateSite(database, repository, clock);
    }

    public static Sites wire(Database database, Clock clock) {
        return new Sites(database, clock);
    }

    public CreateSite createSite() {
        return createSite;
    }

    public Optional<Site> find(SiteId site) {
        return database.read(handle -> repository.find(handle, site));
    }

    /** The installation's oldest site: the one the first start created, and the demo page shows. */
    public Optional<SiteId> first() {
        return database.read(handle -> handle.createQuery("SELECT site_id FROM sites ORDER BY created_at LIMIT 1")
                .mapTo(java.util.UUID.class).findOne().map(SiteId::new));
    }

    /** What a valid key may do: act for its whole site, or, a connector's key, for one channel only. */
    public record Grant(UUID channel) {
        public boolean wholeSite() {
            return channel == null;
        }
    }

    /**
     * A key found valid until {@code until}, with its grant; {@code refreshing} is taken by the one request that
     * checks it again.
     */
    private record Verified(Grant grant, Instant until, AtomicBoolean refreshing) {
    }

    /**
     * Whether this key's secret is the stored one of its own site; compared in constant time. A key found
     * valid is remembered for {@link #KEY_CACHE_TTL}, which spares a query on every request. In the last
     * {@link #KEY_REFRESH_AHEAD} of that time, the first request checks it again while every other one goes
     * on trusting it, so a busy key never expires for all its requests at once: when it did, every request
     * in flight (128 in the benchmark) queried the database in the same instant, and sends stalled for tens
     * of milliseconds every 30 seconds.
     *
     * @implNote Keys cannot be revoked yet; when they can, a revoked key may keep working on a node for
     *     up to the cache's lifetime.
     */
    public Optional<Grant> grant(ApiKey key) {
        Instant now = clock.instant();
        Verified verified = verifiedKeys.get(key.text());
        if (verified == null || !now.isBefore(verified.until())) {
            return verify(key, now);
        }
        boolean refresh = now.isAfter(verified.until().minus(KEY_REFRESH_AHEAD))
                && verified.refreshing().compareAndSet(false, true);
        return refresh ? verify(key, now) : Optional.of(verified.grant());
    }

    private Optional<Grant> verify(ApiKey key, Instant now) {
        String text = key.text();
        Optional<Grant> grant = database.read(handle -> repository.key(handle, key.site(), key.keyId()))
                .filter(stored -> MessageDigest.isEqual(stored.secretHash(), key.secretHash()))
                .map(stored -> new Grant(stored.channel()));
        if (grant.isEmpty()) {
            verifiedKeys.remove(text);
            return grant;
        }
        if (verifiedKeys.size() >= KEY_CACHE_SIZE) {
            verifiedKeys.clear();
        }
        verifiedKeys.put(text, new Verified(grant.get(), now.plus(KEY_CACHE_TTL), new AtomicBoolean()));
        return grant;
    }

    /** A new key for the connector of {@code channel} (its existence is the caller's to check); shown only now. */
    public String createChannelKey(SiteId site, UUID channel) {
        ApiKey key = ApiKey.generate(site);
        database.inTransaction(handle -> {
            repository.insertKey(handle, key, channel, clock.instant());
            return null;
        });
        return key.text();
    }
}
