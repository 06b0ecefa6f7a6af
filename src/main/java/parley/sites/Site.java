package parley.sites;

import java.time.Instant;

/** A business: every conversation, message and event belongs to exactly one. */
public record Site(SiteId id, String displayName, Instant createdAt) {
}
