package parley.sites;

import java.util.UUID;

/** A site (tenant) id; the first column of every key in the database. */
public record SiteId(UUID value) {
    public SiteId {
        java.util.Objects.requireNonNull(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
