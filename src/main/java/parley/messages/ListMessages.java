package parley.messages;

import java.util.ArrayList;
import java.util.List;
import parley.auth.Caller;
import parley.conversations.Conversation;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.errors.FieldViolation;
import parley.errors.FieldViolation.Rule;
import parley.errors.InvalidArgument;
import parley.errors.PermissionDenied;
import parley.messages.Message.Visibility;
import parley.storage.Database;
import parley.web.Cursors;

/**
 * List Messages (wix-compatibility 3.4): a page of a conversation's messages by sequence, newest first unless asked
 * otherwise. {@code BUSINESS} lists everything, {@code BUSINESS_AND_PARTICIPANT} only what the
 * participant sees; the filter is applied in the SQL. Cursors are keyset positions bound to their query.
 */
public final class ListMessages {
    static final int DEFAULT_LIMIT = 30;
    static final int MAX_LIMIT = 100;

    public enum SortOrder { ASC, DESC }

    /** A List Messages request as the client sent it; nullable fields take the defaults of wix-compatibility 3.4. */
    public record Query(String conversationId, Visibility visibility, Integer limit, String cursor, String sortField,
                        SortOrder order) {
    }

    /** A page and, when more messages follow, the cursor to the next page. {@code nextCursor} may be null. */
    public record Page(List<Message> messages, String nextCursor) {
    }

    /** What a cursor holds: the query it belongs to and the last sequence returned. */
    record MessageCursor(String conversationId, Visibility visibility, String sortField, SortOrder order, long after) {
    }

    private final Database database;
    private final Conversations conversations;
    private final MessageRepository messages;

    ListMessages(Database database, Conversations conversations, MessageRepository messages) {
        this.database = database;
        this.conversations = conversations;
        this.messages = messages;
    }

    public Page list(Caller caller, Query query) {
        check(query);
        int limit = query.limit() == null || query.limit() == 0 ? DEFAULT_LIMIT : query.limit();
        String sortField = query.sortField() == null || query.sortField().isEmpty() ? "sequence" : query.sortField();
        SortOrder order = query.order() == null ? SortOrder.DESC : query.order();
        boolean ascending = order == SortOrder.ASC;
        long after = ascending ? Long.MIN_VALUE : Long.MAX_VALUE;
        if (query.cursor() != null && !query.cursor().isEmpty()) {
            MessageCursor cursor = Cursors.decode(query.cursor(), MessageCursor.class);
            if (!cursor.conversationId().equals(query.conversationId()) || cursor.visibility() != query.visibility()
                    || !cursor.sortField().equals(sortField) || cursor.order() != order) {
                throw Cursors.invalid();
            }
            after = cursor.after();
        }
        boolean visitor = caller.identity() instanceof Caller.Visitor;
        if (visitor && query.visibility() != Visibility.BUSINESS_AND_PARTICIPANT) {
            throw new PermissionDenied("PERMISSION_DENIED", "a visitor sees only BUSINESS_AND_PARTICIPANT messages");
        }
        ConversationId id = ConversationId.parse(query.conversationId()).orElseThrow(Conversations::notFound);
        boolean includeBusinessOnly = query.visibility() == Visibility.BUSINESS;
        long from = after;
        List<Message> page = database.read(handle -> { // one connection for both reads: this is a hot path
            Conversation conversation = conversations.find(handle, caller.site(), id)
                    .filter(found -> conversations.mayActIn(handle, caller, found))
                    .orElseThrow(Conversations::notFound);
            List<Message> found = messages.page(handle, caller.site(), conversation.id(), includeBusinessOnly, from,
                    ascending, limit + 1);
            return visitor ? found.stream().map(Message::seenByParticipant).toList() : found;
        });
        if (page.size() <= limit) {
            return new Page(page, null);
        }
        List<Message> shown = page.subList(0, limit);
        return new Page(List.copyOf(shown), Cursors.encode(new MessageCursor(query.conversationId(), query.visibility(),
                sortField, order, shown.getLast().sequence())));
    }

    private static void check(Query query) {
        List<FieldViolation> violations = new ArrayList<>();
        if (query.conversationId() == null || query.conversationId().isEmpty()) {
            violations.add(FieldViolation.required("conversationId"));
        }
        if (query.visibility() == null || query.visibility() == Visibility.UNKNOWN_VISIBILITY) {
            violations.add(new FieldViolation("visibility", "must be BUSINESS_AND_PARTICIPANT or BUSINESS",
                    Rule.REQUIRED_FIELD));
        }
        if (query.limit() != null && query.limit() < 0) {
            violations.add(new FieldViolation("paging.limit", "must not be negative", Rule.MIN));
        }
        if (query.limit() != null && query.limit() > MAX_LIMIT) {
            violations.add(new FieldViolation("paging.limit", "must be at most " + MAX_LIMIT, Rule.MAX));
        }
        // wix-compatibility D-11: createdDate orders exactly as sequence does, so both name the same order.
        if (query.sortField() != null && !List.of("", "sequence", "createdDate").contains(query.sortField())) {
            violations.add(new FieldViolation("sorting.fieldName", "must be sequence or createdDate", Rule.VALIDATION));
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
    }
}
