package parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
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
 * Participant tokens: what the chat widget holds for its visitor, {@code pt1.<site>.<visitor>.<mac>} with
 * an HMAC-SHA256 of the site's own secret. A token does not expire: it stands for the anonymous visitor
 * id itself, which the widget keeps in localStorage so that a reload or a second tab continues the same
 * conversation (Wix keeps it in a cookie for the same reason). Replacing a site's secret (clear
 * {@code sites.participant_token_secret}) signs every visitor out.
 */
public final class ParticipantTokens {
    static final String PREFIX = "pt1.";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Database database;
    private final SecureRandom random = new SecureRandom();
    private final Map<SiteId, byte[]> secrets = new ConcurrentHashMap<>();

    public ParticipantTokens(Database database) {
        this.database = database;
    }

    public String issue(SiteId site, UUID anonymousVisitorId) {
        String claims = site + "." + anonymousVisitorId;
        return PREFIX + claims + "." + ENCODER.encodeToString(mac(site, claims));
    }

    /** The visitor a token was issued to, if the token is one of ours and intact. */
    public Optional<Caller> verify(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            SiteId site = new SiteId(UUID.fromString(parts[1]));
            UUID visitor = UUID.fromString(parts[2]);
            byte[] expected = mac(site, parts[1] + "." + parts[2]);
            if (!MessageDigest.isEqual(expected, Base64.getUrlDecoder().decode(parts[3]))) {
                return Optional.empty();
            }
            return Optional.of(new Caller(site, new Caller.Visitor(visitor)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static boolean looksLikeOne(String credential) {
        return credential.startsWith(PREFIX);
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
