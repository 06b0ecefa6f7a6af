package parley.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Map;

/**
 * Accepts snake_case keys by renaming them to camelCase before binding (wix-compatibility 3: Wix's own sample app
 * sends {@code conversation_id}, {@code send_as}, {@code preview_text} …). Only keys are renamed, never
 * values. When a body spells a field both ways, the camelCase spelling wins.
 */
final class WireNames {
    private WireNames() {
    }

    static JsonNode camelCased(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode out = object.objectNode();
            for (Map.Entry<String, JsonNode> field : new ArrayList<>(object.properties())) {
                String name = camelCase(field.getKey());
                if (!out.has(name) || name.equals(field.getKey())) {
                    out.set(name, camelCased(field.getValue()));
                }
            }
            return out;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode out = array.arrayNode();
            array.forEach(element -> out.add(camelCased(element)));
            return out;
        }
        return node;
    }

    static String camelCase(String name) {
        if (name.indexOf('_') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
