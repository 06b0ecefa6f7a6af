package parley.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;

/**
 * Reads what a client sent into a feature's wire record. Bodies are JSON whatever the Content-Type
 * says (the Get Or Create example omits it, wix-compatibility 3). GET parameters come either as ordinary query
 * parameters with dotted names ({@code paging.limit=10}) or, as the official SDK sends them, as one
 * base64url JSON object in {@code .r} (wix-compatibility 11). Any failure is a 400 naming the field.
 *
 * <p>Text that PostgreSQL cannot store or compare — a NUL character, which an overlong UTF-8 {@code C0 80}
 * also decodes to, or half of a surrogate pair — is refused here, where every body and parameter is read,
 * so that no stored or queried string can carry it.
 */
public final class Requests {
    private Requests() {
    }

    /** The body as a JSON object with camelCase keys. */
    public static ObjectNode bodyTree(Context ctx) {
        byte[] body = ctx.bodyAsBytes(); // throws 413 past the configured limit, before we hold it all
        if (body.length == 0) {
            return Json.MAPPER.createObjectNode();
        }
        return object(parse(body), "the request body must be a JSON object");
    }

    public static <T> T body(Context ctx, Class<T> type) {
        return bind(bodyTree(ctx), type, Json.MAPPER);
    }

    /** Binds a camelCased tree strictly; a wrong type or an unknown enum name becomes a field violation. */
    public static <T> T bind(JsonNode tree, Class<T> type) {
        return bind(tree, type, Json.MAPPER);
    }

    /** The {@code limit} parameter of Parley's own list endpoints: {@code fallback} when absent, else 1 to {@code max}. */
    public static int limit(Integer requested, int fallback, int max) {
        int limit = requested == null ? fallback : requested;
        if (limit < 1 || limit > max) {
            throw InvalidArgument.of(new FieldViolation("limit", "must be between 1 and " + max,
                    FieldViolation.Rule.MAX));
        }
        return limit;
    }

    /** The GET parameters, from {@code .r} when present, else from the query string. */
    public static <T> T query(Context ctx, Class<T> type) {
        String encoded = ctx.queryParam(".r");
        if (encoded != null) {
            byte[] json;
            try {
                json = Base64.getUrlDecoder().decode(encoded.replace('+', '-').replace('/', '_').replace("=", ""));
            } catch (IllegalArgumentException e) {
                throw InvalidArgument.of(new FieldViolation(".r", "must be base64url-encoded JSON",
                        FieldViolation.Rule.FORMAT));
            }
            return bind(object(parse(json), "the .r parameter must encode a JSON object"), type, Json.QUERY_MAPPER);
        }
        return bind(refuseUnstorableText(fromQueryString(ctx.queryParamMap()), ""), type, Json.QUERY_MAPPER);
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidArgument("MALFORMED_JSON", "the request is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidArgument("MALFORMED_JSON", "the request could not be read");
        }
    }

    private static ObjectNode object(JsonNode node, String message) {
        if (!(node instanceof ObjectNode)) {
            throw new InvalidArgument("MALFORMED_JSON", message);
        }
        return refuseUnstorableText((ObjectNode) WireNames.camelCased(node), "");
    }

    /** Returns {@code tree} if no name or text in it holds a NUL or an unpaired surrogate; else a 400 naming it. */
    private static <T extends JsonNode> T refuseUnstorableText(T tree, String path) {
        if (tree.isTextual() && !storable(tree.textValue())) {
            throw unstorable(path.isEmpty() ? "body" : path);
        }
        if (tree instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (!storable(field.getKey())) {
                    throw unstorable(at);
                }
                refuseUnstorableText(field.getValue(), at);
            });
        }
        for (int i = 0; tree.isArray() && i < tree.size(); i++) {
            refuseUnstorableText(tree.get(i), path + "[" + i + "]");
        }
        return tree;
    }

    private static InvalidArgument unstorable(String field) {
        return InvalidArgument.of(new FieldViolation(field, "must not contain NUL characters or unpaired surrogates",
                FieldViolation.Rule.FORMAT));
    }

    private static boolean storable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isLowSurrogate(c)
                    || Character.isHighSurrogate(c) && (++i == text.length() || !Character.isLowSurrogate(text.charAt(i)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code paging.limit=10&a=1&a=2} becomes {@code {"paging":{"limit":"10"},"a":["1","2"]}}. A name with an
     * empty part ({@code .}, {@code a..b}) names no field: a 400.
     */
    private static ObjectNode fromQueryString(Map<String, List<String>> params) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        params.forEach((name, values) -> {
            String[] path = name.split("\\.", -1);
            if (Arrays.stream(path).anyMatch(String::isEmpty)) {
                throw InvalidArgument.of(new FieldViolation(name, "is not a parameter name: names are dotted paths "
                        + "(paging.limit)", FieldViolation.Rule.FORMAT));
            }
            ObjectNode parent = root;
            for (String segment : Arrays.copyOf(path, path.length - 1)) {
                JsonNode child = parent.get(WireNames.camelCase(segment));
                parent = child instanceof ObjectNode o ? o : parent.putObject(WireNames.camelCase(segment));
            }
            String leaf = WireNames.camelCase(path[path.length - 1]);
            if (values.size() == 1) {
                parent.put(leaf, values.getFirst());
            } else {
                values.forEach(parent.putArray(leaf)::add);
            }
        });
        return root;
    }

    private static <T> T bind(JsonNode tree, Class<T> type, ObjectMapper mapper) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            throw InvalidArgument.of(violation(e));
        } catch (JsonProcessingException e) {
            throw new InvalidArgument("MALFORMED_JSON", "the request could not be read: " + e.getOriginalMessage());
        }
    }

    private static FieldViolation violation(JsonMappingException e) {
        String field = fieldPath(e.getPath());
        if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            String allowed = Arrays.stream(format.getTargetType().getEnumConstants())
                    .map(Object::toString).collect(Collectors.joining(", "));
            return new FieldViolation(field, "must be one of: " + allowed, FieldViolation.Rule.VALIDATION);
        }
        if (e instanceof InvalidNullException) {
            return new FieldViolation(field, "must not be null", FieldViolation.Rule.REQUIRED_FIELD);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new FieldViolation(field, "must be " + describe(mismatch.getTargetType()),
                    FieldViolation.Rule.FORMAT);
        }
        return new FieldViolation(field, "is not valid", FieldViolation.Rule.FORMAT);
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }
}
