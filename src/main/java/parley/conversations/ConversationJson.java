package parley.conversations;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;

/** The Wix JSON of conversations (wix-compatibility 2.1–2.3, 3.1–3.2); only the routes use it. */
final class ConversationJson {
    private ConversationJson() {
    }

    record GetOrCreateRequest(ParticipantIdJson participantId) {
    }

    record ParticipantIdJson(String contactId, String anonymousVisitorId, String memberId) {
    }

    record GetOrCreateResponse(ConversationView conversation, boolean newConversation) {
    }

    record GetResponse(ConversationView conversation) {
    }

    record ConversationView(String id, ParticipantView participant, List<String> channels,
                            DisplayData businessDisplayData, DisplayData participantDisplayData) {
    }

    record ParticipantView(String anonymousVisitorId, String memberId, String contactId) {
    }

    record DisplayData(String name, String imageUrl) {
    }

    /**
     * A conversation as the inbox list shows it ({@link InboxList}) with its workflow state; {@code unreadCount} only
     * for dashboard users.
     */
    record InboxItem(String id, ParticipantView participant, DisplayData participantDisplayData,
                     java.time.Instant lastActivityDate, String previewText, String channel,
                     com.fasterxml.jackson.databind.JsonNode badge, Integer unreadCount, ConversationStatus status,
                     java.time.Instant snoozedUntil, UUID assigneeId, UUID teamId, List<UUID> labelIds,
                     java.time.Instant createdDate) {
    }

    record InboxPage(List<InboxItem> conversations, PagingMetadata pagingMetadata) {
    }

    record PagingMetadata(int count, Cursors cursors) {
    }

    record Cursors(String next) {
    }

    /** The list's query string; {@code status} is a comma-separated list of statuses. */
    record InboxQuery(Integer limit, String cursor, String status, String assignee, String team, UUID label,
                      String channel, Boolean unread) {
    }

    record ReadRequest(String readThrough) {
    }

    record WorkflowView(String conversationId, ConversationStatus status, java.time.Instant snoozedUntil,
                        UUID assigneeId, UUID teamId, List<UUID> labelIds) {
    }

    record StatusRequest(ConversationStatus status, java.time.Instant snoozedUntil) {
    }

    record LabelsRequest(List<UUID> labelIds) {
    }

    static WorkflowView view(Workflow.State state) {
        return new WorkflowView(state.conversationId().toString(), state.status(), state.snoozedUntil(),
                state.assigneeId(), state.teamId(), state.labelIds());
    }

    static InboxItem item(InboxList.Entry entry) {
        ConversationView view = view(entry.conversation(), null);
        Workflow.State state = entry.state();
        return new InboxItem(view.id(), view.participant(), new DisplayData(entry.displayName(), null),
                entry.lastActivity(), entry.previewText(), entry.channel(), entry.badge(), entry.unreadCount(),
                state.status(), state.snoozedUntil(), state.assigneeId(), state.teamId(), state.labelIds(),
                entry.conversation().createdAt());
    }

    /** Exactly one of the three ids, each a GUID (wix-compatibility 2.2, 3.1). */
    static Participant participant(GetOrCreateRequest request) {
        ParticipantIdJson id = request.participantId();
        if (id == null) {
            throw InvalidArgument.of(FieldViolation.required("participantId"));
        }
        List<Participant> given = new ArrayList<>();
        List<FieldViolation> violations = new ArrayList<>();
        add(given, violations, Participant.Kind.CONTACT, "participantId.contactId", id.contactId());
        add(given, violations, Participant.Kind.ANONYMOUS_VISITOR, "participantId.anonymousVisitorId",
                id.anonymousVisitorId());
        add(given, violations, Participant.Kind.MEMBER, "participantId.memberId", id.memberId());
        if (violations.isEmpty() && given.size() != 1) {
            violations.add(new FieldViolation("participantId",
                    "must have exactly one of contactId, anonymousVisitorId, memberId", FieldViolation.Rule.VALIDATION));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
        return given.getFirst();
    }

    private static void add(List<Participant> given, List<FieldViolation> violations, Participant.Kind kind,
                            String field, String value) {
        if (value == null) {
            return;
        }
        try {
            given.add(new Participant(kind, UUID.fromString(value)));
        } catch (IllegalArgumentException e) {
            violations.add(new FieldViolation(field, "must be a GUID", FieldViolation.Rule.FORMAT));
        }
    }

    static ConversationView view(Conversation conversation, String businessName) {
        Participant participant = conversation.participant();
        String id = participant.id().toString();
        String contactId = switch (participant.kind()) {
            case CONTACT -> id;
            case ANONYMOUS_VISITOR, MEMBER -> conversation.contactId() == null ? null : conversation.contactId().toString();
        };
        ParticipantView view = new ParticipantView(
                participant.kind() == Participant.Kind.ANONYMOUS_VISITOR ? id : null,
                participant.kind() == Participant.Kind.MEMBER ? id : null,
                contactId);
        return new ConversationView(conversation.id().toString(), view, List.of("CHAT"),
                new DisplayData(businessName, null), new DisplayData(participant.label(), null));
    }
}
