package parley.sites;

import java.util.UUID;

/** A site (tenant) id; the first column of every key in the database. */
public record SiteId(UUID value) {
    public SiteId {
        java.util.Objects.requireNonNull(value);
    }

    /** A site id from input; anything but a GUID names no site. */
    public static java.util.Optional<SiteId> parse(String id) {
        try {
            return java.util.Optional.of(new SiteId(UUID.fromString(id)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
