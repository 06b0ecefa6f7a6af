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
}
