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

    /** {@code channel}: the channel a connector's key is limited to, or null for a key of the whole site. */
    void insertKey(Handle handle, ApiKey key, UUID channel, Instant at) {
        handle.createUpdate("""
                INSERT INTO api_keys (site_id, key_id, secret_hash, channel_id, created_at)
                VALUES (:site, :key, :hash, CAST(:channel AS uuid), :at)
                """)
                .bind("site", key.site().value())
                .bind("key", key.keyId())
                .bind("hash", key.secretHash())
                .bind("channel", channel == null ? null : channel.toString())
                .bind("at", at)
                .execute();
    }

    /** A key as stored: the hash of its secret, and the channel it is limited to (nullable). */
    record StoredKey(byte[] secretHash, UUID channel) {
    }

    Optional<StoredKey> key(Handle handle, SiteId site, UUID keyId) {
        return handle.createQuery("SELECT secret_hash, channel_id FROM api_keys WHERE site_id = :site AND key_id = :key")
                .bind("site", site.value())
                .bind("key", keyId)
                .map((rs, ctx) -> new StoredKey(rs.getBytes("secret_hash"), rs.getObject("channel_id", UUID.class)))
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
