package parley.channels;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;

/** A channel's DKIM key: made by Parley (RSA, 2048 bits), kept as PKCS#8, published as a DNS TXT record. */
final class DkimKeys {
    private static final int BITS = 2048;

    private DkimKeys() {
    }

    /** A new key under {@code selector} (a DNS label or several: {@code parley}, {@code parley2026.mail}). */
    static Channels.Dkim create(String selector) {
        if (selector == null || !selector.matches("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}"
                + "[a-z0-9])?)*") || selector.length() > 100) {
            throw InvalidArgument.of(new FieldViolation("settings.dkim.selector", "must be a DNS label such as "
                    + "parley", FieldViolation.Rule.FORMAT));
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(BITS);
            return new Channels.Dkim(selector.toLowerCase(java.util.Locale.ROOT),
                    Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded()), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    /** The TXT record a receiver finds the public key in: {@code <selector>._domainkey.<the address's domain>}. */
    static Channels.DnsRecord record(String address, Channels.Dkim dkim) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(dkim.privateKey())));
            byte[] publicKey = rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()))
                    .getEncoded();
            return new Channels.DnsRecord(dkim.selector() + "._domainkey." + address.substring(address.indexOf('@') + 1),
                    "TXT", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(publicKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored DKIM key that is not one", e);
        }
    }
}
