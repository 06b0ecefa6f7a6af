package parley.channels;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import parley.auth.Caller;
import parley.contacts.ContactInfo;
import parley.contacts.Contacts;
import parley.conversations.Conversation;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.conversations.Participant;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.idempotency.IdempotencyKey;
import parley.messages.Message;
import parley.messages.Messages;
import parley.messages.SendMessage;
import parley.storage.Database;
import parley.web.Json;

/**
 * The connector contract (docs/channels.md): what a connector of any other service hands Parley in one call — a
 * message with the service's id for it and who wrote it — becomes the seed's flow A, built in: the sender's contact
 * (found by the service's user id, email or phone, else new), their one conversation, the message in it with the
 * channel's badge, {@code sourceChannel} and {@code sourceChannelId}, once however often the service retries.
 */
public final class Connectors {
    static final int MAX_EXTERNAL_ID = 200;
    static final int MAX_NAME = 200;

    /** Who wrote, as the service knows them; at least one of email, phone, external user id. */
    record SenderJson(String email, String phone, String externalUserId, String name) {
    }

    /** What a connector sends: the service's id for the message, its sender, the message (Send Message's shape). */
    record InboundRequest(String externalMessageId, SenderJson sender) {
    }

    /** What one read found: the channel, the message if it came before, and, for a known sender, whose and where. */
    private record Known(Channels.Settings channel, Optional<Message> seen, Optional<UUID> contact,
                         Optional<ConversationId> conversation) {
    }

    /** What it is answered: the message, where it went, and whether the service had sent it before. */
    record Taken(Object message, String conversationId, String contactId, boolean duplicate) {
    }

    private final Database database;
    private final Channels channels;
    private final Contacts contacts;
    private final Conversations conversations;
    private final Messages messages;
    private final Clock clock;

    public Connectors(Database database, Channels channels, Contacts contacts, Conversations conversations,
                      Messages messages, Clock clock) {
        this.database = database;
        this.channels = channels;
        this.contacts = contacts;
        this.conversations = conversations;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * Takes in a message of the custom channel {@code channelId}. {@code body} is checked whole before anything is
     * written: a bad request changes nothing.
     */
    Taken inbound(Caller caller, UUID channelId, ObjectNode body) {
        InboundRequest request = parley.web.Requests.bind(body, InboundRequest.class);
        List<FieldViolation> violations = new ArrayList<>();
        if (request.externalMessageId() == null || request.externalMessageId().isBlank()
                || request.externalMessageId().length() > MAX_EXTERNAL_ID) {
            violations.add(new FieldViolation("externalMessageId", "is required, at most " + MAX_EXTERNAL_ID
                    + " characters: the service's id for the message", FieldViolation.Rule.REQUIRED_FIELD));
        }
        Contacts.Sender sender = sender(request.sender(), channelId, violations);
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
        // One read for what a known sender's message needs: the channel, whether the message came before, whose it
        // is and where it goes. Only someone new costs writes before the message's own.
        Known known = database.read(handle -> {
            Channels.Settings channel = channels.custom(handle, caller.site(), channelId);
            Optional<Message> seen = handle.createQuery("""
                            SELECT sequence FROM channel_messages
                            WHERE site_id = :site AND channel_id = :channel AND external_id = :id
                            """)
                    .bind("site", caller.site().value())
                    .bind("channel", channelId)
                    .bind("id", request.externalMessageId())
                    .mapTo(Long.class)
                    .findOne()
                    .flatMap(sequence -> messages.find(handle, caller.site(), sequence));
            Optional<UUID> contact = seen.isPresent() ? Optional.empty()
                    : contacts.known(handle, caller.site(), sender);
            Optional<ConversationId> conversation = contact.flatMap(id -> conversations.find(handle, caller.site(),
                    conversations.standsFor(handle, caller.site(), new Participant(Participant.Kind.CONTACT, id))))
                    .map(Conversation::id);
            return new Known(channel, seen, contact, conversation);
        });
        SendMessage.Command command = messages.check(sendRequest(known.channel(), channelId, body));
        if (known.seen().isPresent()) {
            return taken(known.seen().get(), null, true);
        }
        UUID contact = known.contact().orElseGet(() -> contacts.of(caller, sender));
        ConversationId conversation = known.conversation().orElseGet(() ->
                conversations.of(caller, new Participant(Participant.Kind.CONTACT, contact)));
        // The service's id is recorded with the message, in one transaction: a retry finds it, or finds nothing.
        Message message = messages.send().send(caller, command.inConversation(conversation.toString()),
                Optional.of(IdempotencyKey.ofSource("channel:" + channelId, request.externalMessageId())),
                (handle, stored) -> handle.createUpdate("""
                                INSERT INTO channel_messages (site_id, channel_id, external_id, sequence, received_at)
                                VALUES (:site, :channel, :id, :sequence, :at)
                                ON CONFLICT DO NOTHING
                                """)
                        .bind("site", caller.site().value())
                        .bind("channel", channelId)
                        .bind("id", request.externalMessageId())
                        .bind("sequence", stored.sequence())
                        .bind("at", clock.instant())
                        .execute());
        return taken(message, contact, false);
    }

    /**
     * Records an activity of the sender's in another service (the seed's flow B): a {@code minimal} message from the
     * participant that only the business sees, taken in like a message, under the service's id for the activity.
     */
    Taken activity(Caller caller, UUID channelId, ObjectNode body) {
        ObjectNode inbound = Json.MAPPER.createObjectNode();
        if (body.hasNonNull("externalActivityId")) {
            inbound.put("externalMessageId", "activity:" + body.get("externalActivityId").asText());
        }
        inbound.set("sender", body.get("sender"));
        ObjectNode message = inbound.putObject("message");
        message.put("visibility", Message.Visibility.BUSINESS.name());
        ObjectNode content = message.putObject("content");
        content.set("minimal", body.get("activity"));
        if (body.has("previewText")) {
            content.set("previewText", body.get("previewText"));
        }
        return inbound(caller, channelId, inbound);
    }

    private Taken taken(Message message, UUID contact, boolean duplicate) {
        return new Taken(messages.view(message), message.conversationId().toString(),
                contact == null ? null : contact.toString(), duplicate);
    }

    /**
     * The Send Message request the connector's message stands for (the seed's flow A): from the participant, to the
     * business, shown to the business only unless the connector says otherwise, with the channel's badge, type and
     * id — which the connector cannot change.
     */
    private static ObjectNode sendRequest(Channels.Settings channel, UUID channelId, ObjectNode body) {
        ObjectNode message = body.has("message") && body.get("message").isObject()
                ? ((ObjectNode) body.get("message")).deepCopy() : Json.MAPPER.createObjectNode();
        if (!message.hasNonNull("direction")) {
            message.put("direction", Message.Direction.PARTICIPANT_TO_BUSINESS.name());
        }
        if (!message.hasNonNull("visibility")) {
            message.put("visibility", Message.Visibility.BUSINESS.name());
        }
        ArrayNode badges = message.putArray("badges");
        ObjectNode badge = badges.addObject().put("text", channel.name());
        if (channel.iconUrl() != null) {
            badge.put("iconUrl", channel.iconUrl());
        }
        message.put("sourceChannel", channel.channelType().name());
        message.put("sourceChannelId", channelId.toString());
        ObjectNode request = Json.MAPPER.createObjectNode();
        request.put("conversationId", "to be found"); // known once the sender is
        request.set("message", message);
        request.put("sendAs", SendMessage.SendAs.PARTICIPANT.name());
        if (body.has("silent")) {
            request.set("silent", body.get("silent"));
        }
        return request;
    }

    /** The sender, checked: an email, a phone number in E.164, a user id of the service, at least one of them. */
    private static Contacts.Sender sender(SenderJson sender, UUID channelId, List<FieldViolation> violations) {
        if (sender == null || sender.email() == null && sender.phone() == null && sender.externalUserId() == null) {
            violations.add(new FieldViolation("sender", "needs an email, a phone or an externalUserId",
                    FieldViolation.Rule.REQUIRED_FIELD));
            return null;
        }
        if (sender.email() != null && (sender.email().length() > 254 || !sender.email().matches("[^@\\s]+@[^@\\s]+"))) {
            violations.add(new FieldViolation("sender.email", "must be an email address", FieldViolation.Rule.FORMAT));
        }
        String phone = sender.phone() == null ? null : ContactInfo.e164(null, sender.phone());
        if (sender.phone() != null && (phone == null || !sender.phone().strip().startsWith("+"))) {
            violations.add(new FieldViolation("sender.phone", "must be a phone number in E.164, such as +14155550101",
                    FieldViolation.Rule.FORMAT));
        }
        if (sender.externalUserId() != null && (sender.externalUserId().isBlank()
                || sender.externalUserId().length() > MAX_EXTERNAL_ID)) {
            violations.add(new FieldViolation("sender.externalUserId", "must be 1 to " + MAX_EXTERNAL_ID
                    + " characters", FieldViolation.Rule.MAX_LENGTH));
        }
        if (sender.name() != null && sender.name().length() > MAX_NAME) {
            violations.add(new FieldViolation("sender.name", "must be at most " + MAX_NAME + " characters",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        return new Contacts.Sender(sender.email() == null ? null : sender.email().strip(), phone, channelId,
                sender.externalUserId(), ContactInfo.Name.of(sender.name()));
    }

}
