package parley.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the embedded PostgreSQL's growing data files to disk every 100 ms, as they grow, instead of
 * leaving them to the kernel, which writes them in bursts.
 *
 * <p>Why. When PostgreSQL extends a table by a page it writes a page of zeros; the page's real content
 * stays in shared buffers until a checkpoint. Those zeros are dirty in the OS page cache, and Linux
 * writes a file's dirty pages back once they are 30 seconds old ({@code vm.dirty_expire_centisecs}) —
 * all of them at once: at 4,000 messages a second, 150–200 MB every 30 seconds. A commit's WAL flush
 * that falls into such a burst waits for it (the disk's cache flush covers everything queued before it),
 * so every 30 seconds sends stalled for 1–2 seconds with answers taking up to 100 ms, while the median
 * stayed at 1.5 ms (docs/performance.md). Flushing what changed in the last 100 ms keeps each write-back
 * under a megabyte; once a second, the commits that met the flush of a second's worth (about 7 MB) still
 * waited for it, 5–9 ms. PostgreSQL already paces its own checkpoint writes this way
 * ({@code checkpoint_flush_after}); its table extensions it leaves to the kernel.
 *
 * <p>Only files modified since the last pass are flushed; a flush forces out data already written, so it
 * changes nothing PostgreSQL relies on. An external PostgreSQL is its operator's to tune (a small
 * {@code vm.dirty_background_bytes} does the same for the whole machine).
 */
final class Writeback implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Writeback.class);
    private static final Duration EVERY = Duration.ofMillis(100);

    private final Path tables;
    private final Thread flusher;

    private Writeback(Path tables) {
        this.tables = tables;
        this.flusher = Thread.ofPlatform().name("parley-writeback").daemon().start(this::run);
    }

    /** Starts flushing the data files under {@code dataDirectory}'s {@code base} folder. */
    static Writeback of(Path dataDirectory) {
        return new Writeback(dataDirectory.resolve("base"));
    }

    private void run() {
        FileTime since = FileTime.fromMillis(System.currentTimeMillis());
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(EVERY);
                FileTime now = FileTime.fromMillis(System.currentTimeMillis());
                flushModifiedSince(since);
                since = now;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | UncheckedIOException e) {
                log.debug("could not flush the embedded PostgreSQL's data files this time", e);
            }
        }
    }

    /** Flushes every data file modified at or after {@code since}; answers how many. */
    int flushModifiedSince(FileTime since) throws IOException {
        List<Path> modified;
        // find() hands over the attributes its walk read: one stat a file (there are thousands) each pass.
        try (Stream<Path> files = Files.find(tables, Integer.MAX_VALUE,
                (file, attributes) -> attributes.isRegularFile() && attributes.lastModifiedTime().compareTo(since) >= 0)) {
            modified = files.toList();
        }
        int flushed = 0;
        for (Path file : modified) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                channel.force(false);
                flushed++;
            } catch (NoSuchFileException dropped) {
                // PostgreSQL removed it meanwhile (a dropped or rewritten table)
            }
        }
        return flushed;
    }

    @Override
    public void close() {
        flusher.interrupt();
        try {
            flusher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
