package parley.channels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Channel credentials encrypted at rest (docs/operations.md, "The credentials key"): an IMAP password, a DKIM
 * private key. AES-256-GCM under a key the database never sees — {@code PARLEY_SECRET_KEY} (base64 of 32 bytes),
 * or the file {@code secret.key} in the data directory, made on first start — so a copy of the database (a backup,
 * a dump) holds no usable secret. Every node of an installation needs the same key.
 */
public final class Credentials {
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final byte[] CONTEXT = "parley channel credential".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private Credentials(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the credentials key must be 32 bytes (base64 of 32 random bytes)");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** The key given (base64), else the one in {@code dataDir/secret.key}, made there if there is none yet. */
    public static Credentials of(String given, Path dataDir) {
        if (given != null && !given.isBlank()) {
            return new Credentials(Base64.getDecoder().decode(given.strip()));
        }
        if (dataDir == null) {
            throw new IllegalStateException("set PARLEY_SECRET_KEY: with an external database and no data directory "
                    + "there is nowhere to keep the credentials key");
        }
        Path file = dataDir.resolve("secret.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardOpenOption.CREATE_NEW);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: its own permissions apply
                }
            }
            return new Credentials(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read or make " + file, e);
        }
    }

    public String encrypt(String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, iv);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    /** The secret; fails, saying so, when it was sealed under another key. */
    public String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted credential");
        }
        byte[] bytes = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(bytes, IV_BYTES));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a channel credential was encrypted under another key than this node's "
                    + "(PARLEY_SECRET_KEY or secret.key in the data directory)");
        }
    }

    private Cipher cipher(int mode, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(128, iv));
        cipher.updateAAD(CONTEXT);
        return cipher;
    }
}
