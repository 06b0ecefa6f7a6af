package parley.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * Plain JDBC for the few statements every Send Message runs, inside the caller's transaction. Profiled
 * under load, JDBI's named-argument binding cost more CPU per statement than the PostgreSQL driver
 * itself; these statements run once per message on the group-commit writer, so they skip it. The driver
 * caches each statement per connection and prepares it on the server after a few uses. Everything else
 * keeps JDBI's named binds.
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

    /** Sets parameters one after another, so that statements can be joined without renumbering them. */
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

        public Binder bool(boolean value) throws SQLException {
            statement.setBoolean(++index, value);
            return this;
        }

        public Binder bigint(long value) throws SQLException {
            statement.setLong(++index, value);
            return this;
        }

        public Binder instant(Instant value) throws SQLException {
            statement.setTimestamp(++index, Timestamp.from(value));
            return this;
        }

        public Binder textArray(Collection<String> values) throws SQLException {
            statement.setArray(++index, statement.getConnection().createArrayOf("text", values.toArray()));
            return this;
        }
    }

    /** Runs {@code sql} (which returns at most one row) on the handle's connection. */
    public static <T> Optional<T> queryOne(Handle handle, String sql, Parameters parameters, Row<T> row) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            parameters.bind(new Binder(statement));
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(row.read(result)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    /** Writes whose results nobody reads, collected to be sent by {@link #run}. */
    public static Writes writes(Handle handle) {
        return new Writes(handle);
    }

    /**
     * Statements that return nothing the caller needs, sent together: the driver splits the joined text
     * and sends every statement before it waits, so N writes cost one round trip instead of N. They run
     * in the order added, in the caller's transaction, and fail together with the first error.
     */
    public static final class Writes {
        private final Handle handle;
        private final StringBuilder sql = new StringBuilder();
        private final List<Parameters> parameters = new ArrayList<>();

        private Writes(Handle handle) {
            this.handle = handle;
        }

        public Writes add(String statement, Parameters statementParameters) {
            sql.append(statement.strip()).append(";\n");
            parameters.add(statementParameters);
            return this;
        }

        public void run() {
            if (parameters.isEmpty()) {
                return;
            }
            try (PreparedStatement statement = handle.getConnection().prepareStatement(sql.toString())) {
                Binder binder = new Binder(statement);
                for (Parameters each : parameters) {
                    each.bind(binder);
                }
                statement.execute();
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }
    }
}
