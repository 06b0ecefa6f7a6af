package parley.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import parley.contacts.ContactField.Kind;
import parley.contacts.ContactField.Operator;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;

/**
 * Translates a filter of the Wix API Query Language (wix-compatibility 7.4) into a SQL condition on {@code contacts c}.
 * Values only ever travel as bound parameters; the SQL text is built from this class's own fragments and the registry's
 * column names. Text compares lower-cased, so every equality is case-insensitive (wix-compatibility D-14).
 *
 * <p>A condition on a field stored in {@code contact_values} reads "some value of the field matches":
 * positive conditions select the matching contacts through the value index, negations ({@code $ne},
 * {@code $nin}, {@code $exists: false}, {@code $isEmpty: true}) are "no value matches".
 */
final class ContactFilter {
    static final int MAX_IN = 1000;

    private final StringBuilder sql = new StringBuilder();
    private final Map<String, Object> binds = new HashMap<>();
    private final String where;
    /** The last value condition made, and how many were made. */
    private ValueCondition valueCondition;
    private int valueConditions;

    /**
     * A condition on {@code contact_values v}; {@code oneValueEach} when its field holds one value per contact, so
     * its matching values are as many as its matching contacts.
     */
    record ValueCondition(String sql, boolean oneValueEach) {
    }

    private ContactFilter(JsonNode filter, String search) {
        List<String> conditions = new ArrayList<>();
        if (filter != null && !filter.isNull()) {
            conditions.add(node(filter, "query.filter"));
        }
        if (search != null && !search.isBlank()) {
            conditions.add(anyValue(null, "v.field IN ('info.name.first', 'info.name.last', 'info.emails.email', "
                    + "'info.phones.phone') AND v.value = " + bind(ContactField.comparable(search))));
        }
        this.where = conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    }

    /** The condition for {@code filter} (may be null) and {@code search} (may be null). */
    static ContactFilter of(JsonNode filter, String search) {
        return new ContactFilter(filter, search);
    }

    String where() {
        return where;
    }

    Map<String, Object> binds() {
        return binds;
    }

    /**
     * When the whole filter is "some value matches" (a search, an email lookup, a prefix), that condition on
     * {@code contact_values v}: its matches can be counted in the value index alone.
     */
    Optional<ValueCondition> soleValueCondition() {
        String sql = valueConditions == 1 ? anyValueSql(valueCondition.sql()) : null;
        boolean sole = sql != null && (where.equals(sql) || where.equals("(" + sql + ")"));
        return sole ? Optional.of(valueCondition) : Optional.empty();
    }

    private String node(JsonNode filter, String at) {
        if (!filter.isObject()) {
            throw invalid(at, "must be an object");
        }
        List<String> conjuncts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : filter.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String here = at + "." + key;
            switch (key) {
                case "$and", "$or" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        throw invalid(here, "must be a non-empty array of filters");
                    }
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < value.size(); i++) {
                        parts.add(node(value.get(i), here + "[" + i + "]"));
                    }
                    conjuncts.add("(" + String.join(key.equals("$and") ? " AND " : " OR ", parts) + ")");
                }
                case "$not" -> conjuncts.add("NOT (" + node(value, here) + ")");
                default -> {
                    if (key.startsWith("$")) {
                        throw invalid(here, "unknown logical operator " + key);
                    }
                    conjuncts.add(field(key, value, here));
                }
            }
        }
        return conjuncts.isEmpty() ? "TRUE" : "(" + String.join(" AND ", conjuncts) + ")";
    }

    private String field(String path, JsonNode condition, String at) {
        ContactField field = ContactField.of(path)
                .orElseThrow(() -> invalid(at, "unknown field " + path + "; filterable fields: "
                        + String.join(", ", ContactField.paths()) + ", info.extendedFields.<key>"));
        boolean operatorForm = condition.isObject() && condition.size() > 0
                && condition.properties().stream().allMatch(entry -> entry.getKey().startsWith("$"));
        if (!operatorForm) {
            return condition(field, Operator.EQ, condition, at); // equality shorthand
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : condition.properties()) {
            String here = at + "." + entry.getKey();
            Operator operator = Operator.of(entry.getKey())
                    .orElseThrow(() -> invalid(here, "unknown operator " + entry.getKey()));
            parts.add(condition(field, operator, entry.getValue(), here));
        }
        return String.join(" AND ", parts);
    }

    private String condition(ContactField field, Operator operator, JsonNode value, String at) {
        if (!field.operators().contains(operator)) {
            throw invalid(at, "the field " + field.path() + " does not support " + operator.wire);
        }
        return switch (operator) {
            case EQ -> positive(field, "= " + scalar(field, value, at), value, at);
            case NE -> "NOT (" + positive(field, "= " + scalar(field, value, at), value, at) + ")";
            case GT -> positive(field, "> " + scalar(field, value, at), value, at);
            case GTE -> positive(field, ">= " + scalar(field, value, at), value, at);
            case LT -> positive(field, "< " + scalar(field, value, at), value, at);
            case LTE -> positive(field, "<= " + scalar(field, value, at), value, at);
            case IN -> in(field, value, at);
            case NIN -> "NOT (" + in(field, value, at) + ")";
            case EXISTS -> bool(value, at) ? exists(field) : "NOT (" + exists(field) + ")";
            case IS_EMPTY -> bool(value, at) ? "NOT (" + exists(field) + ")" : exists(field);
            case STARTS_WITH -> startsWith(field, text(value, at));
            case HAS_SOME -> in(field, value, at);
            case HAS_ALL -> {
                List<String> all = new ArrayList<>();
                for (JsonNode element : list(value, at)) {
                    all.add(positive(field, "= " + scalar(field, element, at), element, at));
                }
                yield all.isEmpty() ? "TRUE" : "(" + String.join(" AND ", all) + ")";
            }
        };
    }

    /** "Some value of the field satisfies {@code comparison}" ({@code comparison} names a bound value). */
    private String positive(ContactField field, String comparison, JsonNode value, String at) {
        return switch (field.kind()) {
            case ID, TIME -> column(field) + " " + comparison;
            case TEXT, LIST -> anyValue(field, "v.field = " + bind(field.path()) + " AND v.value " + comparison);
            case EXTENDED -> anyValue(field, "v.field = " + bind(field.path()) + " AND "
                    + (value.isNumber() ? "v.number " : "v.value ") + comparison);
        };
    }

    private String in(ContactField field, JsonNode value, String at) {
        List<JsonNode> elements = list(value, at);
        if (elements.isEmpty()) {
            return "FALSE";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            names.add(scalar(field, elements.get(i), at + "[" + i + "]"));
        }
        boolean numbers = field.kind() == Kind.EXTENDED && elements.getFirst().isNumber();
        String set = "IN (" + String.join(", ", names) + ")";
        return switch (field.kind()) {
            case ID, TIME -> column(field) + " " + set;
            case TEXT, LIST, EXTENDED -> anyValue(field, "v.field = " + bind(field.path()) + " AND "
                    + (numbers ? "v.number " : "v.value ") + set);
        };
    }

    private String exists(ContactField field) {
        return switch (field.kind()) {
            case ID, TIME -> "TRUE";
            case TEXT, LIST, EXTENDED -> anyValue(field, "v.field = " + bind(field.path()));
        };
    }

    /** A prefix as a range, so the value index serves it whatever plan the statement gets. */
    private String startsWith(ContactField field, String prefix) {
        String from = ContactField.comparable(prefix);
        if (from.isEmpty()) {
            return exists(field);
        }
        int last = from.codePointBefore(from.length());
        String to = from.substring(0, from.length() - Character.charCount(last)) + Character.toString(last + 1);
        return anyValue(field, "v.field = " + bind(field.path()) + " AND v.value >= " + bind(from)
                + " AND v.value < " + bind(to));
    }

    /** "Some value matches {@code condition}", of {@code field} (null: of several). */
    private String anyValue(ContactField field, String condition) {
        // A field with a sort column holds one value per contact (the column is that value).
        valueCondition = new ValueCondition(condition, field != null && field.kind() == Kind.TEXT
                && field.column() != null);
        valueConditions++;
        return anyValueSql(condition);
    }

    private static String anyValueSql(String condition) {
        return "c.contact_id IN (SELECT v.contact_id FROM contact_values v WHERE v.site_id = :site AND "
                + condition + ")";
    }

    private static String column(ContactField field) {
        return field.kind() == Kind.ID ? "c.contact_id" : "c." + field.column();
    }

    /** Binds one scalar of the field's type and returns its placeholder. */
    private String scalar(ContactField field, JsonNode value, String at) {
        return switch (field.kind()) {
            case ID -> {
                try {
                    yield bind(UUID.fromString(text(value, at)));
                } catch (IllegalArgumentException e) {
                    throw invalid(at, "must be a GUID");
                }
            }
            case TIME -> bind(instant(value, at));
            case TEXT, LIST -> bind(ContactField.comparable(text(value, at)));
            case EXTENDED -> value.isNumber() ? bind(value.asDouble())
                    : bind(ContactField.comparable(text(value, at)));
        };
    }

    private String bind(Object value) {
        String name = "p" + binds.size();
        binds.put(name, value);
        return ":" + name;
    }

    private static String text(JsonNode value, String at) {
        if (!value.isTextual()) {
            throw invalid(at, "must be a string");
        }
        return value.asText();
    }

    private static boolean bool(JsonNode value, String at) {
        if (!value.isBoolean()) {
            throw invalid(at, "must be true or false");
        }
        return value.asBoolean();
    }

    private static List<JsonNode> list(JsonNode value, String at) {
        if (!value.isArray()) {
            throw invalid(at, "must be an array");
        }
        if (value.size() > MAX_IN) {
            throw invalid(at, "must have at most " + MAX_IN + " values");
        }
        List<JsonNode> elements = new ArrayList<>();
        value.forEach(elements::add);
        return elements;
    }

    /** RFC 3339 date-times, plain dates (midnight UTC), and the SDK's {@code {"$date": "..."}}. */
    private static Instant instant(JsonNode value, String at) {
        JsonNode date = value.isObject() && value.has("$date") ? value.get("$date") : value;
        String text = text(date, at);
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(at, "must be an RFC 3339 date-time");
        }
    }

    static InvalidArgument invalid(String field, String description) {
        return new InvalidArgument("INVALID_QUERY", List.of(new FieldViolation(field, description,
                FieldViolation.Rule.VALIDATION)));
    }
}
