package parley.errors;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** 400: the request is malformed or breaks a rule; lists every bad field at once. */
public final class InvalidArgument extends ApiException {
    private final List<FieldViolation> violations;

    public InvalidArgument(String code, List<FieldViolation> violations) {
        super(code, summary(violations), Map.of());
        this.violations = List.copyOf(violations);
    }

    public InvalidArgument(String code, String message) {
        super(code, message, Map.of());
        this.violations = List.of();
    }

    public static InvalidArgument of(FieldViolation violation) {
        return new InvalidArgument("INVALID_ARGUMENT", List.of(violation));
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    private static String summary(List<FieldViolation> violations) {
        return violations.stream().map(v -> v.field() + " " + v.description()).collect(Collectors.joining("; "));
    }
}
