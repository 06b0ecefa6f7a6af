package parley.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.web.Json;

/** The Wix JSON of contacts (wix-compatibility 7): requests, the contact view, and {@code fields}/{@code fieldsets}. */
final class ContactJson {
    private ContactJson() {
    }

    record CreateRequest(ContactInfo info, Boolean allowDuplicates) {
    }

    record UpdateRequest(Integer revision, Boolean allowDuplicates) {
    }

    record QueryRequest(String search, QueryJson query) {
    }

    record QueryJson(JsonNode filter, List<SortJson> sort, PagingJson paging, List<String> fields,
                     List<String> fieldsets) {
    }

    record SortJson(String fieldName, String order) {
    }

    record PagingJson(Integer limit, Integer offset) {
    }

    record ListRequest(PagingJson paging, SortJson sort, List<String> fieldsets, List<String> fields) {
    }

    record PrimaryInfo(String email, String phone) {
    }

    record View(String id, int revision, Contact.Source source, Instant createdDate, Instant updatedDate,
                Contact.LastActivity lastActivity, PrimaryInfo primaryInfo, ContactInfo info) {
    }

    record PagingMetadata(int count, int offset, Integer total, boolean tooManyToCount) {
    }

    static ObjectNode view(Contact contact) {
        return (ObjectNode) Json.tree(new View(contact.id().toString(), contact.revision(), contact.source(),
                contact.createdDate(), contact.updatedDate(), contact.lastActivity(),
                new PrimaryInfo(contact.info().primaryEmail(), contact.info().primaryPhone()), contact.info()));
    }

    /** What {@code fields} may name (wix-compatibility 7.2); naming an object returns the whole of it. */
    static final Set<String> FIELDS = Set.of("source", "createdDate", "updatedDate", "lastActivity", "primaryInfo",
            "info.name", "info.emails", "info.phones", "info.addresses", "info.company", "info.jobTitle",
            "info.picture", "info.birthdate", "info.locale", "info.labelKeys", "info.locations", "info.extendedFields");

    private static final Map<String, List<String>> FIELDSETS = Map.of(
            "BASIC", List.of("primaryInfo", "info.name"),
            "COMMUNICATION_DETAILS", List.of("primaryInfo", "info.name", "info.emails", "info.phones",
                    "info.addresses"),
            "EXTENDED", List.of("primaryInfo", "info.name", "info.extendedFields"));

    /**
     * The paths to return: the union of {@code fields} and {@code fieldsets}; empty means all (FULL, the
     * default when neither is given). {@code id} and {@code revision} are always returned.
     */
    static Set<String> projection(List<String> fields, List<String> fieldsets, String at) {
        Set<String> paths = new LinkedHashSet<>();
        boolean full = (fields == null || fields.isEmpty()) && (fieldsets == null || fieldsets.isEmpty());
        for (String field : fields == null ? List.<String>of() : fields) {
            if (!FIELDS.contains(field) && !field.equals("id") && !field.equals("revision")) {
                throw InvalidArgument.of(new FieldViolation(at + ".fields", "unknown field " + field
                        + "; allowed: " + String.join(", ", FIELDS.stream().sorted().toList()),
                        FieldViolation.Rule.VALIDATION));
            }
            paths.add(field);
        }
        for (String fieldset : fieldsets == null ? List.<String>of() : fieldsets) {
            if (fieldset.equals("FULL")) {
                full = true;
            } else if (FIELDSETS.containsKey(fieldset)) {
                paths.addAll(FIELDSETS.get(fieldset));
            } else {
                throw InvalidArgument.of(new FieldViolation(at + ".fieldsets", "unknown fieldset " + fieldset
                        + "; allowed: BASIC, COMMUNICATION_DETAILS, EXTENDED, FULL", FieldViolation.Rule.VALIDATION));
            }
        }
        return full ? Set.of() : paths;
    }

    /** The view cut down to {@code paths} (all of it when empty), always with id and revision. */
    static ObjectNode project(ObjectNode view, Set<String> paths) {
        if (paths.isEmpty()) {
            return view;
        }
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.set("id", view.get("id"));
        result.set("revision", view.get("revision"));
        for (String path : paths) {
            JsonNode value = view.at("/" + path.replace('.', '/'));
            if (value.isMissingNode()) {
                continue;
            }
            ObjectNode parent = result;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                parent = parent.has(parts[i]) ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
            }
            parent.set(parts[parts.length - 1], value);
        }
        return result;
    }
}
