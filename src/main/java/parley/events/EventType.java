package parley.events;

/** The events Parley writes, with their Wix names (spec 5.2). */
public enum EventType {
    MESSAGE_SENT_TO_BUSINESS("wix.crm.inbox.v2.message", "message_sent_to_business",
            "wix.crm.inbox.v2.message_message-sent-to-business"),
    MESSAGE_SENT_TO_PARTICIPANT("wix.crm.inbox.v2.message", "message_sent_to_participant",
            "wix.crm.inbox.v2.message_message-sent-to-participant");

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
