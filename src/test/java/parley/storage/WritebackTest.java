package parley.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import parley.TestParley;

/** The data files written since the last pass are flushed, and only those. */
class WritebackTest {
    @Test
    void flushesTheFilesModifiedSinceTheLastPass() throws Exception {
        Path data = TestParley.freshDataDir();
        Path tables = Files.createDirectories(data.resolve("base").resolve("5"));
        Path old = Files.write(tables.resolve("16400"), new byte[8192]);
        Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        FileTime since = FileTime.fromMillis(System.currentTimeMillis() - 1_000);
        Files.write(tables.resolve("16428"), new byte[8192]);
        Files.write(tables.resolve("16451"), new byte[8192]);

        try (Writeback writeback = Writeback.of(data)) {
            assertThat(writeback.flushModifiedSince(since)).isEqualTo(2);
            assertThat(writeback.flushModifiedSince(FileTime.fromMillis(System.currentTimeMillis() + 60_000))).isZero();
        }
    }
}
