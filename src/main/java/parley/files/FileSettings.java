package parley.files;

import java.nio.file.Path;

/**
 * Where files are kept and how large one may be (docs/files.md).
 *
 * @param directory where the bytes of new files go, or null: in PostgreSQL, so that one backup holds everything
 * @param maxBytes  the largest file anyone may attach, in any channel
 */
public record FileSettings(Path directory, long maxBytes) {
    public static final long DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
    public static final FileSettings DEFAULTS = new FileSettings(null, DEFAULT_MAX_BYTES);
}
