package parley.files;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a file is, read from its bytes rather than taken from whoever sent it (docs/files.md, "Types"). Only what the
 * bytes prove can be shown in a browser: images, audio, video and plain text. Everything else, and above all what
 * could run in a browser (HTML, SVG, XML, PDF), is served as a download.
 */
final class FileTypes {
    static final String UNKNOWN = "application/octet-stream";
    /** Shown in place (with {@code nosniff} and a sandboxing policy): they cannot run anything. */
    private static final Set<String> SHOWN = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
            "image/avif", "audio/mpeg", "audio/ogg", "audio/wav", "audio/mp4", "video/mp4", "video/webm",
            "text/plain");
    /** Types the bytes say nothing more precise than: a claimed type may name them better (a .docx is a zip). */
    private static final Set<String> GENERIC = Set.of(UNKNOWN, "application/zip", "text/plain");
    /** How a request was sent, not what a file is: what curl and forms claim by default. */
    private static final Set<String> TRANSPORT = Set.of("application/x-www-form-urlencoded", UNKNOWN);
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");
    private static final int TEXT_PROBE = 4096;

    private FileTypes() {
    }

    /**
     * The type of {@code bytes}: what they prove, else the type the sender claimed when the bytes are merely
     * generic, but never a type that would be shown in place on the sender's word alone.
     */
    static String of(byte[] bytes, String claimed) {
        String sniffed = sniff(bytes);
        String claim = claimed == null ? "" : claimed.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (GENERIC.contains(sniffed) && MEDIA_TYPE.matcher(claim).matches() && !SHOWN.contains(claim)
                && !TRANSPORT.contains(claim) && !claim.startsWith("multipart/")) {
            return claim;
        }
        return sniffed;
    }

    /** Whether a file of this type is shown in place rather than downloaded. */
    static boolean shown(String type) {
        return SHOWN.contains(type);
    }

    /** Whether a file of this type is an image every browser shows: it becomes an image item. */
    static boolean image(String type) {
        return type.startsWith("image/") && SHOWN.contains(type);
    }

    static String sniff(byte[] b) {
        if (starts(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (starts(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(b, 0, 'G', 'I', 'F', '8') && (starts(b, 4, '7', 'a') || starts(b, 4, '9', 'a'))) {
            return "image/gif";
        }
        if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'A', 'V', 'E')) {
            return "audio/wav";
        }
        if (starts(b, 4, 'f', 't', 'y', 'p')) {
            return isoMedia(new String(b, 8, Math.min(4, b.length - 8), StandardCharsets.ISO_8859_1));
        }
        if (starts(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
            return "video/webm";
        }
        if (starts(b, 0, 'O', 'g', 'g', 'S')) {
            return "audio/ogg";
        }
        if (starts(b, 0, 'I', 'D', '3') || starts(b, 0, 0xFF, 0xFB) || starts(b, 0, 0xFF, 0xF3)
                || starts(b, 0, 0xFF, 0xF2)) {
            return "audio/mpeg";
        }
        if (starts(b, 0, '%', 'P', 'D', 'F', '-')) {
            return "application/pdf";
        }
        if (starts(b, 0, 'P', 'K', 0x03, 0x04)) {
            return "application/zip";
        }
        if (starts(b, 0, 0x1F, 0x8B)) {
            return "application/gzip";
        }
        return text(b);
    }

    /** An ISO media file (MP4 and its kin) by its brand: only what browsers play is shown. */
    private static String isoMedia(String brand) {
        return switch (brand) {
            case "avif", "avis" -> "image/avif";
            case "heic", "heix", "mif1", "msf1" -> "image/heic";
            case "M4A " -> "audio/mp4";
            case "qt  " -> "video/quicktime";
            default -> "video/mp4";
        };
    }

    /** Text: markup (which a browser would run) or plain; bytes that are not UTF-8 text are unknown. */
    private static String text(byte[] b) {
        int length = Math.min(b.length, TEXT_PROBE);
        CharBuffer chars = CharBuffer.allocate(length);
        // Not the end of the input when the probe is cut short: a character cut in two at its end is no error.
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b, 0, length), chars, length == b.length);
        String text = chars.flip().toString();
        if (b.length == 0 || result.isError()
                || text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')) {
            return UNKNOWN;
        }
        String start = text.replace("\uFEFF", "").stripLeading().toLowerCase(Locale.ROOT);
        if (start.startsWith("<")) {
            return start.contains("<svg") ? "image/svg+xml" : start.startsWith("<?xml") ? "application/xml"
                    : "text/html";
        }
        return "text/plain";
    }

    private static boolean starts(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
