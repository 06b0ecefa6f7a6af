package parley.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The events Parley writes, with their Wix names (wix-compatibility 5.2, 5.3) and the shape of their domain event: the
 * inbox events and a contact merge are action events ({@code actionEvent.body}); contact created, updated
 * and deleted are entity events, which the official SDK's handlers read the contact from.
 */
public enum EventType {
    MESSAGE_SENT_TO_BUSINESS("wix.crm.inbox.v2.message", "message_sent_to_business",
            "wix.crm.inbox.v2.message_message_sent_to_business", Shape.ACTION),
    MESSAGE_SENT_TO_PARTICIPANT("wix.crm.inbox.v2.message", "message_sent_to_participant",
            "wix.crm.inbox.v2.message_message_sent_to_participant", Shape.ACTION),
    BUTTON_INTERACTED("wix.crm.inbox.v2.message", "button_interacted",
            "wix.crm.inbox.v2.message_button_interacted", Shape.ACTION),
    CONVERSATIONS_MERGED("wix.crm.inbox.v2.conversation", "conversations_merged",
            "wix.crm.inbox.v2.conversation_conversations_merged", Shape.ACTION),
    // Contacts v4 (wix-compatibility 5.3); a merge uses the slug "merge".
    CONTACT_CREATED("wix.contacts.v4.contact", "created", "wix.contacts.v4.contact_created", Shape.CREATED),
    CONTACT_UPDATED("wix.contacts.v4.contact", "updated", "wix.contacts.v4.contact_updated", Shape.UPDATED),
    CONTACT_DELETED("wix.contacts.v4.contact", "deleted", "wix.contacts.v4.contact_deleted", Shape.DELETED),
    CONTACT_MERGED("wix.contacts.v4.contact", "merge", "wix.contacts.v4.contact_merged", Shape.ACTION),
    // Parley's own, for the agent workspace (docs/api.md, "Events"): Wix has no conversation workflow.
    CONVERSATION_STATUS_CHANGED("parley.inbox.v1.conversation", "status_changed",
            "parley.inbox.v1.conversation_status_changed", Shape.ACTION),
    CONVERSATION_ASSIGNED("parley.inbox.v1.conversation", "assigned",
            "parley.inbox.v1.conversation_assigned", Shape.ACTION),
    CONVERSATION_LABELS_CHANGED("parley.inbox.v1.conversation", "labels_changed",
            "parley.inbox.v1.conversation_labels_changed", Shape.ACTION),
    // Parley's own, for channels (docs/email.md, "Delivery"): a business message was queued, sent or failed.
    MESSAGE_DELIVERY_CHANGED("parley.inbox.v1.message", "delivery_changed",
            "parley.inbox.v1.message_delivery_changed", Shape.ACTION),
    // A business message for a custom channel's connector to deliver (docs/channels.md, "Replies").
    CHANNEL_MESSAGE_OUTBOUND("parley.inbox.v1.message", "channel_outbound",
            "parley.inbox.v1.message_channel_outbound", Shape.ACTION);

    /**
     * Where a domain event carries its body: {@code actionEvent.body}, or the entity itself in
     * {@code createdEvent.entity}, {@code updatedEvent.currentEntity} or {@code deletedEvent.deletedEntity}.
     */
    public enum Shape { ACTION, CREATED, UPDATED, DELETED }

    /**
     * The hyphenated names Parley used before it matched the official SDK (wix-compatibility 5.2's correction).
     * Subscriptions that stored them, and clients that still send them, keep working.
     */
    private static final Map<String, EventType> FORMER_NAMES = Map.of(
            "wix.crm.inbox.v2.message_message-sent-to-business", MESSAGE_SENT_TO_BUSINESS,
            "wix.crm.inbox.v2.message_message-sent-to-participant", MESSAGE_SENT_TO_PARTICIPANT,
            "wix.crm.inbox.v2.message_button-interacted", BUTTON_INTERACTED,
            "wix.crm.inbox.v2.conversation_conversations-merged", CONVERSATIONS_MERGED);

    private final String entityFqdn;
    private final String slug;
    private final String webhookEventType;
    private final Shape shape;

    EventType(String entityFqdn, String slug, String webhookEventType, Shape shape) {
        this.entityFqdn = entityFqdn;
        this.slug = slug;
        this.webhookEventType = webhookEventType;
        this.shape = shape;
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

    public Shape shape() {
        return shape;
    }

    public static EventType ofSlug(String slug) {
        for (EventType type : values()) {
            if (type.slug.equals(slug)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event slug " + slug);
    }

    /** The type a webhook event type names, by its name or by a former one. */
    public static Optional<EventType> ofWebhookEventType(String name) {
        return Arrays.stream(values()).filter(type -> type.webhookEventType.equals(name)).findFirst()
                .or(() -> name == null ? Optional.empty() : Optional.ofNullable(FORMER_NAMES.get(name)));
    }
}
