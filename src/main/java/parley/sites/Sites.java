package parley.sites;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import parley.storage.Database;

/** The sites feature, wired: its actions and the reads other features may use. */
public final class Sites {
    private final Database database;
    private final SiteRepository repository = new SiteRepository();
    private final CreateSite createSite;

    private Sites(Database database, Clock clock) {
        this.database = database;
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

    /** Whether this key's secret is the stored one of its own site; compared in constant time. */
    public boolean isValid(ApiKey key) {
        return database.read(handle -> repository.keyHash(handle, key.site(), key.keyId()))
                .map(stored -> MessageDigest.isEqual(stored, key.secretHash()))
                .orElse(false);
    }
}
