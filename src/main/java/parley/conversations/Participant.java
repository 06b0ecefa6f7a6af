package parley.conversations;

import java.util.UUID;

/** The non-business side of a conversation, by exactly one kind of id (wix-compatibility 2.2). */
public record Participant(Kind kind, UUID id) {
    public enum Kind { ANONYMOUS_VISITOR, CONTACT, MEMBER }

    public Participant {
        java.util.Objects.requireNonNull(kind);
        java.util.Objects.requireNonNull(id);
    }
}
