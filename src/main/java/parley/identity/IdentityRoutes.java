package parley.identity;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.contacts.Contact;
import parley.contacts.Contacts;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.web.Requests;
import parley.web.Responses;
import parley.web.WixPaths;

/** Identity links, members, and Merge Contacts (wix-compatibility 7.3b). */
public final class IdentityRoutes {
    private final Authentication authentication;
    private final Lifecycle lifecycle;

    public IdentityRoutes(Authentication authentication, Lifecycle lifecycle) {
        this.authentication = authentication;
        this.lifecycle = lifecycle;
    }

    record LinkRequest(String anonymousVisitorId, String contactId) {
    }

    record MemberRequest(String memberId, String contactId) {
    }

    record MemberView(String id, String contactId, Instant createdDate) {
    }

    record MergeRequest(Integer targetContactRevision, List<String> sourceContactIds) {
    }

    public void register(JavalinConfig config) {
        config.routes.post("/parley/v1/identity/link", this::link);
        config.routes.post("/parley/v1/members", this::registerMember);
        config.routes.get("/parley/v1/members/{memberId}", this::member);
        for (String base : WixPaths.CONTACTS) {
            config.routes.post(base + "/contacts/{contactId}/merge", this::mergeContacts);
        }
    }

    private void link(Context ctx) {
        Caller caller = authentication.caller(ctx);
        LinkRequest request = Requests.body(ctx, LinkRequest.class);
        Lifecycle.Linked linked = lifecycle.linkVisitor(caller, guid("anonymousVisitorId", request.anonymousVisitorId()),
                guid("contactId", request.contactId()));
        Responses.json(ctx, linked.conversation()
                .map(conversation -> Map.of("conversationId", conversation.id().toString()))
                .orElse(Map.of()));
    }

    private void registerMember(Context ctx) {
        Caller caller = authentication.caller(ctx);
        MemberRequest request = Requests.body(ctx, MemberRequest.class);
        UUID memberId = request.memberId() == null ? null : guid("memberId", request.memberId());
        Lifecycle.Member member = lifecycle.registerMember(caller, memberId, guid("contactId", request.contactId()));
        Responses.json(ctx, Map.of("member", view(member)));
    }

    private void member(Context ctx) {
        Caller caller = authentication.caller(ctx);
        UUID memberId;
        try {
            memberId = UUID.fromString(ctx.pathParam("memberId"));
        } catch (IllegalArgumentException e) {
            throw IdentityResolver.memberNotFound();
        }
        Responses.json(ctx, Map.of("member", view(lifecycle.member(caller.site(), memberId))));
    }

    private void mergeContacts(Context ctx) {
        Caller caller = authentication.caller(ctx);
        MergeRequest request = Requests.body(ctx, MergeRequest.class);
        if (request.targetContactRevision() == null) {
            throw InvalidArgument.of(FieldViolation.required("targetContactRevision"));
        }
        List<String> sources = request.sourceContactIds() == null ? List.of() : request.sourceContactIds();
        List<UUID> sourceIds = sources.stream().map(Contacts::parse).toList();
        Contact merged = lifecycle.mergeContacts(caller, Contacts.parse(ctx.pathParam("contactId")),
                request.targetContactRevision(), sourceIds);
        Responses.json(ctx, Map.of("contact", Contacts.view(merged)));
    }

    private static MemberView view(Lifecycle.Member member) {
        return new MemberView(member.memberId().toString(), member.contactId().toString(), member.createdDate());
    }

    private static UUID guid(String field, String value) {
        if (value == null) {
            throw InvalidArgument.of(FieldViolation.required(field));
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw InvalidArgument.of(new FieldViolation(field, "must be a GUID", FieldViolation.Rule.FORMAT));
        }
    }
}
