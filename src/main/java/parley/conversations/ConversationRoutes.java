package parley.conversations;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.idempotency.IdempotencyKey;
import parley.sites.Sites;
import parley.web.Requests;
import parley.web.Responses;
import parley.web.WixPaths;

/** {@code getOrCreateConversation} and {@code getConversation} on both Wix path families. */
public final class ConversationRoutes {
    private final Authentication authentication;
    private final Conversations conversations;
    private final Sites sites;

    public ConversationRoutes(Authentication authentication, Conversations conversations, Sites sites) {
        this.authentication = authentication;
        this.conversations = conversations;
        this.sites = sites;
    }

    public void register(JavalinConfig config) {
        for (String base : WixPaths.INBOX) {
            config.routes.post(base + "/conversations", this::getOrCreateConversation);
            config.routes.get(base + "/conversations/{conversationId}", this::getConversation);
        }
        config.routes.get("/parley/v1/conversations/{conversationId}/merges", this::merges);
        config.routes.get("/parley/v1/conversations", this::inbox);
        config.routes.get("/parley/v1/conversations/counts", this::counts);
        config.routes.post("/parley/v1/conversations/{conversationId}/read", this::markRead);
        config.routes.get("/parley/v1/conversations/{conversationId}/workflow", this::workflow);
        config.routes.post("/parley/v1/conversations/{conversationId}/status", this::setStatus);
        config.routes.post("/parley/v1/conversations/{conversationId}/assignment", this::assign);
        config.routes.put("/parley/v1/conversations/{conversationId}/labels", this::setLabels);
    }

    private void getOrCreateConversation(Context ctx) {
        Caller caller = authentication.caller(ctx);
        var body = Requests.bodyTree(ctx);
        Participant participant = ConversationJson.participant(Requests.bind(body, ConversationJson.GetOrCreateRequest.class));
        var key = IdempotencyKey.from(ctx.header("Idempotency-Key"), body);
        GetOrCreateConversation.Result result = conversations.getOrCreate().getOrCreate(caller, participant, key);
        Responses.json(ctx, new ConversationJson.GetOrCreateResponse(
                ConversationJson.view(result.conversation(), businessName(caller)), result.newConversation()));
    }

    private void getConversation(Context ctx) {
        Caller caller = authentication.caller(ctx);
        Conversation conversation = conversations.get(caller.site(), ctx.pathParam("conversationId"));
        Responses.json(ctx, new ConversationJson.GetResponse(ConversationJson.view(conversation, businessName(caller))));
    }

    /** The inbox list: {@code ?limit=} (1–100, default 50), {@code ?cursor=} from the previous page, and filters. */
    private void inbox(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ConversationJson.InboxQuery query = Requests.query(ctx, ConversationJson.InboxQuery.class);
        InboxList.Page page = conversations.inbox().list(caller, filter(query), Requests.limit(query.limit(), 50, 100),
                query.cursor());
        var items = page.entries().stream().map(ConversationJson::item).toList();
        Responses.json(ctx, new ConversationJson.InboxPage(items, new ConversationJson.PagingMetadata(items.size(),
                new ConversationJson.Cursors(page.nextCursor().orElse(null)))));
    }

    /** The counts of the list's views (mine, unassigned, all) under the same filters. */
    private void counts(Context ctx) {
        Caller caller = authentication.caller(ctx);
        Responses.json(ctx, conversations.inbox().counts(caller,
                filter(Requests.query(ctx, ConversationJson.InboxQuery.class))));
    }

    private static InboxList.Filter filter(ConversationJson.InboxQuery query) {
        Set<ConversationStatus> statuses = EnumSet.noneOf(ConversationStatus.class);
        for (String status : query.status() == null || query.status().isBlank() ? new String[0]
                : query.status().split(",")) {
            try {
                statuses.add(ConversationStatus.valueOf(status.strip()));
            } catch (IllegalArgumentException e) {
                throw InvalidArgument.of(new FieldViolation("status", "must be a list of OPEN, PENDING, SNOOZED, "
                        + "RESOLVED", FieldViolation.Rule.FORMAT));
            }
        }
        return new InboxList.Filter(statuses, query.assignee(), query.team(), query.label(), query.channel(),
                Boolean.TRUE.equals(query.unread()));
    }

    private void workflow(Context ctx) {
        Caller caller = authentication.caller(ctx);
        Responses.json(ctx, ConversationJson.view(conversations.workflow().state(caller.site(),
                ctx.pathParam("conversationId"))));
    }

    /** {@code {"status": "SNOOZED", "snoozedUntil": "2026-12-04T09:00:00Z"}}. */
    private void setStatus(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ConversationJson.StatusRequest request = Requests.body(ctx, ConversationJson.StatusRequest.class);
        if (request.status() == null) {
            throw InvalidArgument.of(FieldViolation.required("status"));
        }
        Responses.json(ctx, ConversationJson.view(conversations.workflow().setStatus(caller,
                ctx.pathParam("conversationId"), request.status(), request.snoozedUntil())));
    }

    /**
     * {@code {"assigneeId": "<user id>" | "me" | null, "teamId": "<team id>" | null}}: a field left out stays as it
     * is, a null one is cleared.
     */
    private void assign(Context ctx) {
        Caller caller = authentication.caller(ctx);
        var body = Requests.bodyTree(ctx);
        Optional<UUID> assignee = body.has("assigneeId") ? Optional.ofNullable(assigneeId(caller, body.get("assigneeId")))
                : null;
        Optional<UUID> team = body.has("teamId") ? Optional.ofNullable(id("teamId", body.get("teamId"))) : null;
        if (assignee == null && team == null) {
            throw InvalidArgument.of(new FieldViolation("assigneeId", "give assigneeId, teamId or both",
                    FieldViolation.Rule.REQUIRED_FIELD));
        }
        Responses.json(ctx, ConversationJson.view(conversations.workflow().assign(caller,
                ctx.pathParam("conversationId"), assignee, team)));
    }

    private static UUID assigneeId(Caller caller, JsonNode value) {
        if (value.isTextual() && InboxList.Filter.ME.equals(value.asText())) {
            if (!(caller.identity() instanceof Caller.Agent agent)) {
                throw InvalidArgument.of(new FieldViolation("assigneeId", "\"me\" is for a dashboard user",
                        FieldViolation.Rule.VALIDATION));
            }
            return agent.userId();
        }
        return id("assigneeId", value);
    }

    private static UUID id(String field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        try {
            return UUID.fromString(value.isTextual() ? value.asText() : "");
        } catch (IllegalArgumentException e) {
            throw InvalidArgument.of(new FieldViolation(field, "must be a GUID or null", FieldViolation.Rule.FORMAT));
        }
    }

    /** {@code {"labelIds": [...]}}: the conversation's labels from now on. */
    private void setLabels(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ConversationJson.LabelsRequest request = Requests.body(ctx, ConversationJson.LabelsRequest.class);
        if (request.labelIds() == null) {
            throw InvalidArgument.of(FieldViolation.required("labelIds"));
        }
        Responses.json(ctx, ConversationJson.view(conversations.workflow().setLabels(caller,
                ctx.pathParam("conversationId"), request.labelIds())));
    }

    /** A dashboard user has read the conversation up to {@code readThrough} (a sequence), or all of it. */
    private void markRead(Context ctx) {
        Caller caller = authentication.caller(ctx);
        ConversationJson.ReadRequest request = ctx.body().isBlank() ? new ConversationJson.ReadRequest(null)
                : Requests.body(ctx, ConversationJson.ReadRequest.class);
        Long readThrough;
        try {
            readThrough = request.readThrough() == null ? null : Long.valueOf(request.readThrough());
        } catch (NumberFormatException e) {
            throw InvalidArgument.of(new FieldViolation("readThrough", "must be a message sequence",
                    FieldViolation.Rule.FORMAT));
        }
        conversations.inbox().markRead(caller, ctx.pathParam("conversationId"), readThrough);
        ctx.status(204);
    }

    /** The merge ledger of a conversation (any of its ids, old or current). */
    private void merges(Context ctx) {
        Caller caller = authentication.caller(ctx);
        var entries = conversations.merge().ledger(caller.site(), ctx.pathParam("conversationId"));
        Responses.json(ctx, java.util.Map.of("merges", entries.stream().map(entry -> java.util.Map.of(
                "id", entry.mergeId().toString(),
                "targetConversationId", entry.targetConversationId().toString(),
                "oldConversationIds", entry.oldConversationIds().stream().map(Object::toString).toList(),
                "reason", entry.reason().name(),
                "requestedBy", entry.requestedBy(),
                "messagesMoved", entry.messagesMoved(),
                "mergedDate", entry.mergedAt().toString())).toList()));
    }

    private String businessName(Caller caller) {
        return sites.find(caller.site()).orElseThrow().displayName();
    }
}
