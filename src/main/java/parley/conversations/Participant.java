package parley.conversations;

import java.util.UUID;

/** The non-business side of a conversation, by exactly one kind of id (wix-compatibility 2.2). */
public record Participant(Kind kind, UUID id) {
    public enum Kind { ANONYMOUS_VISITOR, CONTACT, MEMBER }

    public Participant {
        java.util.Objects.requireNonNull(kind);
        java.util.Objects.requireNonNull(id);
    }

    /**
     * A stable label from the participant id: "Visitor #8145" as Wix shows visitors (wix-compatibility 2.1), for
     * one the business has no name for.
     */
    public String label() {
        int number = 1000 + Math.floorMod(id.hashCode(), 9000);
        String name = switch (kind) {
            case ANONYMOUS_VISITOR -> "Visitor";
            case CONTACT -> "Contact";
            case MEMBER -> "Member";
        };
        return name + " #" + number;
    }
}
