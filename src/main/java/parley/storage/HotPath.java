package parley.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Plain JDBC for the statements of the send path, inside the caller's transaction: the conversation lock
 * of a batch's sends, and the multi-row writes of a batch's {@link Deferred} rows. Profiled under load,
 * JDBI's named-argument binding cost more CPU per statement than the PostgreSQL driver itself; these
 * statements run on the group-commit writer, so they skip it. A batch's rows go as one array a column
 * ({@code unnest}), so that one statement writes any number of them. The driver caches each statement per
 * connection and prepares it on the server after a few uses. Everything else keeps JDBI's named binds.
 */
public final class HotPath {
    private HotPath() {
    }

    /** Binds a statement's parameters, in the order of its {@code ?} marks. */
    public interface Parameters {
        void bind(Binder binder) throws SQLException;
    }

    /** Reads one row of the result. */
    public interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Sets parameters one after another, in the order of the statement's {@code ?} marks. */
    public static final class Binder {
        private final PreparedStatement statement;
        private int index;

        private Binder(PreparedStatement statement) {
            this.statement = statement;
        }

        public Binder uuid(UUID value) throws SQLException {
            statement.setObject(++index, value, Types.OTHER);
            return this;
        }

        public Binder text(String value) throws SQLException {
            statement.setString(++index, value);
            return this;
        }

        public Binder bigint(long value) throws SQLException {
            statement.setLong(++index, value);
            return this;
        }

        public Binder textArray(Collection<String> values) throws SQLException {
            return array("text", values.toArray(String[]::new));
        }

        public Binder integerArray(Collection<Integer> values) throws SQLException {
            return array("integer", values.toArray(Integer[]::new));
        }

        public Binder bigintArray(Collection<Long> values) throws SQLException {
            return array("bigint", values.toArray(Long[]::new));
        }

        public Binder boolArray(Collection<Boolean> values) throws SQLException {
            return array("boolean", values.toArray(Boolean[]::new));
        }

        /** As text, which the statement casts ({@code CAST(? AS uuid[])}): the driver has no binary uuid arrays. */
        public Binder uuidArray(Collection<UUID> values) throws SQLException {
            return textOf(values);
        }

        /** As ISO-8601 text, which the statement casts ({@code CAST(? AS timestamptz[])}), as {@link #uuidArray}. */
        public Binder instantArray(Collection<Instant> values) throws SQLException {
            return textOf(values);
        }

        private Binder textOf(Collection<?> values) throws SQLException {
            return array("text", values.stream().map(value -> Objects.toString(value, null)).toArray(String[]::new));
        }

        /**
         * {@code values} must be an array of the element's own class ({@code String[]}, not {@code Object[]}):
         * the driver then sends it in binary, and PostgreSQL copies the elements instead of parsing an array
         * literal character by character (the JSON of every message and event goes through here).
         */
        private Binder array(String type, Object[] values) throws SQLException {
            statement.setArray(++index, statement.getConnection().createArrayOf(type, values));
            return this;
        }
    }

    /** Runs {@code sql} on the handle's connection; the rows it returns, in order. */
    public static <T> List<T> query(Handle handle, String sql, Parameters parameters, Row<T> row) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            parameters.bind(new Binder(statement));
            try (ResultSet result = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (result.next()) {
                    rows.add(row.read(result));
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Runs {@code sql}, which returns no rows, on the handle's connection. */
    public static void execute(Handle handle, String sql, Parameters parameters) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            parameters.bind(new Binder(statement));
            statement.execute();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /**
     * A PostgreSQL array literal of {@code values}, to pass an array per row inside an array parameter
     * ({@code CAST(? AS text[])} of literals, each cast to {@code text[]} in the statement): PostgreSQL has no
     * arrays of arrays of differing lengths.
     */
    public static String arrayLiteral(List<String> values) {
        StringBuilder literal = new StringBuilder("{");
        for (String value : values) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            literal.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return literal.append('}').toString();
    }
}
