package parley.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
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

    /** Sets a statement's parameters, in order. */
    public interface Parameters {
        void set(PreparedStatement statement) throws SQLException;
    }

    /** Reads one row of the result. */
    public interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** Runs {@code sql} (which returns at most one row) on the handle's connection. */
    public static <T> Optional<T> queryOne(Handle handle, String sql, Parameters parameters, Row<T> row) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement(sql)) {
            parameters.set(statement);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(row.read(result)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }
}
