package parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Participant tokens: what the chat widget holds for its visitor, {@code pt2.<site>.<visitor>.<expires>.<mac>}
 * with an HMAC-SHA256 of the site's own secret over the rest ({@code expires} in epoch seconds). A token opens
 * the API for {@link #LIFETIME}. The widget keeps it in localStorage, so that a reload or a second tab continues
 * the same conversation, and renews it ({@code POST /parley/v1/widget/session} with the token it has) on every
 * page load, every half lifetime and whenever the API refuses it as expired: that answer is a new token for
 * the same visitor. A token that expired less than {@link #RESUMABLE_FOR} ago still resumes its visitor there,
 * so a visitor who comes back within a month keeps the conversation, while a copied token opens the API for an
 * hour at most. Whether the visitor may still act (a member who signed out) is decided where conversations are
 * read, not here. Replacing a site's secret (clear {@code sites.participant_token_secret}) signs every visitor
 * out.
 */
public final class ParticipantTokens {
    public static final Duration LIFETIME = Duration.ofHours(1);
    static final Duration RESUMABLE_FOR = Duration.ofDays(30);
    static final String PREFIX = "pt2.";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Database database;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<SiteId, byte[]> secrets = new ConcurrentHashMap<>();

    public ParticipantTokens(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** An intact token of ours: the visitor it was issued to, and until when it opens the API. */
    public record Token(SiteId site, UUID anonymousVisitorId, Instant expires) {
        public Caller caller() {
            return new Caller(site, new Caller.Visitor(anonymousVisitorId));
        }
    }

    public String issue(SiteId site, UUID anonymousVisitorId) {
        String claims = site + "." + anonymousVisitorId + "." + clock.instant().plus(LIFETIME).getEpochSecond();
        return PREFIX + claims + "." + ENCODER.encodeToString(mac(site, claims));
    }

    /** The token, if it is one of ours and intact, expired or not. */
    public Optional<Token> read(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 5 || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            SiteId site = new SiteId(UUID.fromString(parts[1]));
            UUID visitor = UUID.fromString(parts[2]);
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[3]));
            byte[] expected = mac(site, parts[1] + "." + parts[2] + "." + parts[3]);
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[4]))) {
                return Optional.empty();
            }
            return Optional.of(new Token(site, visitor, expires));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the token still opens the API. */
    public boolean current(Token token) {
        return clock.instant().isBefore(token.expires());
    }

    /** Whether the widget's session may still continue the token's visitor with it. */
    public boolean resumable(Token token) {
        return clock.instant().isBefore(token.expires().plus(RESUMABLE_FOR));
    }

    static boolean looksLikeOne(String credential) {
        return credential.startsWith(PREFIX);
    }

    /**
     * The site's signature over {@code purpose:claims}, for the site's other signed links (email buttons). A
     * participant token's claims have no colon, so no such signature is ever one.
     */
    public byte[] sign(SiteId site, String purpose, String claims) {
        return mac(site, purpose + ":" + claims);
    }

    private byte[] mac(SiteId site, String claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret(site), "HmacSHA256"));
            return mac.doFinal(claims.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The site's secret, created on first use; every node reads the one that won. Unknown sites have none. */
    private byte[] secret(SiteId site) {
        return secrets.computeIfAbsent(site, s -> database.inTransaction(handle -> {
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            handle.createUpdate("""
                            UPDATE sites SET participant_token_secret = :secret
                            WHERE site_id = :site AND participant_token_secret IS NULL
                            """)
                    .bind("secret", fresh)
                    .bind("site", s.value())
                    .execute();
            return handle.createQuery("SELECT participant_token_secret FROM sites WHERE site_id = :site")
                    .bind("site", s.value())
                    .mapTo(byte[].class)
                    .findOne()
                    .orElseThrow(() -> new IllegalArgumentException("no such site"));
        }));
    }
}
