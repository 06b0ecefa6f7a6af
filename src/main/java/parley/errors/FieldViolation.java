package parley.errors;

/**
 * One bad field of a request: its path in the request as the client spelled it in camelCase
 * ({@code message.content.template.buttons[2].label}), what is wrong, and the Wix rule name. Both texts may
 * echo what the client sent (a field name, a value); they are cut to a length an error needs.
 */
public record FieldViolation(String field, String description, Rule violatedRule) {
    static final int MAX_FIELD = 200;
    static final int MAX_DESCRIPTION = 500;

    /** The subset of Wix's {@code violatedRule} values Parley reports. */
    public enum Rule { VALIDATION, REQUIRED_FIELD, MAX, MIN, MIN_LENGTH, MAX_LENGTH, MAX_SIZE, MIN_SIZE, FORMAT }

    public FieldViolation {
        field = cut(field, MAX_FIELD);
        description = cut(description, MAX_DESCRIPTION);
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    public static FieldViolation required(String field) {
        return new FieldViolation(field, "is required", Rule.REQUIRED_FIELD);
    }
}
