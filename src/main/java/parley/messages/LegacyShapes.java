package parley.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The compatibility shim of wix-compatibility D-6: Wix's own Example Flows article still sends Inbox v1 shapes — a
 * top-level {@code direction}, a {@code payload} with a {@code type} instead of {@code content}, v1 enum
 * names. They are rewritten into v2 before the request is checked, so one set of rules applies to both.
 * A v2 field that is present always wins over its v1 twin.
 */
final class LegacyShapes {
    private static final Map<String, String> DIRECTIONS = Map.of(
            "BUSINESS_TO_VISITOR", "BUSINESS_TO_PARTICIPANT",
            "VISITOR_TO_BUSINESS", "PARTICIPANT_TO_BUSINESS");
    private static final Map<String, String> VISIBILITIES = Map.of(
            "EVERYONE", "BUSINESS_AND_PARTICIPANT",
            "PRIVILEGED", "BUSINESS");

    private LegacyShapes() {
    }

    static ObjectNode translated(ObjectNode body) {
        if (!(body.get("message") instanceof ObjectNode message)) {
            return body;
        }
        JsonNode topLevelDirection = body.remove("direction");
        if (!message.has("direction") && topLevelDirection != null) {
            message.set("direction", topLevelDirection);
        }
        rename(message, "direction", DIRECTIONS);
        rename(message, "visibility", VISIBILITIES);
        if (message.get("badges") instanceof ArrayNode badges) {
            badges.forEach(badge -> {
                if (badge instanceof ObjectNode b) {
                    rename(b, "badgeVisibility", VISIBILITIES);
                }
            });
        }
        JsonNode payload = message.remove("payload");
        if (!message.has("content") && payload instanceof ObjectNode v1) {
            message.set("content", content(v1));
        }
        return body;
    }

    private static void rename(ObjectNode node, String field, Map<String, String> names) {
        JsonNode value = node.get(field);
        if (value != null && value.isTextual() && names.containsKey(value.asText())) {
            node.put(field, names.get(value.asText()));
        }
    }

    /**
     * wix-compatibility 3.8: v1 {@code payload} → v2 {@code content}. An unknown type yields an empty content (a 400).
     */
    private static ObjectNode content(ObjectNode payload) {
        ObjectNode content = payload.objectNode();
        if (payload.has("summary")) {
            content.set("previewText", payload.get("summary"));
        }
        switch (payload.path("type").asText()) {
            case "PLAIN" -> {
                ArrayNode items = content.putObject("basic").putArray("items");
                payload.path("plain").path("data").forEach(item -> {
                    ObjectNode v2 = items.addObject();
                    for (String kind : new String[] {"text", "image", "file"}) {
                        if (item.has(kind)) {
                            v2.set(kind, item.get(kind));
                        }
                    }
                });
            }
            case "MINIMAL" -> content.set("minimal", payload.get("minimal"));
            case "FORM" -> content.set("form", payload.get("form"));
            case "TEMPLATE" -> content.set("template", template(payload.path("template")));
            default -> { }
        }
        return content;
    }

    private static JsonNode template(JsonNode v1) {
        if (!(v1 instanceof ObjectNode template)) {
            return v1;
        }
        ObjectNode v2 = template.deepCopy();
        JsonNode iconUrl = v2.remove("iconUrl");
        if (!v2.has("imageUrl") && iconUrl != null) {
            v2.set("imageUrl", iconUrl);
        }
        if (v2.get("buttons") instanceof ArrayNode buttons) {
            buttons.forEach(button -> {
                if (button instanceof ObjectNode b) {
                    String type = b.path("type").asText();
                    b.remove("type");
                    JsonNode url = b.remove("url");
                    JsonNode buttonPayload = b.remove("buttonPayload");
                    if ("ACTION".equals(type) && url != null && !b.has("launchUrl")) {
                        b.set("launchUrl", url);
                    }
                    if ("POSTBACK".equals(type) && buttonPayload != null && !b.has("postbackProperties")) {
                        b.putObject("postbackProperties").set("interactionId", buttonPayload.get("interactionId"));
                    }
                }
            });
        }
        return v2;
    }
}
