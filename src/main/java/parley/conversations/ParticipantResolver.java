package parley.conversations;

import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.sites.SiteId;

/**
 * Who a participant id stands for now (wix-compatibility D-4): a visitor linked to a contact is that contact, a
 * merged-away contact is its survivor, and a contact who became a member is that member. Implemented by the identity
 * feature; Get Or Create asks it before choosing the conversation.
 */
public interface ParticipantResolver {
    /** The participant to converse with and the person's contact id when known (null otherwise). */
    record Resolved(Participant participant, UUID contactId) {
    }

    /** Inside the caller's transaction; throws a 404 for an unknown contact or member. */
    Resolved resolve(Handle handle, SiteId site, Participant requested);

    /**
     * Whether this visitor stood for a member who has signed out of it: its id still stands for the member
     * (its messages are the member's), but it may no longer act for them.
     */
    boolean signedOut(Handle handle, SiteId site, UUID anonymousVisitorId);
}
