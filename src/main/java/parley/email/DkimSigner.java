package parley.email;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * DKIM signatures (RFC 6376) for the mail Parley sends (docs/email.md, "DKIM"): {@code rsa-sha256}, relaxed
 * canonicalization of headers and body, over the headers a receiver shows or threads by. Signed over the bytes as
 * they go out, so nothing may change the mail after it is signed.
 */
final class DkimSigner {
    /** The headers signed, those of them the mail has; each once (Parley writes each once). */
    private static final List<String> SIGNED = List.of("from", "to", "subject", "date", "message-id", "reply-to",
            "in-reply-to", "references", "mime-version", "content-type");
    private static final Set<Character> WSP = Set.of(' ', '\t');

    private final String domain;
    private final String selector;
    private final PrivateKey key;

    /** {@code privateKey}: PKCS#8, base64, as a channel's settings keep it. */
    DkimSigner(String domain, String selector, String privateKey) throws GeneralSecurityException {
        this.domain = domain;
        this.selector = selector;
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(privateKey)));
    }

    /** {@code mail} (headers, an empty line, the body; CRLF line ends) with its DKIM-Signature header first. */
    byte[] sign(byte[] mail, Instant now) throws GeneralSecurityException {
        int split = headerEnd(mail);
        Map<String, String> headers = headers(new String(mail, 0, split, StandardCharsets.ISO_8859_1));
        byte[] body = relaxedBody(new String(mail, split, mail.length - split, StandardCharsets.ISO_8859_1));
        List<String> signed = SIGNED.stream().filter(headers::containsKey).toList();
        String unsigned = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector + "; t="
                + now.getEpochSecond() + "; h=" + String.join(":", signed) + "; bh="
                + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body)) + "; b=";
        StringBuilder hashed = new StringBuilder();
        for (String name : signed) {
            hashed.append(relaxedHeader(name, headers.get(name))).append("\r\n");
        }
        hashed.append(relaxedHeader("dkim-signature", unsigned)); // without its line end (RFC 6376 3.7)
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(hashed.toString().getBytes(StandardCharsets.ISO_8859_1));
        String header = "DKIM-Signature: " + unsigned + Base64.getEncoder().encodeToString(rsa.sign()) + "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(mail.length + header.length());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(mail);
        return out.toByteArray();
    }

    /** Where the body starts: after the first empty line. */
    private static int headerEnd(byte[] mail) {
        for (int i = 0; i + 3 < mail.length; i++) {
            if (mail[i] == '\r' && mail[i + 1] == '\n' && mail[i + 2] == '\r' && mail[i + 3] == '\n') {
                return i + 4;
            }
        }
        return mail.length;
    }

    /** Each header by its lower-cased name, unfolded; the last of a name wins, as a verifier reads from the end. */
    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        String unfolded = block.replaceAll("\r\n(?=[ \t])", "");
        for (String line : unfolded.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1));
            }
        }
        return headers;
    }

    /** RFC 6376 3.4.2: name lower-cased, the value's whitespace runs one space, none around it. */
    private static String relaxedHeader(String name, String value) {
        return name + ":" + value.replaceAll("\r\n(?=[ \t])", "").replaceAll("[ \t]+", " ").strip();
    }

    /** RFC 6376 3.4.4: whitespace runs one space, none at line ends, no empty lines at the end. */
    private static byte[] relaxedBody(String body) {
        List<String> lines = new ArrayList<>(List.of(body.split("\r\n", -1)));
        if (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast(); // the split's piece after the last line end
        }
        StringBuilder canonical = new StringBuilder(body.length());
        for (String line : lines) {
            canonical.append(stripEnd(line.replaceAll("[ \t]+", " "))).append("\r\n");
        }
        String result = canonical.toString().replaceAll("(\r\n)+$", "\r\n");
        return (result.equals("\r\n") ? "" : result).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String stripEnd(String line) {
        int end = line.length();
        while (end > 0 && WSP.contains(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end);
    }
}
