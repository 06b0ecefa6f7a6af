package parley.sites;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** SQL for sites and their keys. */
final class SiteRepository {
    void insert(Handle handle, Site site) {
        handle.createUpdate("""
                INSERT INTO sites (site_id, display_name, created_at)
                VALUES (:site, :name, :at)
                """)
                .bind("site", site.id().value())
                .bind("name", site.displayName())
                .bind("at", site.createdAt())
                .execute();
        handle.createUpdate("INSERT INTO event_log_heads (site_id, last_position) VALUES (:site, 0)")
                .bind("site", site.id().value())
                .execute();
    }

    void insertKey(Handle handle, ApiKey key, Instant at) {
        handle.createUpdate("""
                INSERT INTO api_keys (site_id, key_id, secret_hash, created_at)
                VALUES (:site, :key, :hash, :at)
                """)
                .bind("site", key.site().value())
                .bind("key", key.keyId())
                .bind("hash", key.secretHash())
                .bind("at", at)
                .execute();
    }

    Optional<byte[]> keyHash(Handle handle, SiteId site, UUID keyId) {
        return handle.createQuery("SELECT secret_hash FROM api_keys WHERE site_id = :site AND key_id = :key")
                .bind("site", site.value())
                .bind("key", keyId)
                .mapTo(byte[].class)
                .findOne();
    }

    Optional<Site> find(Handle handle, SiteId site) {
        return handle.createQuery("SELECT site_id, display_name, created_at FROM sites WHERE site_id = :site")
                .bind("site", site.value())
                .map((rs, ctx) -> new Site(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getString("display_name"), rs.getTimestamp("created_at").toInstant()))
                .findOne();
    }

    /** Serializes first starts of several nodes on one empty database. */
    boolean anyExists(Handle handle) {
        handle.execute("SELECT pg_advisory_xact_lock(hashtext('parley.sites.first-start'))");
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM sites)").mapTo(Boolean.class).one();
    }
}
