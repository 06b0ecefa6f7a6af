package parley.idempotency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.web.Json;

/** A client's idempotency key and a fingerprint of the request it came with. */
public record IdempotencyKey(String key, String requestHash) {
    static final int MAX_LENGTH = 255;

    /** The key from the {@code Idempotency-Key} header, if any; a malformed one is a 400. */
    public static Optional<IdempotencyKey> from(String header, JsonNode request) {
        if (header == null) {
            return Optional.empty();
        }
        if (header.isEmpty() || header.length() > MAX_LENGTH || !header.chars().allMatch(c -> c > 32 && c < 127)) {
            throw InvalidArgument.of(new FieldViolation("Idempotency-Key",
                    "must be 1 to " + MAX_LENGTH + " printable ASCII characters", FieldViolation.Rule.FORMAT));
        }
        return Optional.of(new IdempotencyKey(header, fingerprint(request)));
    }

    /**
     * The key of what a channel takes in under the id its source gave it (a mail's Message-ID, a service's message
     * id), hashed to a fixed length: the same message twice is stored once, whatever the request around it.
     */
    public static IdempotencyKey ofSource(String scope, String sourceId) {
        String key = scope + ":" + sha256(sourceId.getBytes(StandardCharsets.UTF_8));
        return new IdempotencyKey(key, key);
    }

    /** SHA-256 of the request with its keys sorted, so that key order and spelling do not matter. */
    static String fingerprint(JsonNode request) {
        return sha256(Json.write(sorted(request)).getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object sorted(JsonNode node) {
        if (node instanceof ObjectNode object) {
            TreeMap<String, Object> map = new TreeMap<>();
            object.properties().forEach(field -> map.put(field.getKey(), sorted(field.getValue())));
            return map;
        }
        if (node.isArray()) {
            return node.valueStream().map(IdempotencyKey::sorted).toList();
        }
        return node;
    }
}
