package parley.errors;

/**
 * One bad field of a request: its path in the request as the client spelled it in camelCase
 * ({@code message.content.template.buttons[2].label}), what is wrong, and the Wix rule name.
 */
public record FieldViolation(String field, String description, Rule violatedRule) {
    /** The subset of Wix's {@code violatedRule} values Parley reports. */
    public enum Rule { VALIDATION, REQUIRED_FIELD, MAX, MIN, MIN_LENGTH, MAX_LENGTH, MAX_SIZE, MIN_SIZE, FORMAT }

    public static FieldViolation required(String field) {
        return new FieldViolation(field, "is required", Rule.REQUIRED_FIELD);
    }
}
