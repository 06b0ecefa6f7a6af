package parley.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Every site's files (docs/files.md): stored once, whichever channel brought them, with their type read from their
 * bytes. A file uploaded for a message that is never sent is deleted after {@link #UNSENT_KEPT}; a file in a message
 * stays as long as the message. The bytes of a file are in its row, or, when a directory is configured, in
 * {@code <directory>/<site>/<file>}; either way the row says what the file is, and old files stay readable when
 * the setting changes.
 */
public final class Files {
    private static final Logger log = LoggerFactory.getLogger(Files.class);
    static final Duration UNSENT_KEPT = Duration.ofHours(24);
    static final int MAX_FILENAME = 255;

    /** A stored file. Nullable: {@code filename}; {@code width} and {@code height}, known for common images only. */
    public record Stored(SiteId site, UUID id, String filename, String contentType, long size, Integer width,
                         Integer height) {
        /** How a message keeps this file (the signed link is made when the message is shown). */
        public String path() {
            return FileLinks.path(site, id);
        }

        /** Whether it is an image every browser shows, attached as an image item rather than a file item. */
        public boolean image() {
            return FileTypes.image(contentType);
        }

        boolean shown() {
            return FileTypes.shown(contentType);
        }
    }

    /** A file read, with its bytes. */
    public record Content(Stored file, byte[] bytes) {
    }

    /** A file ready to be stored in a transaction: its bytes already written, when they go to the directory. */
    public record New(Stored file, byte[] bytes) {
    }

    private final Database database;
    private final FileSettings settings;
    private final Clock clock;

    public Files(Database database, FileSettings settings, Clock clock) {
        this.database = database;
        this.settings = settings;
        this.clock = clock;
    }

    public long maxBytes() {
        return settings.maxBytes();
    }

    /** Stores a file uploaded for a message to come, in its own transaction. */
    public Stored upload(SiteId site, String filename, String claimedType, byte[] bytes) {
        New file = prepare(site, filename, claimedType, bytes);
        database.inTransaction(handle -> {
            insert(handle, file, false);
            return null;
        });
        return file.file();
    }

    /**
     * What {@code bytes} are, and, with a directory configured, the bytes written there (durably: the transaction
     * that stores the row may commit right after). No larger than {@link #maxBytes()}: the caller checks first.
     */
    public New prepare(SiteId site, String filename, String claimedType, byte[] bytes) {
        if (bytes.length > settings.maxBytes()) {
            throw new IllegalArgumentException("a file may have at most " + settings.maxBytes() + " bytes");
        }
        String type = FileTypes.of(bytes, claimedType);
        int[] size = FileTypes.image(type) ? dimensions(bytes) : null;
        Stored file = new Stored(site, UUID.randomUUID(), filename(filename), type, bytes.length,
                size == null ? null : size[0], size == null ? null : size[1]);
        if (settings.directory() != null) {
            write(location(settings.directory(), file), bytes);
        }
        return new New(file, bytes);
    }

    /** Stores the row of a prepared file; {@code inMessage}: the transaction also stores the message it is in. */
    public void insert(Handle handle, New file, boolean inMessage) {
        Stored f = file.file();
        handle.createUpdate("""
                        INSERT INTO files (site_id, file_id, filename, content_type, size, width, height, created_at,
                                           attached_at, bytes, directory)
                        VALUES (:site, :id, :filename, :type, :size, :width, :height, :now, :attached, :bytes,
                                :directory)
                        """)
                .bind("site", f.site().value())
                .bind("id", f.id())
                .bind("filename", f.filename())
                .bind("type", f.contentType())
                .bind("size", f.size())
                .bind("width", f.width())
                .bind("height", f.height())
                .bind("now", clock.instant())
                .bind("attached", inMessage ? clock.instant() : null)
                .bind("bytes", settings.directory() == null ? file.bytes() : null)
                .bind("directory", settings.directory() == null ? null : settings.directory().toString())
                .execute();
    }

    /** The files of {@code site} among {@code ids}, by id; unknown ids are left out. */
    public Map<UUID, Stored> find(Handle handle, SiteId site, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return handle.createQuery("""
                        SELECT file_id, filename, content_type, size, width, height FROM files
                        WHERE site_id = :site AND file_id = ANY(:ids)
                        """)
                .bind("site", site.value())
                .bind("ids", ids.toArray(UUID[]::new))
                .map((rs, ctx) -> new Stored(site, rs.getObject("file_id", UUID.class), rs.getString("filename"),
                        rs.getString("content_type"), rs.getLong("size"), (Integer) rs.getObject("width"),
                        (Integer) rs.getObject("height")))
                .stream()
                .collect(Collectors.toMap(Stored::id, Function.identity()));
    }

    /** Marks files as being in a message, so that they are kept. */
    public void attach(Handle handle, SiteId site, Collection<UUID> ids) {
        handle.createUpdate("""
                        UPDATE files SET attached_at = :now
                        WHERE site_id = :site AND file_id = ANY(:ids) AND attached_at IS NULL
                        """)
                .bind("now", clock.instant())
                .bind("site", site.value())
                .bind("ids", ids.toArray(UUID[]::new))
                .execute();
    }

    /** A file with its bytes. */
    public Optional<Content> read(Handle handle, SiteId site, UUID id) {
        return handle.createQuery("""
                        SELECT filename, content_type, size, width, height, bytes, directory FROM files
                        WHERE site_id = :site AND file_id = :id
                        """)
                .bind("site", site.value())
                .bind("id", id)
                .map((rs, ctx) -> {
                    Stored file = new Stored(site, id, rs.getString("filename"), rs.getString("content_type"),
                            rs.getLong("size"), (Integer) rs.getObject("width"), (Integer) rs.getObject("height"));
                    byte[] bytes = rs.getBytes("bytes");
                    return new Content(file, bytes != null ? bytes
                            : readFile(location(Path.of(rs.getString("directory")), file)));
                })
                .findOne();
    }

    /** {@link #read} in a transaction of its own. */
    public Optional<Content> read(SiteId site, UUID id) {
        return database.read(handle -> read(handle, site, id));
    }

    /** Deletes the files uploaded for a message that was never sent; returns how many. */
    public int sweep() {
        List<Orphan> orphans = database.inTransaction(handle -> handle.createQuery("""
                        DELETE FROM files WHERE attached_at IS NULL AND created_at < :before
                        RETURNING site_id, file_id, directory
                        """)
                .bind("before", clock.instant().minus(UNSENT_KEPT))
                .map((rs, ctx) -> new Orphan(new SiteId(rs.getObject("site_id", UUID.class)),
                        rs.getObject("file_id", UUID.class), rs.getString("directory")))
                .list());
        for (Orphan orphan : orphans) {
            if (orphan.directory() != null) {
                try {
                    java.nio.file.Files.deleteIfExists(Path.of(orphan.directory(), orphan.site().toString(),
                            orphan.id().toString()));
                } catch (IOException e) {
                    log.warn("could not delete the unsent file {} of site {}", orphan.id(), orphan.site(), e);
                }
            }
        }
        return orphans.size();
    }

    private record Orphan(SiteId site, UUID id, String directory) {
    }

    /** The last part of a sent name, without what a file system or a header would read as more than a name. */
    static String filename(String given) {
        if (given == null) {
            return null;
        }
        String name = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1)
                .replaceAll("[\\p{Cntrl}\"]", "").strip();
        if (name.equals(".") || name.equals("..") || name.isEmpty()) {
            return null;
        }
        return name.length() <= MAX_FILENAME ? name : name.substring(name.length() - MAX_FILENAME);
    }

    /** Width and height from an image's header (the image is not decoded), or null when its reader cannot tell. */
    private static int[] dimensions(byte[] bytes) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return new int[] {reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) { // a broken image is still a file
            return null;
        }
    }

    private static Path location(Path directory, Stored file) {
        return directory.resolve(file.site().toString()).resolve(file.id().toString());
    }

    private static void write(Path target, byte[] bytes) {
        try {
            java.nio.file.Files.createDirectories(target.getParent());
            Path temporary = target.resolveSibling(target.getFileName() + ".part");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            java.nio.file.Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a file to " + target, e);
        }
    }

    private static byte[] readFile(Path path) {
        try {
            return java.nio.file.Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the file " + path, e);
        }
    }
}
