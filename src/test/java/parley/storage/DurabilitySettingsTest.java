package parley.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import parley.TestParley;

/** The embedded PostgreSQL library is made for tests and turns durability off; Parley must not. */
class DurabilitySettingsTest {
    @Test
    void theEmbeddedPostgresqlCommitsDurably() {
        Path dataDir = TestParley.freshDataDir();
        try (Database database = Database.open(null, dataDir, 1)) {
            assertThat(setting(database, "fsync")).isEqualTo("on");
            assertThat(setting(database, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(database, "full_page_writes")).isEqualTo("on");
        }
    }

    @Test
    void postgresUrlsBecomeJdbcUrls() {
        assertThat(Database.jdbcUrl("postgres://parley:s3cret@db.internal:5433/inbox"))
                .isEqualTo("jdbc:postgresql://db.internal:5433/inbox?user=parley&password=s3cret");
        assertThat(Database.jdbcUrl("jdbc:postgresql://localhost/parley")).isEqualTo("jdbc:postgresql://localhost/parley");
    }

    private static String setting(Database database, String name) {
        return database.read(handle -> handle.createQuery("SELECT current_setting(:name)")
                .bind("name", name).mapTo(String.class).one());
    }
}
