package parley.channels;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Locale;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;

/** A channel's DKIM key: made by Parley (RSA, 2048 bits), kept as PKCS#8 sealed, published as a DNS TXT record. */
final class DkimKeys {
    private static final int BITS = 2048;

    private DkimKeys() {
    }

    /**
     * A new key under {@code selector} (a DNS label or several: {@code parley}, {@code parley2026.mail}) for the
     * channel at {@code address}: its private half sealed, its public half as the TXT record a receiver finds it in,
     * {@code <selector>._domainkey.<the address's domain>}.
     */
    static Channels.Dkim create(String selector, String address, Credentials credentials) {
        if (selector == null || selector.length() > 100 || !selector.matches("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
                + "(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")) {
            throw InvalidArgument.of(new FieldViolation("settings.dkim.selector", "must be a DNS label such as "
                    + "parley", FieldViolation.Rule.FORMAT));
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(BITS);
            KeyPair pair = generator.generateKeyPair();
            String name = selector.toLowerCase(Locale.ROOT);
            return new Channels.Dkim(name,
                    credentials.encrypt(Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())),
                    new Channels.DnsRecord(name + "._domainkey." + address.substring(address.indexOf('@') + 1), "TXT",
                            "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }
}
