package parley.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.PermissionDenied;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.Cursors;
import parley.web.Json;

/**
 * The inbox: a site's conversations by last activity (newest first) with what the list shows of each —
 * who, the last message's {@code previewText} (silent messages leave it alone, wix-compatibility D-16), its channel and
 * first badge, and for a dashboard user the number of the participant's messages after that user's
 * read horizon (counted up to {@link #UNREAD_CAP}; the list shows "99+"). Not part of Wix's public API
 * (wix-compatibility 3.5 recommends keeping it internal), so it lives under {@code /parley/v1}.
 */
public final class InboxList {
    static final int UNREAD_CAP = 100;

    private final Database database;
    private final ConversationRepository conversations;

    InboxList(Database database, ConversationRepository conversations) {
        this.database = database;
        this.conversations = conversations;
    }

    /** One conversation as the inbox lists it, with its workflow state. */
    public record Entry(Conversation conversation, String displayName, Instant lastActivity, String previewText,
                        String channel, JsonNode badge, Integer unreadCount, Workflow.State state) {
    }

    public record Page(List<Entry> entries, Optional<String> nextCursor) {
    }

    /**
     * What the list shows (docs/api.md, "Filters"); every part optional, all of them combine. {@code assignee} and
     * {@code team}: an id, {@link #NONE} for unassigned, or (assignee) {@link #ME}; {@code unread}: only those with messages past the
     * caller's read horizon (dashboard users only).
     */
    public record Filter(Set<ConversationStatus> statuses, String assignee, String team, UUID label, String channel,
                         boolean unread) {
        public static final String NONE = "none";
        public static final String ME = "me";
        public static final Filter ALL = new Filter(Set.of(), null, null, null, null, false);

        Filter withoutAssignee() {
            return new Filter(statuses, null, team, label, channel, unread);
        }
    }

    /** How many conversations the filter (its assignee aside) finds: the caller's, unassigned ones, all of them. */
    public record Counts(Integer mine, int unassigned, int all) {
    }

    record Cursor(Instant activity, UUID conversationId) {
    }

    public Page list(Caller caller, Filter filter, int limit, String cursor) {
        Cursor after = cursor == null || cursor.isBlank() ? null : Cursors.decode(cursor, Cursor.class);
        UUID reader = reader(caller, filter);
        Conditions where = conditions(caller, filter, reader);
        List<Entry> rows = database.inTransaction(handle -> {
            customPlans(handle);
            // The page is chosen first (filters, order, limit); only its rows then pay for the lookups.
            var query = handle.createQuery("""
                        WITH page AS MATERIALIZED (
                            SELECT c.* FROM conversations c
                             WHERE\s""" + where.sql() + """
                               AND (CAST(:afterActivity AS timestamptz) IS NULL
                                    OR (coalesce(c.last_message_at, c.created_at), c.conversation_id)
                                       < (CAST(:afterActivity AS timestamptz), CAST(:afterId AS uuid)))
                             ORDER BY coalesce(c.last_message_at, c.created_at) DESC, c.conversation_id DESC
                             LIMIT :limit)
                        SELECT c.conversation_id, c.participant_kind, c.participant_id, c.contact_id, c.created_at,
                               coalesce(c.last_message_at, c.created_at) AS activity, c.preview_text,
                               c.status, c.snoozed_until, c.assignee_id, c.team_id,
                               ARRAY(SELECT l.label_id FROM conversation_labels l
                                      WHERE l.site_id = c.site_id AND l.conversation_id = c.conversation_id
                                      ORDER BY l.label_id) AS label_ids,
                               coalesce(nullif(trim(concat_ws(' ', k.info #>> '{name,first}', k.info #>> '{name,last}')), ''),
                                        k.info #>> '{emails,items,0,email}') AS contact_name,
                               c.last_channel AS source_channel, last.badge, unread.n AS unread
                          FROM page c
                          LEFT JOIN contacts k ON k.site_id = c.site_id AND k.contact_id = CASE
                               WHEN c.participant_kind = 'CONTACT' THEN c.participant_id ELSE c.contact_id END
                          LEFT JOIN LATERAL (
                               SELECT m.badges -> 0 AS badge FROM messages m
                                WHERE m.site_id = c.site_id AND m.conversation_id = c.conversation_id AND NOT m.silent
                                ORDER BY m.sequence DESC LIMIT 1) last ON true
                          LEFT JOIN LATERAL (
                               SELECT count(*) AS n FROM (
                                   SELECT 1 FROM messages m
                                    WHERE m.site_id = c.site_id AND m.conversation_id = c.conversation_id
                                      AND m.direction = 'PARTICIPANT_TO_BUSINESS' AND NOT m.silent
                                      AND m.sequence > coalesce((
                                          SELECT h.read_through FROM read_horizons h
                                           WHERE h.site_id = c.site_id AND h.user_id = CAST(:reader AS uuid)
                                             AND h.conversation_id = c.conversation_id), 0)
                                    LIMIT :cap) unread_rows) unread ON CAST(:reader AS uuid) IS NOT NULL
                         ORDER BY activity DESC, c.conversation_id DESC
                        """)
                    .bind("cap", UNREAD_CAP)
                    .bind("afterActivity", after == null ? null : after.activity())
                    .bind("afterId", after == null ? null : after.conversationId())
                    .bind("limit", limit + 1);
            where.bind(query);
            return query.map((rs, ctx) -> entry(rs)).list();
        });
        if (rows.size() <= limit) {
            return new Page(rows, Optional.empty());
        }
        Entry last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), Optional.of(Cursors.encode(
                new Cursor(last.lastActivity(), last.conversation().id().value()))));
    }

    /** The counts the list's views show; {@code mine} only for a dashboard user. */
    public Counts counts(Caller caller, Filter filter) {
        UUID reader = reader(caller, filter);
        Conditions where = conditions(caller, filter.withoutAssignee(), reader);
        return database.inTransaction(handle -> {
            customPlans(handle);
            var query = handle.createQuery("""
                            SELECT count(*) FILTER (WHERE c.assignee_id = CAST(:reader AS uuid)) AS mine,
                                   count(*) FILTER (WHERE c.assignee_id IS NULL) AS unassigned,
                                   count(*) AS all_of_them
                              FROM conversations c
                             WHERE\s""" + where.sql());
            where.bind(query);
            return query.map((rs, ctx) -> new Counts(reader == null ? null : rs.getInt("mine"),
                    rs.getInt("unassigned"), rs.getInt("all_of_them"))).one();
        });
    }

    /**
     * Plans made for the values asked (a label on a third of the conversations or on none, an agent with many or
     * few), never one generic plan for all of them: planning costs a fraction of a millisecond, a plan for the
     * wrong values tens of milliseconds.
     */
    private static void customPlans(Handle handle) {
        handle.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    }

    /** The dashboard user whose read horizons count; an app has none, so it cannot ask for unread ones. */
    private static UUID reader(Caller caller, Filter filter) {
        UUID reader = caller.identity() instanceof Caller.Agent agent ? agent.userId() : null;
        if (reader == null && (filter.unread() || Filter.ME.equals(filter.assignee()))) {
            throw InvalidArgument.of(new FieldViolation(filter.unread() ? "unread" : "assignee",
                    "only a dashboard user has read horizons and conversations of its own", FieldViolation.Rule.VALIDATION));
        }
        return reader;
    }

    /** A WHERE clause over {@code c} (conversations) and the values it binds. */
    private record Conditions(String sql, Map<String, Object> values) {
        void bind(org.jdbi.v3.core.statement.Query query) {
            values.forEach(query::bind);
        }
    }

    /** Only the filter's parts are in the SQL, so that each combination gets a plan of its own. */
    private static Conditions conditions(Caller caller, Filter filter, UUID reader) {
        StringBuilder sql = new StringBuilder("c.site_id = :site AND c.merged_into IS NULL");
        Map<String, Object> values = new HashMap<>();
        values.put("site", caller.site().value());
        values.put("reader", reader);
        if (!filter.statuses().isEmpty()) {
            sql.append(" AND c.status = ANY(CAST(:statuses AS text[]))");
            values.put("statuses", filter.statuses().stream().map(Enum::name).toArray(String[]::new));
        }
        if (Filter.NONE.equals(filter.assignee())) {
            sql.append(" AND c.assignee_id IS NULL");
        } else if (filter.assignee() != null) {
            sql.append(" AND c.assignee_id = :assignee");
            values.put("assignee", Filter.ME.equals(filter.assignee()) ? reader : uuid("assignee", filter.assignee()));
        }
        if (Filter.NONE.equals(filter.team())) {
            sql.append(" AND c.team_id IS NULL");
        } else if (filter.team() != null) {
            sql.append(" AND c.team_id = :team");
            values.put("team", uuid("team", filter.team()));
        }
        if (filter.label() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM conversation_labels l WHERE l.site_id = c.site_id"
                    + " AND l.conversation_id = c.conversation_id AND l.label_id = :label)");
            values.put("label", filter.label());
        }
        if (filter.channel() != null) {
            sql.append(" AND c.last_channel = :channel");
            values.put("channel", filter.channel());
        }
        if (filter.unread()) {
            sql.append(" AND c.last_inbound_sequence > coalesce((SELECT h.read_through FROM read_horizons h"
                    + " WHERE h.site_id = c.site_id AND h.user_id = CAST(:reader AS uuid)"
                    + " AND h.conversation_id = c.conversation_id), 0)");
        }
        return new Conditions(sql.toString(), values);
    }

    private static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw InvalidArgument.of(new FieldViolation(field, "must be a GUID, \"me\" or \"none\"",
                    FieldViolation.Rule.FORMAT));
        }
    }

    /**
     * Moves a dashboard user's read horizon in a conversation forward to {@code readThrough}, or to its
     * newest message when null. Never backwards: two tabs may report out of order.
     */
    public void markRead(Caller caller, String conversationId, Long readThrough) {
        if (!(caller.identity() instanceof Caller.Agent agent)) {
            throw new PermissionDenied("PERMISSION_DENIED", "read horizons belong to dashboard users");
        }
        SiteId site = caller.site();
        database.inTransaction(handle -> {
            Conversation conversation = ConversationId.parse(conversationId)
                    .flatMap(id -> conversations.find(handle, site, id))
                    .orElseThrow(Conversations::notFound);
            return handle.createUpdate("""
                        INSERT INTO read_horizons (site_id, user_id, conversation_id, read_through)
                        SELECT :site, :user, :conversation, coalesce(CAST(:through AS bigint), max(sequence), 0)
                          FROM messages WHERE site_id = :site AND conversation_id = :conversation
                        ON CONFLICT (site_id, user_id, conversation_id)
                        DO UPDATE SET read_through = greatest(read_horizons.read_through, excluded.read_through)
                        """)
                .bind("site", site.value())
                .bind("user", agent.userId())
                .bind("conversation", conversation.id().value())
                .bind("through", readThrough)
                .execute();
        });
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        Conversation conversation = ConversationRepository.conversation(rs);
        String contactName = rs.getString("contact_name");
        String badge = rs.getString("badge");
        Long unread = rs.getObject("unread", Long.class); // null for an app: it has no read horizon
        return new Entry(conversation,
                contactName != null ? contactName : conversation.participant().label(),
                rs.getTimestamp("activity").toInstant(), rs.getString("preview_text"), rs.getString("source_channel"),
                badge == null ? null : Json.readStored(badge, JsonNode.class), unread == null ? null : unread.intValue(),
                Workflow.state(rs));
    }
}
