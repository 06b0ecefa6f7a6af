package parley.contacts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import parley.sites.SiteId;
import parley.storage.Deferred;
import parley.storage.Writes;
import parley.web.Json;

/** SQL for contacts, their searchable values and their aliases. */
final class ContactRepository {
    static final String COLUMNS = """
            c.contact_id, c.revision, c.source::text AS source, c.info::text AS info, c.created_at, c.updated_at,
            c.last_activity_at, c.last_activity_type""";
    /** Past this many matches a query reports {@code tooManyToCount} instead of counting on. */
    static final int COUNT_LIMIT = 10_000;

    void insert(Handle handle, SiteId site, Contact contact) {
        handle.createUpdate("""
                        INSERT INTO contacts (site_id, contact_id, revision, source, info, created_at, updated_at,
                                              last_activity_at, last_activity_type, first_name, last_name,
                                              primary_email, company, job_title, birthdate)
                        VALUES (:site, :id, :revision, CAST(:source AS jsonb), CAST(:info AS jsonb), :created,
                                :updated, :activityAt, :activityType, :first, :last, :email, :company, :jobTitle,
                                :birthdate)
                        """)
                .bind("site", site.value())
                .bindMap(columns(contact))
                .bind("created", contact.createdDate())
                .bind("source", Json.write(contact.source()))
                .execute();
        insertValues(handle, site, contact);
    }

    /** Stores a new revision of the contact's info. */
    void update(Handle handle, SiteId site, Contact contact) {
        handle.createUpdate("""
                        UPDATE contacts SET revision = :revision, info = CAST(:info AS jsonb), updated_at = :updated,
                            last_activity_at = :activityAt, last_activity_type = :activityType, first_name = :first,
                            last_name = :last, primary_email = :email, company = :company, job_title = :jobTitle,
                            birthdate = :birthdate
                        WHERE site_id = :site AND contact_id = :id
                        """)
                .bind("site", site.value())
                .bindMap(columns(contact))
                .execute();
        handle.createUpdate("DELETE FROM contact_values WHERE site_id = :site AND contact_id = :id")
                .bind("site", site.value())
                .bind("id", contact.id())
                .execute();
        insertValues(handle, site, contact);
    }

    private static java.util.Map<String, Object> columns(Contact contact) {
        ContactInfo info = contact.info();
        java.util.Map<String, Object> columns = new java.util.HashMap<>();
        columns.put("id", contact.id());
        columns.put("revision", contact.revision());
        columns.put("info", Json.write(info));
        columns.put("updated", contact.updatedDate());
        columns.put("activityAt", contact.lastActivity().activityDate());
        columns.put("activityType", contact.lastActivity().activityType());
        columns.put("first", info.name() == null ? null : sortKey(info.name().first()));
        columns.put("last", info.name() == null ? null : sortKey(info.name().last()));
        columns.put("email", sortKey(info.primaryEmail()));
        columns.put("company", sortKey(info.company()));
        columns.put("jobTitle", sortKey(info.jobTitle()));
        columns.put("birthdate", sortKey(info.birthdate()));
        return columns;
    }

    private static String sortKey(String value) {
        return value == null || value.isBlank() ? null : ContactField.comparable(value);
    }

    private static void insertValues(Handle handle, SiteId site, Contact contact) {
        List<ContactField.Value> values = contact.info().searchValues();
        if (values.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO contact_values (site_id, field, value, contact_id, number)
                VALUES (:site, :field, :value, :id, CAST(:number AS double precision))
                ON CONFLICT DO NOTHING
                """);
        for (ContactField.Value value : values) {
            batch.bind("site", site.value()).bind("field", value.field()).bind("value", value.value())
                    .bind("id", contact.id()).bind("number", value.number()).add();
        }
        batch.execute();
    }

    /** How {@link #find} locks the row it reads. */
    enum Lock {
        NONE(""), SHARE(" FOR SHARE"), UPDATE(" FOR UPDATE");

        final String sql;

        Lock(String sql) {
            this.sql = sql;
        }
    }

    /** The contact, following a merged-away id to its survivor (wix-compatibility 7.3). */
    Optional<Contact> find(Handle handle, SiteId site, UUID id, Lock lock) {
        return handle.createQuery("SELECT " + COLUMNS + """
                         FROM contacts c
                        WHERE c.site_id = :site AND c.contact_id = COALESCE(
                            (SELECT contact_id FROM contact_aliases WHERE site_id = :site AND alias_id = :id), :id)
                        """ + lock.sql)
                .bind("site", site.value())
                .bind("id", id)
                .map((rs, ctx) -> contact(rs))
                .findOne();
    }

    /** Another contact that already has one of {@code values} in {@code field}, if any. */
    Optional<UUID> holderOf(Handle handle, SiteId site, String field, List<String> values, UUID except) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        return handle.createQuery("""
                        SELECT contact_id FROM contact_values
                        WHERE site_id = :site AND field = :field AND value IN (<values>)
                          AND contact_id <> CAST(:except AS uuid)
                        LIMIT 1
                        """)
                .bind("site", site.value())
                .bind("field", field)
                .bindList("values", values)
                .bind("except", except)
                .mapTo(UUID.class)
                .findOne();
    }

    /** Of the contacts with {@code value} in {@code field}, the one created first. */
    Optional<UUID> firstWith(Handle handle, SiteId site, String field, String value) {
        return handle.createQuery("""
                        SELECT c.contact_id FROM contact_values v
                        JOIN contacts c ON c.site_id = v.site_id AND c.contact_id = v.contact_id
                        WHERE v.site_id = :site AND v.field = :field AND v.value = :value
                        ORDER BY c.created_at, c.contact_id
                        LIMIT 1
                        """)
                .bind("site", site.value())
                .bind("field", field)
                .bind("value", value)
                .mapTo(UUID.class)
                .findOne();
    }

    void delete(Handle handle, SiteId site, UUID id) {
        handle.createUpdate("DELETE FROM contacts WHERE site_id = :site AND contact_id = :id")
                .bind("site", site.value())
                .bind("id", id)
                .execute();
    }

    /** Makes {@code source} (and every id that resolved to it) an alias of {@code target}, then deletes it. */
    void foldInto(Handle handle, SiteId site, UUID source, UUID target) {
        handle.createUpdate("UPDATE contact_aliases SET contact_id = :target WHERE site_id = :site AND contact_id = :source")
                .bind("site", site.value())
                .bind("source", source)
                .bind("target", target)
                .execute();
        delete(handle, site, source);
        handle.createUpdate("INSERT INTO contact_aliases (site_id, alias_id, contact_id) VALUES (:site, :source, :target)")
                .bind("site", site.value())
                .bind("source", source)
                .bind("target", target)
                .execute();
    }

    /**
     * wix-compatibility D-28: inbox traffic moves the contact's last activity; the revision stays (it is not an edit).
     */
    void touch(Deferred deferred, SiteId site, UUID id, Instant at, String activityType) {
        deferred.rows(Touches.class, Touches::new).touches.add(new Touch(site, id, at, activityType));
    }

    private record Touch(SiteId site, UUID contactId, Instant at, String type) {
    }

    /** All touches in one statement; a contact touched twice keeps the latest (an UPDATE changes a row once). */
    private static final class Touches implements Deferred.Rows {
        private final List<Touch> touches = new ArrayList<>();

        @Override
        public void write(Writes writes) {
            writes.with("""
                            UPDATE contacts c SET last_activity_at = t.at, last_activity_type = t.type
                            FROM (SELECT DISTINCT ON (site_id, contact_id) *
                                  FROM unnest(CAST(? AS uuid[]), CAST(? AS uuid[]), CAST(? AS timestamptz[]),
                                              CAST(? AS text[])) AS t(site_id, contact_id, at, type)
                                  ORDER BY site_id, contact_id, at DESC) t
                            WHERE c.site_id = t.site_id AND c.contact_id = t.contact_id AND c.last_activity_at <= t.at
                            """,
                    binder -> binder.uuidArray(touches.stream().map(touch -> touch.site().value()).toList())
                            .uuidArray(touches.stream().map(Touch::contactId).toList())
                            .instantArray(touches.stream().map(Touch::at).toList())
                            .textArray(touches.stream().map(Touch::type).toList()));
        }
    }

    /**
     * One page of a query. {@code matches}, its count (up to {@link #COUNT_LIMIT} + 1), is given when an index keeps
     * the order (creation, last activity), and then chooses between two plans. Few matches: fetch each (through
     * the value index) and keep the first of the order. Many: walk the order's index, testing each contact against
     * the matches held in a hash, and stop at the page's end, about {@code contacts × (offset + limit) ÷ matches}
     * rows. PostgreSQL cannot choose between them itself: it estimates a prefix of one field from the statistics
     * of every field's values (10,000 of 1,000,000 last names estimated 1,317; fetched and sorted in 130 ms, walked
     * in 8, docs/performance.md). The count can. The walk is chosen when it reads fewer rows, or when there are too
     * many matches to count; the condition is then wrapped in {@code IS TRUE}, which keeps PostgreSQL from turning
     * its subqueries into joins, so they become hashed filters of the walk.
     */
    List<Contact> page(Handle handle, SiteId site, ContactFilter filter, ContactOrder order, int limit, int offset,
                       Integer matches) {
        String where = matches != null && walks(handle, matches, offset + limit)
                ? "(" + filter.where() + ") IS TRUE" : filter.where();
        Query query = handle.createQuery("SELECT " + COLUMNS + " FROM contacts c WHERE c.site_id = :site AND "
                + where + " ORDER BY " + order.sql() + " LIMIT :limit OFFSET :offset");
        return query.bind("site", site.value())
                .bindMap(filter.binds())
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> contact(rs))
                .list();
    }

    private static boolean walks(Handle handle, int matches, int rows) {
        if (matches <= rows) {
            return false; // they all fit in the page
        }
        long contacts = Math.max(matches, handle.createQuery(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = 'contacts'::regclass").mapTo(Long.class).one());
        return matches > COUNT_LIMIT || (long) matches * matches > contacts * rows;
    }

    /**
     * How many contacts match, up to {@link #COUNT_LIMIT} + 1: in the value index alone when the filter is one
     * value condition (every value has its contact; 1.6 ms for 10,000 last names, 11 ms with the DISTINCT a field
     * of several values per contact needs), else contact by contact.
     */
    int count(Handle handle, SiteId site, ContactFilter filter) {
        String matches = filter.soleValueCondition()
                .map(condition -> "SELECT " + (condition.oneValueEach() ? "" : "DISTINCT ")
                        + "v.contact_id FROM contact_values v WHERE v.site_id = :site AND " + condition.sql())
                .orElse("SELECT 1 FROM contacts c WHERE c.site_id = :site AND " + filter.where());
        return handle.createQuery("SELECT count(*) FROM (" + matches + " LIMIT " + (COUNT_LIMIT + 1) + ") matches")
                .bind("site", site.value())
                .bindMap(filter.binds())
                .mapTo(Integer.class)
                .one();
    }

    /** Serializes creates and updates that claim the same email or phone, so the duplicate rule holds. */
    void lockValues(Handle handle, SiteId site, List<String> values) {
        for (String value : values.stream().sorted().toList()) {
            handle.createQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(:key, 0))")
                    .bind("key", site.value() + "/" + value)
                    .mapTo(Integer.class)
                    .one();
        }
    }

    private static Contact contact(ResultSet rs) throws SQLException {
        return new Contact(
                rs.getObject("contact_id", UUID.class),
                rs.getInt("revision"),
                Json.readStored(rs.getString("source"), Contact.Source.class),
                Json.readStored(rs.getString("info"), ContactInfo.class),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                new Contact.LastActivity(rs.getTimestamp("last_activity_at").toInstant(),
                        rs.getString("last_activity_type")));
    }
}
