package parley.files;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import parley.auth.ParticipantTokens;
import parley.sites.SiteId;

/**
 * The links files are served through (docs/files.md, "Links"). A message keeps a file as its path,
 * {@code /parley/v1/files/<site>/<file>}, which no client can follow; whenever the message is shown, the path
 * becomes a link with an expiry and the site's signature over both: {@code <public URL><path>?expires=…&signature=…}.
 * A link lives for {@link #LIFETIME} and a day at most: its expiry is rounded up to the next whole day, so that a
 * message shown twice the same day shows the same link and a browser shows the image from its cache.
 */
public final class FileLinks {
    public static final String PATH = "/parley/v1/files/";
    static final Duration LIFETIME = Duration.ofDays(7);
    private static final long DAY = Duration.ofDays(1).toSeconds();
    private static final String PURPOSE = "file";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** The file a link names. */
    record Named(SiteId site, UUID file) {
    }

    private final ParticipantTokens tokens;
    private final Supplier<String> publicUrl; // known once the server has its port
    private final Clock clock;

    public FileLinks(ParticipantTokens tokens, Supplier<String> publicUrl, Clock clock) {
        this.tokens = tokens;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    /** How a message keeps a file. */
    public static String path(SiteId site, UUID file) {
        return PATH + site + "/" + file;
    }

    /** Whether {@code url} is a file's path as a message keeps it: only Parley writes those (clients send http URLs). */
    public static boolean isPath(String url) {
        return url != null && url.startsWith(PATH);
    }

    /** {@code url} as a link anyone may follow until it expires, if it is a file's path; any other URL unchanged. */
    public String signed(String url) {
        if (!isPath(url)) {
            return url;
        }
        Named named = parse(url.substring(PATH.length())).orElseThrow(() ->
                new IllegalArgumentException("not a file's path: " + url));
        long now = clock.instant().getEpochSecond();
        long expires = Math.ceilDiv(now + LIFETIME.toSeconds(), DAY) * DAY;
        return publicUrl.get() + url + "?expires=" + expires + "&signature=" + signature(named, expires);
    }

    /** The file a link names, if its signature is the site's and it has not expired. */
    Optional<Named> read(String site, String file, String expires, String signature) {
        Optional<Named> named = parse(site + "/" + file);
        if (named.isEmpty() || expires == null || signature == null || !expires.matches("\\d{1,12}")
                || Instant.ofEpochSecond(Long.parseLong(expires)).isBefore(clock.instant())) {
            return Optional.empty();
        }
        try {
            byte[] expected = Base64.getUrlDecoder().decode(signature(named.get(), Long.parseLong(expires)));
            return MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(signature)) ? named : Optional.empty();
        } catch (IllegalArgumentException e) { // not base64, or a site that does not exist
            return Optional.empty();
        }
    }

    private String signature(Named named, long expires) {
        return ENCODER.encodeToString(tokens.sign(named.site(), PURPOSE, named.site() + "/" + named.file() + "/"
                + expires));
    }

    private static Optional<Named> parse(String siteAndFile) {
        String[] parts = siteAndFile.split("/");
        try {
            return parts.length != 2 ? Optional.empty()
                    : Optional.of(new Named(new SiteId(UUID.fromString(parts[0])), UUID.fromString(parts[1])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
