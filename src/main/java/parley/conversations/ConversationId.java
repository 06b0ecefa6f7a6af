package parley.conversations;

import java.util.Optional;
import java.util.UUID;

/** A conversation id: a GUID, as in every Wix example. */
public record ConversationId(UUID value) {
    public ConversationId {
        java.util.Objects.requireNonNull(value);
    }

    /** Parses a client-supplied id; anything that is not a GUID names no conversation. */
    public static Optional<ConversationId> parse(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(new ConversationId(UUID.fromString(text)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
