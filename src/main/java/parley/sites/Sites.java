package parley.sites;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import parley.storage.Database;

/** The sites feature, wired: its actions and the reads other features may use. */
public final class Sites {
    private final Database database;
    private final SiteRepository repository = new SiteRepository();
    private final CreateSite createSite;
    private final Clock clock;
    private final Map<String, Instant> verifiedKeys = new ConcurrentHashMap<>();
    static final Duration KEY_CACHE_TTL = Duration.ofSeconds(30);
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

    /**
     * Whether this key's secret is the stored one of its own site; compared in constant time. A key found
     * valid is remembered for {@link #KEY_CACHE_TTL}, which spares a query on every request.
     *
     * @implNote Keys cannot be revoked yet; when they can, a revoked key may keep working on a node for
     *     up to the cache's lifetime.
     */
    public boolean isValid(ApiKey key) {
        String text = key.text();
        Instant now = clock.instant();
        Instant validUntil = verifiedKeys.get(text);
        if (validUntil != null && now.isBefore(validUntil)) {
            return true;
        }
        boolean valid = database.read(handle -> repository.keyHash(handle, key.site(), key.keyId()))
                .map(stored -> MessageDigest.isEqual(stored, key.secretHash()))
                .orElse(false);
        if (valid) {
            if (verifiedKeys.size() >= KEY_CACHE_SIZE) {
                verifiedKeys.clear();
            }
            verifiedKeys.put(text, now.plus(KEY_CACHE_TTL));
        }
        return valid;
    }
}
