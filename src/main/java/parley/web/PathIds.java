package parley.web;

import java.util.Optional;
import java.util.UUID;

/** Ids in paths: one that is not a GUID names nothing, so it is as unknown as one that never existed. */
public final class PathIds {
    private PathIds() {
    }

    public static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** A message id in a path: its sequence, a positive number. */
    public static Optional<Long> sequence(String id) {
        try {
            return Optional.of(Long.parseLong(id)).filter(sequence -> sequence > 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
