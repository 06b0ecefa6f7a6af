package parley.errors;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * 400: the request is malformed or breaks a rule; lists the bad fields at once, the first {@link #LISTED} of
 * them: a request with a hundred thousand bad items gets an answer of a few kilobytes, not one per item.
 */
public final class InvalidArgument extends ApiException {
    static final int LISTED = 20;

    private final List<FieldViolation> violations;

    public InvalidArgument(String code, List<FieldViolation> violations) {
        super(code, summary(violations), Map.of());
        this.violations = List.copyOf(violations.subList(0, Math.min(LISTED, violations.size())));
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
        return violations.stream().limit(LISTED).map(v -> v.field() + " " + v.description())
                .collect(Collectors.joining("; "))
                + (violations.size() > LISTED ? "; and " + (violations.size() - LISTED) + " more" : "");
    }
}
