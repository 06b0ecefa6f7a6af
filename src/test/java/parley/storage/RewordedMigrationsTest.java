package parley.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.flywaydb.core.internal.resolver.ChecksumCalculator;
import org.flywaydb.core.internal.resource.classpath.ClassPathResource;
import org.junit.jupiter.api.Test;
import parley.TestParley;

/** A database migrated before some migrations' comments were reworded still starts; any other change does not. */
class RewordedMigrationsTest {
    @Test
    void theRewordedChecksumsAreThoseOfTheMigrationsAsTheyAre() {
        RewordedMigrations.CHECKSUMS.forEach((version, sums) -> {
            String file = switch (version) {
                case "1" -> "V1__core.sql";
                case "2" -> "V2__contacts_and_identity.sql";
                case "3" -> "V3__event_origins.sql";
                case "7" -> "V7__contact_entity_events.sql";
                default -> throw new AssertionError("a reworded migration this test does not know: " + version);
            };
            assertThat(ChecksumCalculator.calculate(new ClassPathResource(null, "db/migration/" + file,
                    getClass().getClassLoader(), StandardCharsets.UTF_8))).as(file).isEqualTo(sums.get(1));
        });
    }

    @Test
    void aDatabaseMigratedWithTheOldWordingStartsAndAnyOtherDifferenceStillStopsIt() {
        Path dataDir = TestParley.freshDataDir();
        try (Database database = Database.open(null, dataDir, 1)) {
            storeChecksum(database, RewordedMigrations.CHECKSUMS.get("2").get(0)); // as a release before stored it
        }
        try (Database database = Database.open(null, dataDir, 1)) {
            int stored = database.read(handle -> handle.createQuery(
                    "SELECT checksum FROM flyway_schema_history WHERE version = '2'").mapTo(Integer.class).one());
            assertThat(stored).isEqualTo(RewordedMigrations.CHECKSUMS.get("2").get(1));
            storeChecksum(database, 12345); // a change nobody accounted for
        }
        assertThatThrownBy(() -> Database.open(null, dataDir, 1)).hasStackTraceContaining("checksum mismatch");
    }

    private static void storeChecksum(Database database, int checksum) {
        database.inTransaction(handle -> handle.createUpdate(
                "UPDATE flyway_schema_history SET checksum = :checksum WHERE version = '2'")
                .bind("checksum", checksum).execute());
    }
}
