package parley.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import parley.events.Event;
import parley.events.EventJson;
import parley.sites.SiteId;
import parley.web.Json;

/**
 * One delivery's HTTP body and headers. The body is Wix's envelope (wix-compatibility 5.1): a JWT whose {@code data}
 * claim is the JSON string of {@code {eventType, instanceId, data, identity}}, where {@code data} and
 * {@code identity} are JSON strings again — so a receiver written for Wix ({@code JSON.parse} twice)
 * works unchanged. The headers add Standard Webhooks' HMAC signature for receivers that prefer a secret.
 */
record Envelope(String body, Map<String, String> headers) {
    /** A verifier may hold a JWT a while (a queue) before it checks it. */
    static final Duration VALID_FOR = Duration.ofHours(24);
    static final String SECRET_PREFIX = "whsec_";
    /** The body is the JWT itself, as Wix sends it. */
    static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    record WixData(String eventType, String instanceId, String data, String identity) {
    }

    static Envelope of(Event event, SiteId site, String secret, SigningKeys keys, Instant now) {
        WixData data = new WixData(event.type().webhookEventType(), site.toString(),
                Json.write(EventJson.domainEvent(event)), Json.write(event.identity()));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("data", Json.write(data));
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(VALID_FOR).getEpochSecond());
        String body = keys.sign(Json.write(claims));

        String id = event.id().toString();
        String timestamp = Long.toString(now.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", timestamp);
        headers.put("webhook-signature", "v1," + hmac(secret, id + "." + timestamp + "." + body));
        headers.put("parley-event-position", Long.toString(event.position()));
        return new Envelope(body, headers);
    }

    /** A new subscription secret: {@code whsec_} and 32 random bytes in base64. */
    static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    private static String hmac(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())),
                    "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
