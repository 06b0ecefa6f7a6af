package parley.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import parley.auth.ParticipantTokens;
import parley.sites.SiteId;

/**
 * A postback button in a mail is a link (docs/email.md, "Buttons"): {@code <public URL>/parley/v1/email/buttons/
 * eb1.<site>.<message sequence>.<interaction id, base64url>.<signature>}, signed with the site's secret, so that
 * nobody can press a button they were not sent. It does not expire: a button in the widget does not either.
 */
public final class ButtonLinks {
    static final String PATH = "/parley/v1/email/buttons/";
    private static final String PREFIX = "eb1.";
    private static final String PURPOSE = "email-button";
    static final int MAX_TOKEN = 600;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** The button a link presses. */
    record Button(SiteId site, long sequence, String interactionId) {
    }

    private final ParticipantTokens tokens;
    private final Supplier<String> publicUrl; // known once the server has its port

    public ButtonLinks(ParticipantTokens tokens, Supplier<String> publicUrl) {
        this.tokens = tokens;
        this.publicUrl = publicUrl;
    }

    String url(SiteId site, long sequence, String interactionId) {
        String claims = site + "." + sequence + "." + ENCODER.encodeToString(interactionId.getBytes(StandardCharsets.UTF_8));
        return publicUrl.get() + PATH + PREFIX + claims + "." + ENCODER.encodeToString(tokens.sign(site, PURPOSE, claims));
    }

    /** The button, if the token is one of ours and intact. */
    Optional<Button> read(String token) {
        String[] parts = token.split("\\.");
        if (token.length() > MAX_TOKEN || parts.length != 5 || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            SiteId site = new SiteId(UUID.fromString(parts[1]));
            String claims = parts[1] + "." + parts[2] + "." + parts[3];
            if (!MessageDigest.isEqual(tokens.sign(site, PURPOSE, claims), Base64.getUrlDecoder().decode(parts[4]))) {
                return Optional.empty();
            }
            return Optional.of(new Button(site, Long.parseLong(parts[2]),
                    new String(Base64.getUrlDecoder().decode(parts[3]), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) { // not a UUID, a number or base64; or a site that does not exist
            return Optional.empty();
        }
    }
}
