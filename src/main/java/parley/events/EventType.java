package parley.events;

/** The events Parley writes, with their Wix names (spec 5.2, 5.3). */
public enum EventType {
    MESSAGE_SENT_TO_BUSINESS("wix.crm.inbox.v2.message", "message_sent_to_business",
            "wix.crm.inbox.v2.message_message-sent-to-business"),
    MESSAGE_SENT_TO_PARTICIPANT("wix.crm.inbox.v2.message", "message_sent_to_participant",
            "wix.crm.inbox.v2.message_message-sent-to-participant"),
    BUTTON_INTERACTED("wix.crm.inbox.v2.message", "button_interacted",
            "wix.crm.inbox.v2.message_button-interacted"),
    CONVERSATIONS_MERGED("wix.crm.inbox.v2.conversation", "conversations_merged",
            "wix.crm.inbox.v2.conversation_conversations-merged"),
    // Contacts v4 (spec 5.3); a merge uses the slug "merge".
    CONTACT_CREATED("wix.contacts.v4.contact", "created", "wix.contacts.v4.contact_created"),
    CONTACT_UPDATED("wix.contacts.v4.contact", "updated", "wix.contacts.v4.contact_updated"),
    CONTACT_DELETED("wix.contacts.v4.contact", "deleted", "wix.contacts.v4.contact_deleted"),
    CONTACT_MERGED("wix.contacts.v4.contact", "merge", "wix.contacts.v4.contact_merged");

    private final String entityFqdn;
    private final String slug;
    private final String webhookEventType;

    EventType(String entityFqdn, String slug, String webhookEventType) {
        this.entityFqdn = entityFqdn;
        this.slug = slug;
        this.webhookEventType = webhookEventType;
    }

    public String entityFqdn() {
        return entityFqdn;
    }

    public String slug() {
        return slug;
    }

    public String webhookEventType() {
        return webhookEventType;
    }

    public static EventType ofSlug(String slug) {
        for (EventType type : values()) {
            if (type.slug.equals(slug)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event slug " + slug);
    }
}
