package parley.contacts;

import java.time.Instant;
import java.util.UUID;

/** A contact of a site (wix-compatibility 7.1). */
public record Contact(UUID id, int revision, Source source, ContactInfo info, Instant createdDate,
                      Instant updatedDate, LastActivity lastActivity) {

    /** Who created the contact. Nullable: {@code appId}. */
    public record Source(String sourceType, String appId) {
    }

    public record LastActivity(Instant activityDate, String activityType) {
    }

    /** The Wix activity types Parley writes (wix-compatibility 7.1, D-28). */
    public static final String CONTACT_CREATED = "CONTACT_CREATED";
    public static final String CONTACT_MERGED = "CONTACT_MERGED";
    public static final String MEMBER_REGISTER = "MEMBER_REGISTER";
    public static final String INBOX_MESSAGE_FROM_CUSTOMER = "INBOX_MESSAGE_FROM_CUSTOMER";
    public static final String INBOX_MESSAGE_TO_CUSTOMER = "INBOX_MESSAGE_TO_CUSTOMER";
    public static final String INBOX_FORM_SUBMITTED = "INBOX_FORM_SUBMITTED";
}
