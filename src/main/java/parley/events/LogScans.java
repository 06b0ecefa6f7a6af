package parley.events;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.sites.SiteId;

/**
 * How a feature reads its sites' event logs for work (business messages to email, replies to hand to connectors):
 * a table of its own holds, per site, the position read to; a node takes the sites that are behind, under
 * {@code FOR UPDATE SKIP LOCKED} so that each stretch of a log is read by one node, and moves the position on in the
 * same transaction as the work it found.
 */
public final class LogScans {
    static final int BATCH = 1000;
    static final int SITES = 50;

    private LogScans() {
    }

    /** Events ({@code from}, {@code to}] of a site's log. */
    public record Scan(SiteId site, long from, long to) {
    }

    /**
     * Up to {@link #BATCH} new events of each of up to {@link #SITES} sites of {@code table} (a table with
     * {@code site_id} and {@code scanned_to}, named by the feature, never by a request), skipping sites another node
     * is reading.
     */
    public static List<Scan> due(Handle handle, String table) {
        return handle.createQuery("""
                        SELECT s.site_id, s.scanned_to, LEAST(h.last_position, s.scanned_to + :batch) AS scan_to
                        FROM %s s
                        JOIN event_log_heads h ON h.site_id = s.site_id
                        WHERE s.scanned_to < h.last_position
                        LIMIT :limit
                        FOR UPDATE OF s SKIP LOCKED
                        """.formatted(table))
                .bind("batch", BATCH)
                .bind("limit", SITES)
                .map((rs, ctx) -> new Scan(new SiteId(rs.getObject("site_id", UUID.class)), rs.getLong("scanned_to"),
                        rs.getLong("scan_to")))
                .list();
    }

    /** The scan's events are read: the next scan of its site starts after them. */
    public static void done(Handle handle, String table, Scan scan) {
        handle.createUpdate("UPDATE %s SET scanned_to = :to WHERE site_id = :site".formatted(table))
                .bind("to", scan.to())
                .bind("site", scan.site().value())
                .execute();
    }
}
