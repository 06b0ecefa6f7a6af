package parley.widget;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Identity verification of members, as Intercom does it: the site's backend, which knows who is signed
 * in, computes {@code hex(HMAC-SHA256(identitySecret, memberId))} and puts it on the page with the member
 * id; the widget passes both, and only then does Parley treat the visitor as that member. Without the
 * secret a page cannot claim to be someone else. The secret is per site, created on first read.
 */
public final class MemberIdentity {
    private final Database database;
    private final SecureRandom random = new SecureRandom();

    public MemberIdentity(Database database) {
        this.database = database;
    }

    public String secret(SiteId site) {
        return database.inTransaction(handle -> {
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            handle.createUpdate("UPDATE sites SET identity_secret = :secret WHERE site_id = :site AND identity_secret IS NULL")
                    .bind("secret", HexFormat.of().formatHex(fresh))
                    .bind("site", site.value())
                    .execute();
            return handle.createQuery("SELECT identity_secret FROM sites WHERE site_id = :site")
                    .bind("site", site.value())
                    .mapTo(String.class)
                    .one();
        });
    }

    public boolean verify(SiteId site, String memberId, String signature) {
        if (memberId == null || signature == null) {
            return false;
        }
        byte[] expected = sign(secret(site), memberId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.strip().toLowerCase().getBytes(StandardCharsets.US_ASCII));
    }

    /** What a site's backend computes (docs/dashboard-and-widget.md shows it in a few languages). */
    public static String sign(String secret, String memberId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(memberId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
