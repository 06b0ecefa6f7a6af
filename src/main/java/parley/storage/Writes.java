package parley.storage;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The one statement that writes a transaction's {@link Deferred} rows: each kind adds its INSERTs and
 * UPDATEs as data-modifying {@code WITH} items, which PostgreSQL runs to completion whether or not anything
 * reads them, all in one round trip and one statement, which the driver prepares once per makeup. A send
 * batch's summaries, messages and events so cost one statement, not three: under load each statement cost
 * PostgreSQL's backend and both sides' wake-ups more than the rows it wrote.
 *
 * <p>The items share one snapshot and none sees another's changes, except through the rows it reads from an
 * earlier item's {@code RETURNING}; so no two kinds may write the same row.
 */
public final class Writes {
    private final List<String> items = new ArrayList<>();
    private final List<String> selected = new ArrayList<>();
    private final List<HotPath.Parameters> itemParameters = new ArrayList<>();
    private final List<HotPath.Parameters> selectedParameters = new ArrayList<>();

    Writes() {
    }

    /**
     * Adds {@code sql}, an INSERT or UPDATE (with {@code RETURNING} when a later item reads it), with its
     * parameters in the order of its {@code ?} marks; answers the item's name, to read its rows by.
     */
    public String with(String sql, HotPath.Parameters parameters) {
        String name = "w" + items.size();
        items.add(name + " AS (" + sql + ")");
        itemParameters.add(parameters);
        return name;
    }

    /** Adds an expression the statement evaluates once, such as a {@code pg_notify}. */
    public void select(String expression, HotPath.Parameters parameters) {
        selected.add(expression);
        selectedParameters.add(parameters);
    }

    /**
     * Runs the statement, followed by a {@code COMMIT} when {@code commit}: the driver sends both at once
     * and prepares each, and when the write fails PostgreSQL skips the {@code COMMIT}. The transaction's
     * own commit then finds nothing open and sends nothing.
     */
    void run(Handle handle, boolean commit) {
        if (items.isEmpty() && selected.isEmpty()) {
            return;
        }
        String sql = (items.isEmpty() ? "" : "WITH " + String.join(",\n", items) + "\n")
                + "SELECT " + (selected.isEmpty() ? "1" : String.join(", ", selected))
                + (commit ? ";\nCOMMIT" : "");
        HotPath.execute(handle, sql, binder -> {
            for (HotPath.Parameters parameters : itemParameters) {
                parameters.bind(binder);
            }
            for (HotPath.Parameters parameters : selectedParameters) {
                parameters.bind(binder);
            }
        });
    }
}
