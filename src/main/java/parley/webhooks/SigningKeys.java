package parley.webhooks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import parley.storage.Database;

/**
 * The installation's RS256 key pairs. The first node that needs one creates it (under an advisory lock,
 * so nodes agree); nodes re-read the current key every minute, so a rotation reaches all of them. The
 * JWKS publishes the current key and every key retired within the retry window.
 */
public final class SigningKeys {
    private static final Duration REFRESH = Duration.ofMinutes(1);

    private final Database database;
    private final Clock clock;
    private final Duration publishRetiredFor;
    private volatile RSAKey current;
    private volatile Instant loadedAt = Instant.MIN;

    public SigningKeys(Database database, Clock clock, Duration publishRetiredFor) {
        this.database = database;
        this.clock = clock;
        this.publishRetiredFor = publishRetiredFor;
    }

    /** {@code payload} as a compact JWS, signed with the current key and naming it in {@code kid}. */
    String sign(String payload) {
        RSAKey key = current();
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), new Payload(payload));
        try {
            jws.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a webhook", e);
        }
        return jws.serialize();
    }

    /** The JSON of {@code /.well-known/jwks.json}: public keys only. */
    public Map<String, Object> jwks() {
        current(); // a JWKS asked for before the first delivery still lists the key that will sign it
        List<JWK> keys = database.read(handle -> handle.createQuery("""
                        SELECT key_id, private_key, public_key FROM signing_keys
                        WHERE retired_at IS NULL OR retired_at > :since ORDER BY created_at DESC
                        """)
                .bind("since", clock.instant().minus(publishRetiredFor))
                .map((rs, ctx) -> (JWK) key(rs).toPublicJWK())
                .list());
        return new JWKSet(keys).toJSONObject(true);
    }

    /** Retires the current key and starts signing with a new one. */
    public void rotate() {
        database.inTransaction(handle -> {
            lock(handle);
            handle.createUpdate("UPDATE signing_keys SET retired_at = :now WHERE retired_at IS NULL")
                    .bind("now", clock.instant())
                    .execute();
            return create(handle);
        });
        loadedAt = Instant.MIN;
    }

    private RSAKey current() {
        Instant now = clock.instant();
        if (current == null || loadedAt.plus(REFRESH).isBefore(now)) {
            current = database.inTransaction(handle -> {
                lock(handle);
                return handle.createQuery("""
                                SELECT key_id, private_key, public_key FROM signing_keys
                                WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1
                                """)
                        .map((rs, ctx) -> key(rs))
                        .findOne()
                        .orElseGet(() -> create(handle));
            });
            loadedAt = now;
        }
        return current;
    }

    private static void lock(Handle handle) {
        handle.createQuery("SELECT 1 FROM pg_advisory_xact_lock(hashtextextended('parley.signing_keys', 0))")
                .mapTo(Integer.class)
                .one();
    }

    private RSAKey create(Handle handle) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            byte[] id = new byte[12];
            new SecureRandom().nextBytes(id);
            String keyId = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
            handle.createUpdate("""
                            INSERT INTO signing_keys (key_id, private_key, public_key, created_at)
                            VALUES (:id, :private, :public, :now)
                            """)
                    .bind("id", keyId)
                    .bind("private", pair.getPrivate().getEncoded())
                    .bind("public", pair.getPublic().getEncoded())
                    .bind("now", clock.instant())
                    .execute();
            return rsaKey(keyId, (RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a signing key", e);
        }
    }

    private static RSAKey key(ResultSet rs) throws SQLException {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            return rsaKey(rs.getString("key_id"),
                    (RSAPublicKey) factory.generatePublic(new X509EncodedKeySpec(rs.getBytes("public_key"))),
                    (RSAPrivateKey) factory.generatePrivate(new PKCS8EncodedKeySpec(rs.getBytes("private_key"))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key does not load", e);
        }
    }

    private static RSAKey rsaKey(String keyId, RSAPublicKey publicKey, RSAPrivateKey privateKey) {
        return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(keyId).keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256).build();
    }
}
