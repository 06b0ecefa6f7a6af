package parley.dashboard;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.PathIds;

/** Teams of a site's agents (a conversation can be assigned to one); owners and apps manage them. */
public final class Teams {
    static final int MAX_NAME = 50;

    private final Database database;
    private final People people;
    private final Clock clock;

    public Teams(Database database, People people, Clock clock) {
        this.database = database;
        this.people = people;
        this.clock = clock;
    }

    public record Team(UUID id, String name, List<UUID> memberIds) {
    }

    public List<Team> list(SiteId site) {
        return database.read(handle -> handle.createQuery("""
                        SELECT t.team_id, t.name, ARRAY(SELECT m.user_id FROM team_members m
                                                         WHERE m.site_id = t.site_id AND m.team_id = t.team_id
                                                         ORDER BY m.user_id) AS members
                          FROM teams t WHERE t.site_id = :site ORDER BY lower(t.name)
                        """)
                .bind("site", site.value())
                .map((rs, ctx) -> new Team(rs.getObject("team_id", UUID.class), rs.getString("name"),
                        List.of((UUID[]) rs.getArray("members").getArray())))
                .list());
    }

    public Team create(Caller caller, String name, List<UUID> memberIds) {
        people.requireManager(caller);
        UUID id = UUID.randomUUID();
        String checked = checkedName(name);
        database.inTransaction(handle -> {
            int inserted = handle.createUpdate("""
                            INSERT INTO teams (site_id, team_id, name, created_at) VALUES (:site, :id, :name, :now)
                            ON CONFLICT DO NOTHING
                            """)
                    .bind("site", caller.site().value())
                    .bind("id", id)
                    .bind("name", checked)
                    .bind("now", clock.instant())
                    .execute();
            if (inserted == 0) {
                throw nameTaken();
            }
            setMembers(handle, caller.site(), id, memberIds == null ? List.of() : memberIds);
            return null;
        });
        return find(caller.site(), id);
    }

    /** Renames the team or replaces its members; a null field stays as it is. */
    public Team update(Caller caller, String teamId, String name, List<UUID> memberIds) {
        people.requireManager(caller);
        UUID id = exists(caller.site(), teamId);
        database.inTransaction(handle -> {
            if (name != null && handle.createUpdate("""
                            UPDATE teams SET name = :name WHERE site_id = :site AND team_id = :id
                              AND NOT EXISTS (SELECT 1 FROM teams o WHERE o.site_id = :site AND o.team_id <> :id
                                              AND lower(o.name) = lower(:name))
                            """)
                    .bind("site", caller.site().value())
                    .bind("id", id)
                    .bind("name", checkedName(name))
                    .execute() == 0) {
                throw nameTaken();
            }
            if (memberIds != null) {
                setMembers(handle, caller.site(), id, memberIds);
            }
            return null;
        });
        return find(caller.site(), id);
    }

    /** Deletes the team; its conversations stay assigned to their agents, to no team. */
    public void delete(Caller caller, String teamId) {
        people.requireManager(caller);
        UUID id = exists(caller.site(), teamId);
        database.inTransaction(handle -> {
            handle.createUpdate("UPDATE conversations SET team_id = NULL WHERE site_id = :site AND team_id = :id")
                    .bind("site", caller.site().value()).bind("id", id).execute();
            return handle.createUpdate("DELETE FROM teams WHERE site_id = :site AND team_id = :id")
                    .bind("site", caller.site().value()).bind("id", id).execute();
        });
    }

    private static void setMembers(Handle handle, SiteId site, UUID team, List<UUID> memberIds) {
        List<UUID> members = memberIds.stream().distinct().toList();
        int known = members.isEmpty() ? 0 : handle.createQuery(
                        "SELECT count(*) FROM dashboard_users WHERE site_id = :site AND user_id IN (<ids>)")
                .bind("site", site.value()).bindList("ids", members).mapTo(Integer.class).one();
        if (known != members.size()) {
            throw InvalidArgument.of(new FieldViolation("memberIds", "every member must be a dashboard user of this site",
                    FieldViolation.Rule.VALIDATION));
        }
        handle.createUpdate("DELETE FROM team_members WHERE site_id = :site AND team_id = :team")
                .bind("site", site.value()).bind("team", team).execute();
        handle.createUpdate("""
                        INSERT INTO team_members (site_id, team_id, user_id) SELECT :site, :team, unnest(:members)
                        """)
                .bind("site", site.value()).bind("team", team).bind("members", members.toArray(UUID[]::new)).execute();
    }

    private Team find(SiteId site, UUID id) {
        return list(site).stream().filter(team -> team.id().equals(id)).findFirst().orElseThrow(Teams::notFound);
    }

    private UUID exists(SiteId site, String teamId) {
        return find(site, PathIds.parse(teamId).orElseThrow(Teams::notFound)).id();
    }

    private static String checkedName(String name) {
        if (name == null || name.isBlank() || name.strip().length() > MAX_NAME) {
            throw InvalidArgument.of(new FieldViolation("name", "1-" + MAX_NAME + " characters are required",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        return name.strip();
    }

    private static Conflict nameTaken() {
        return new Conflict("TEAM_ALREADY_EXISTS", "a team with this name already exists");
    }

    private static NotFound notFound() {
        return new NotFound("TEAM_NOT_FOUND", "team not found");
    }
}
