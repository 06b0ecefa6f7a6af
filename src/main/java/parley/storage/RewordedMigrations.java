package parley.storage;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * Migrations whose comments were reworded after databases had applied them: their references to a
 * document outside the repository became references to {@code docs/wix-compatibility.md}. Flyway's checksum
 * covers comments, so every database migrated before would refuse to start. Before Flyway validates, a
 * stored checksum is moved to the new text's only where it is exactly the old text's: any other difference
 * still stops the start, as Flyway means it to. Rewording an applied migration again adds its pair here
 * ({@code RewordedMigrationsTest} checks the new checksums against the files).
 */
final class RewordedMigrations {
    /** Version → the checksums of its old text and of its text now. */
    static final Map<String, List<Integer>> CHECKSUMS = Map.of(
            "1", List.of(168505488, 921912148),
            "2", List.of(1206444643, -684030740),
            "3", List.of(1202370499, -1514768428),
            "7", List.of(1851424563, -91142018));

    private RewordedMigrations() {
    }

    static void accept(DataSource dataSource) {
        Jdbi.create(dataSource).useHandle(handle -> {
            if (!handle.createQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")
                    .mapTo(Boolean.class).one()) {
                return; // a new database: nothing was applied yet
            }
            CHECKSUMS.forEach((version, sums) -> handle.createUpdate("""
                            UPDATE flyway_schema_history SET checksum = :now
                            WHERE version = :version AND checksum = :before
                            """)
                    .bind("now", sums.get(1))
                    .bind("version", version)
                    .bind("before", sums.get(0))
                    .execute());
        });
    }
}
