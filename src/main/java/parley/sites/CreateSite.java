package parley.sites;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.storage.Database;

/** Creates a site with its first API key. The key's text is returned once and never stored. */
public final class CreateSite {
    static final int MAX_NAME_LENGTH = 100;

    private final Database database;
    private final SiteRepository sites;
    private final Clock clock;

    CreateSite(Database database, SiteRepository sites, Clock clock) {
        this.database = database;
        this.sites = sites;
        this.clock = clock;
    }

    /** A new site and the only copy of its API key. */
    public record NewSite(Site site, String apiKey) {
    }

    public NewSite create(String displayName) {
        check(displayName);
        return database.inTransaction(handle -> insert(handle, displayName.strip()));
    }

    /** On the first start against an empty database: a default site, created by exactly one node. */
    public Optional<NewSite> createFirstSite(String displayName) {
        return database.inTransaction(handle ->
                sites.anyExists(handle) ? Optional.empty() : Optional.of(insert(handle, displayName)));
    }

    private NewSite insert(org.jdbi.v3.core.Handle handle, String displayName) {
        Site site = new Site(new SiteId(UUID.randomUUID()), displayName, clock.instant());
        ApiKey key = ApiKey.generate(site.id());
        sites.insert(handle, site);
        sites.insertKey(handle, key, null, site.createdAt());
        return new NewSite(site, key.text());
    }

    private static void check(String displayName) {
        List<FieldViolation> violations = new ArrayList<>();
        if (displayName == null || displayName.isBlank()) {
            violations.add(FieldViolation.required("displayName"));
        } else if (displayName.strip().length() > MAX_NAME_LENGTH) {
            violations.add(new FieldViolation("displayName", "must be at most " + MAX_NAME_LENGTH + " characters",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
    }
}
