package parley.conversations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.events.EventLog;
import parley.events.EventType;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * The business's work on a conversation (docs/api.md, "The agent workspace"): its status, who it is assigned to,
 * its labels. Each change locks the conversation row (as a send does), changes it and appends its event in one
 * transaction; asking for what already is changes nothing and appends nothing. A participant's message reopens
 * the conversation in the send's own transaction ({@link ConversationLocks}); a snooze wakes by {@link #wakeSnoozed}.
 */
public final class Workflow {
    private static final Logger log = LoggerFactory.getLogger(Workflow.class);
    static final int MAX_LABELS = 50;
    /** How many due snoozes one wake-up transaction takes. */
    private static final int WAKE_BATCH = 200;

    private final Database database;
    private final ConversationRepository conversations;
    private final EventLog events;
    private final Clock clock;

    Workflow(Database database, ConversationRepository conversations, EventLog events, Clock clock) {
        this.database = database;
        this.conversations = conversations;
        this.events = events;
        this.clock = clock;
    }

    /** A conversation's workflow state. Nullable: {@code snoozedUntil}, {@code assigneeId}, {@code teamId}. */
    public record State(ConversationId conversationId, ConversationStatus status, Instant snoozedUntil, UUID assigneeId,
                        UUID teamId, List<UUID> labelIds) {
    }

    record StatusChanged(String conversationId, ConversationStatus status, ConversationStatus previousStatus,
                         Instant snoozedUntil) {
    }

    record Assigned(String conversationId, UUID assigneeId, UUID previousAssigneeId, UUID teamId,
                    UUID previousTeamId) {
    }

    record LabelsChanged(String conversationId, List<UUID> labelIds, List<UUID> added, List<UUID> removed) {
    }

    /** The body of the event of a participant's message reopening a conversation. */
    public static Object reopened(ConversationId id, ConversationStatus from) {
        return new StatusChanged(id.toString(), ConversationStatus.OPEN, from, null);
    }

    public State state(SiteId site, String conversationId) {
        return database.read(handle -> state(handle, site, locate(handle, site, conversationId, false)));
    }

    /** Sets the status; {@code snoozedUntil} is required for, and only for, {@code SNOOZED}, and must be ahead. */
    public State setStatus(Caller caller, String conversationId, ConversationStatus status, Instant snoozedUntil) {
        Instant now = clock.instant();
        if (status == ConversationStatus.SNOOZED && (snoozedUntil == null || !snoozedUntil.isAfter(now))) {
            throw InvalidArgument.of(new FieldViolation("snoozedUntil", "a snooze needs a time in the future",
                    FieldViolation.Rule.VALIDATION));
        }
        if (status != ConversationStatus.SNOOZED && snoozedUntil != null) {
            throw InvalidArgument.of(new FieldViolation("snoozedUntil", "only a SNOOZED conversation has one",
                    FieldViolation.Rule.VALIDATION));
        }
        SiteId site = caller.site();
        return database.inTransaction(handle -> {
            State before = state(handle, site, locate(handle, site, conversationId, true));
            if (before.status() == status && Objects.equals(before.snoozedUntil(), snoozedUntil)) {
                return before;
            }
            handle.createUpdate("""
                            UPDATE conversations SET status = :status, snoozed_until = CAST(:until AS timestamptz)
                            WHERE site_id = :site AND conversation_id = :id
                            """)
                    .bind("site", site.value())
                    .bind("id", before.conversationId().value())
                    .bind("status", status.name())
                    .bind("until", snoozedUntil)
                    .execute();
            events.append(handle, site, EventType.CONVERSATION_STATUS_CHANGED, before.conversationId().toString(),
                    before.conversationId().value(), new StatusChanged(before.conversationId().toString(), status,
                            before.status(), snoozedUntil), caller);
            return state(handle, site, before.conversationId());
        });
    }

    /**
     * Assigns to an active dashboard user of the site and to a team of it. For each: null leaves it as it is,
     * an empty optional clears it.
     */
    public State assign(Caller caller, String conversationId, Optional<UUID> assignee, Optional<UUID> team) {
        SiteId site = caller.site();
        return database.inTransaction(handle -> {
            List<FieldViolation> violations = new ArrayList<>();
            if (assignee != null && assignee.isPresent() && !exists(handle, """
                    SELECT EXISTS (SELECT 1 FROM dashboard_users
                                    WHERE site_id = :site AND user_id = :id AND deactivated_at IS NULL)
                    """, site, assignee.get())) {
                violations.add(new FieldViolation("assigneeId", "must be an active dashboard user of this site",
                        FieldViolation.Rule.VALIDATION));
            }
            if (team != null && team.isPresent() && !exists(handle,
                    "SELECT EXISTS (SELECT 1 FROM teams WHERE site_id = :site AND team_id = :id)", site, team.get())) {
                violations.add(new FieldViolation("teamId", "must be a team of this site", FieldViolation.Rule.VALIDATION));
            }
            if (!violations.isEmpty()) {
                throw new InvalidArgument("INVALID_ARGUMENT", violations);
            }
            State before = state(handle, site, locate(handle, site, conversationId, true));
            UUID assigneeId = assignee == null ? before.assigneeId() : assignee.orElse(null);
            UUID teamId = team == null ? before.teamId() : team.orElse(null);
            if (Objects.equals(assigneeId, before.assigneeId()) && Objects.equals(teamId, before.teamId())) {
                return before;
            }
            handle.createUpdate("""
                            UPDATE conversations SET assignee_id = CAST(:assignee AS uuid), team_id = CAST(:team AS uuid)
                            WHERE site_id = :site AND conversation_id = :id
                            """)
                    .bind("site", site.value())
                    .bind("id", before.conversationId().value())
                    .bind("assignee", assigneeId)
                    .bind("team", teamId)
                    .execute();
            events.append(handle, site, EventType.CONVERSATION_ASSIGNED, before.conversationId().toString(),
                    before.conversationId().value(), new Assigned(before.conversationId().toString(), assigneeId,
                            before.assigneeId(), teamId, before.teamId()), caller);
            return state(handle, site, before.conversationId());
        });
    }

    /** Replaces the conversation's labels with {@code labelIds} (labels of the site, at most {@value #MAX_LABELS}). */
    public State setLabels(Caller caller, String conversationId, List<UUID> labelIds) {
        List<UUID> wanted = List.copyOf(new LinkedHashSet<>(labelIds));
        if (wanted.size() > MAX_LABELS) {
            throw InvalidArgument.of(new FieldViolation("labelIds", "at most " + MAX_LABELS + " labels",
                    FieldViolation.Rule.MAX_SIZE));
        }
        SiteId site = caller.site();
        return database.inTransaction(handle -> {
            int known = wanted.isEmpty() ? 0 : handle.createQuery(
                            "SELECT count(*) FROM labels WHERE site_id = :site AND label_id IN (<ids>)")
                    .bind("site", site.value())
                    .bindList("ids", wanted)
                    .mapTo(Integer.class)
                    .one();
            if (known != wanted.size()) {
                throw InvalidArgument.of(new FieldViolation("labelIds", "every label must be one of this site's",
                        FieldViolation.Rule.VALIDATION));
            }
            State before = state(handle, site, locate(handle, site, conversationId, true));
            List<UUID> added = wanted.stream().filter(id -> !before.labelIds().contains(id)).toList();
            List<UUID> removed = before.labelIds().stream().filter(id -> !wanted.contains(id)).toList();
            if (added.isEmpty() && removed.isEmpty()) {
                return before;
            }
            UUID id = before.conversationId().value();
            handle.createUpdate("""
                            DELETE FROM conversation_labels
                            WHERE site_id = :site AND conversation_id = :id AND NOT (label_id = ANY(:wanted))
                            """)
                    .bind("site", site.value())
                    .bind("id", id)
                    .bind("wanted", wanted.toArray(UUID[]::new))
                    .execute();
            handle.createUpdate("""
                            INSERT INTO conversation_labels (site_id, conversation_id, label_id)
                            SELECT :site, :id, unnest(:wanted) ON CONFLICT DO NOTHING
                            """)
                    .bind("site", site.value())
                    .bind("id", id)
                    .bind("wanted", wanted.toArray(UUID[]::new))
                    .execute();
            State after = state(handle, site, before.conversationId());
            events.append(handle, site, EventType.CONVERSATION_LABELS_CHANGED, before.conversationId().toString(), id,
                    new LabelsChanged(before.conversationId().toString(), after.labelIds(), added, removed), caller);
            return after;
        });
    }

    /**
     * Reopens the conversations whose snooze is due, on any node: each is taken under its row lock and skipped
     * by a node that finds it locked, and the update checks it is still snoozed, so each wakes exactly once.
     * Returns how many woke.
     */
    public int wakeSnoozed() {
        int woken = 0;
        int batch;
        do {
            batch = database.inTransaction(handle -> {
                List<Woken> due = handle.createQuery("""
                                UPDATE conversations c SET status = 'OPEN', snoozed_until = NULL
                                  FROM (SELECT site_id, conversation_id, snoozed_until FROM conversations
                                         WHERE snoozed_until <= :now AND status = 'SNOOZED'
                                         ORDER BY snoozed_until LIMIT :batch
                                         FOR UPDATE SKIP LOCKED) d
                                 WHERE c.site_id = d.site_id AND c.conversation_id = d.conversation_id
                                RETURNING c.site_id, c.conversation_id, d.snoozed_until
                                """)
                        .bind("now", clock.instant())
                        .bind("batch", WAKE_BATCH)
                        .map((rs, ctx) -> new Woken(new SiteId(rs.getObject("site_id", UUID.class)),
                                rs.getObject("conversation_id", UUID.class)))
                        .list();
                for (Woken w : due) {
                    events.append(handle, w.site(), EventType.CONVERSATION_STATUS_CHANGED, w.id().toString(), w.id(),
                            new StatusChanged(w.id().toString(), ConversationStatus.OPEN, ConversationStatus.SNOOZED,
                                    null), new Caller(w.site(), new Caller.App(Caller.PARLEY_APP_ID)));
                }
                return due.size();
            });
            woken += batch;
        } while (batch == WAKE_BATCH);
        return woken;
    }

    /** {@link #wakeSnoozed} for a scheduler: a failure is logged and tried again at the next tick. */
    public void wakeSnoozedQuietly() {
        try {
            wakeSnoozed();
        } catch (RuntimeException e) {
            log.warn("could not wake snoozed conversations; will try again", e);
        }
    }

    private record Woken(SiteId site, UUID id) {
    }

    /** The conversation (following merges), locked for a change when {@code lock}. */
    private ConversationId locate(Handle handle, SiteId site, String conversationId, boolean lock) {
        ConversationId id = ConversationId.parse(conversationId)
                .flatMap(parsed -> conversations.find(handle, site, parsed))
                .map(Conversation::id)
                .orElseThrow(Conversations::notFound);
        if (lock) {
            handle.createQuery("SELECT 1 FROM conversations WHERE site_id = :site AND conversation_id = :id FOR UPDATE")
                    .bind("site", site.value())
                    .bind("id", id.value())
                    .mapTo(Integer.class)
                    .one();
        }
        return id;
    }

    static State state(Handle handle, SiteId site, ConversationId id) {
        return handle.createQuery("""
                        SELECT conversation_id, status, snoozed_until, assignee_id, team_id,
                               ARRAY(SELECT l.label_id FROM conversation_labels l
                                      WHERE l.site_id = c.site_id AND l.conversation_id = c.conversation_id
                                      ORDER BY l.label_id) AS label_ids
                          FROM conversations c WHERE site_id = :site AND conversation_id = :id
                        """)
                .bind("site", site.value())
                .bind("id", id.value())
                .map((rs, ctx) -> state(rs))
                .one();
    }

    /** The state in a row with the columns {@link #state(Handle, SiteId, ConversationId)} selects. */
    static State state(ResultSet rs) throws SQLException {
        java.sql.Timestamp until = rs.getTimestamp("snoozed_until");
        return new State(new ConversationId(rs.getObject("conversation_id", UUID.class)),
                ConversationStatus.valueOf(rs.getString("status")), until == null ? null : until.toInstant(),
                rs.getObject("assignee_id", UUID.class), rs.getObject("team_id", UUID.class),
                List.of((UUID[]) rs.getArray("label_ids").getArray()));
    }

    private static boolean exists(Handle handle, String sql, SiteId site, UUID id) {
        return handle.createQuery(sql).bind("site", site.value()).bind("id", id).mapTo(Boolean.class).one();
    }
}
