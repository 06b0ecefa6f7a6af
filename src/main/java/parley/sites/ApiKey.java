package parley.sites;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * An API key: {@code prly_} and the base64url of its site id, its key id and a 192-bit secret. The
 * site travels inside the key so that a key can be checked against its own site without an index
 * across sites; the key id doubles as the app id the key's calls act as.
 */
public record ApiKey(SiteId site, UUID keyId, byte[] secret) {
    private static final String PREFIX = "prly_";
    private static final int SECRET_BYTES = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    static ApiKey generate(SiteId site) {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new ApiKey(site, UUID.randomUUID(), secret);
    }

    /** The key's parts, or empty when the text is not shaped like a Parley key. */
    public static Optional<ApiKey> parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length != 32 + SECRET_BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        SiteId site = new SiteId(new UUID(buffer.getLong(), buffer.getLong()));
        UUID keyId = new UUID(buffer.getLong(), buffer.getLong());
        byte[] secret = new byte[SECRET_BYTES];
        buffer.get(secret);
        return Optional.of(new ApiKey(site, keyId, secret));
    }

    public String text() {
        ByteBuffer buffer = ByteBuffer.allocate(32 + SECRET_BYTES);
        buffer.putLong(site.value().getMostSignificantBits()).putLong(site.value().getLeastSignificantBits());
        buffer.putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits());
        buffer.put(secret);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    public byte[] secretHash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
