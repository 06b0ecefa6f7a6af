package parley.workspace;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.PathIds;

/**
 * A site's conversation labels: a name (unique, case aside) and a colour. Deleting one takes it off every
 * conversation (no per-conversation event: the label is gone, not changed on each).
 */
public final class Labels {
    static final int MAX_NAME = 50;
    static final int MAX_LABELS = 500;

    private final Database database;
    private final Clock clock;

    public Labels(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public record Label(UUID id, String name, String color) {
    }

    public List<Label> list(SiteId site) {
        return database.read(handle -> handle.createQuery("""
                        SELECT label_id, name, color FROM labels WHERE site_id = :site ORDER BY lower(name)
                        """)
                .bind("site", site.value())
                .map((rs, ctx) -> new Label(rs.getObject("label_id", UUID.class), rs.getString("name"),
                        rs.getString("color")))
                .list());
    }

    public Label create(SiteId site, String name, String color) {
        Label label = new Label(UUID.randomUUID(), checkedName(name), checkedColor(color));
        return database.inTransaction(handle -> {
            int count = handle.createQuery("SELECT count(*) FROM labels WHERE site_id = :site")
                    .bind("site", site.value()).mapTo(Integer.class).one();
            if (count >= MAX_LABELS) {
                throw InvalidArgument.of(new FieldViolation("name", "a site has at most " + MAX_LABELS + " labels",
                        FieldViolation.Rule.MAX_SIZE));
            }
            write(handle, site, label, """
                    INSERT INTO labels (site_id, label_id, name, color, created_at)
                    VALUES (:site, :id, :name, :color, :at) ON CONFLICT DO NOTHING
                    """);
            return label;
        });
    }

    /** Renames or recolours; a null field stays as it is. */
    public Label update(SiteId site, String id, String name, String color) {
        return database.inTransaction(handle -> {
            Label stored = find(handle, site, id);
            Label label = new Label(stored.id(), name == null ? stored.name() : checkedName(name),
                    color == null ? stored.color() : checkedColor(color));
            write(handle, site, label, """
                    UPDATE labels SET name = :name, color = :color
                    WHERE site_id = :site AND label_id = :id
                      AND NOT EXISTS (SELECT 1 FROM labels o WHERE o.site_id = :site AND o.label_id <> :id
                                      AND lower(o.name) = lower(:name))
                    """);
            return label;
        });
    }

    public void delete(SiteId site, String id) {
        database.inTransaction(handle -> handle.createUpdate("DELETE FROM labels WHERE site_id = :site AND label_id = :id")
                .bind("site", site.value())
                .bind("id", find(handle, site, id).id())
                .execute());
    }

    private void write(Handle handle, SiteId site, Label label, String sql) {
        int written = handle.createUpdate(sql)
                .bind("site", site.value())
                .bind("id", label.id())
                .bind("name", label.name())
                .bind("color", label.color())
                .bind("at", clock.instant())
                .execute();
        if (written == 0) {
            throw new Conflict("LABEL_ALREADY_EXISTS", "a label with this name already exists");
        }
    }

    private static Label find(Handle handle, SiteId site, String id) {
        return PathIds.parse(id).flatMap(uuid -> handle.createQuery("""
                                SELECT label_id, name, color FROM labels WHERE site_id = :site AND label_id = :id
                                """)
                        .bind("site", site.value())
                        .bind("id", uuid)
                        .map((rs, ctx) -> new Label(uuid, rs.getString("name"), rs.getString("color")))
                        .findOne())
                .orElseThrow(() -> new NotFound("LABEL_NOT_FOUND", "label not found"));
    }

    private static String checkedName(String name) {
        List<FieldViolation> violations = new ArrayList<>();
        if (name == null || name.isBlank()) {
            violations.add(FieldViolation.required("name"));
        } else if (name.strip().length() > MAX_NAME) {
            violations.add(new FieldViolation("name", "at most " + MAX_NAME + " characters", FieldViolation.Rule.MAX_LENGTH));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
        return name.strip();
    }

    /** A colour as {@code #rrggbb}; none given is a neutral grey. */
    private static String checkedColor(String color) {
        if (color == null) {
            return "#6b7280";
        }
        if (!color.matches("#[0-9a-fA-F]{6}")) {
            throw InvalidArgument.of(new FieldViolation("color", "must be #rrggbb", FieldViolation.Rule.FORMAT));
        }
        return color.toLowerCase(java.util.Locale.ROOT);
    }
}
