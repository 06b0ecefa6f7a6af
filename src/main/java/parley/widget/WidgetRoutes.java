package parley.widget;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.auth.ParticipantTokens;
import parley.auth.WidgetOrigins;
import parley.conversations.Conversation;
import parley.conversations.Conversations;
import parley.conversations.Participant;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.errors.PermissionDenied;
import parley.errors.Unauthenticated;
import parley.identity.Lifecycle;
import parley.sites.SiteId;
import parley.sites.Sites;
import parley.web.Clients;
import parley.web.RateLimit;
import parley.web.Requests;
import parley.web.Responses;

/**
 * The chat widget's session and a site's widget settings.
 *
 * <p>{@code POST /parley/v1/widget/session} is what the widget calls first, without credentials. It
 * answers a participant token for an anonymous visitor and that visitor's conversation: the visitor of
 * the token it sent back (a reload or a second tab), or a new one when it sent none, or one that is not
 * valid for this site. With a signed member ({@link MemberIdentity}) the visitor is linked to that
 * member's contact, so the conversation continues the member's (what the visitor wrote before folds
 * into it). A visitor that stands for a member continues only while that member is signed in; otherwise
 * (the member signed out, or another one signed in on the same browser) the widget gets a new visitor.
 *
 * <p>{@code GET|PATCH /parley/v1/widget/settings} (API key only: the identity secret is the site
 * backend's) read the identity secret and read or replace the origins allowed to embed the widget and the
 * widget's {@link Appearance} (each part of a PATCH left out stays as it is).
 */
public final class WidgetRoutes {
    private final Sites sites;
    private final ParticipantTokens tokens;
    private final Conversations conversations;
    private final Lifecycle lifecycle;
    private final MemberIdentity members;
    private final WidgetOrigins origins;
    private final Authentication authentication;
    private final RateLimit newVisitors;
    private final Appearances appearances;
    private final VisitorPages pages;
    private final Clock clock;

    /** {@code newVisitorsPerMinute}: new visitors one client address may start a minute (resuming is free). */
    public WidgetRoutes(Sites sites, ParticipantTokens tokens, Conversations conversations, Lifecycle lifecycle,
                        MemberIdentity members, WidgetOrigins origins, Authentication authentication,
                        Appearances appearances, VisitorPages pages, Clock clock, int newVisitorsPerMinute) {
        this.appearances = appearances;
        this.pages = pages;
        this.clock = clock;
        this.sites = sites;
        this.tokens = tokens;
        this.conversations = conversations;
        this.lifecycle = lifecycle;
        this.members = members;
        this.origins = origins;
        this.authentication = authentication;
        this.newVisitors = new RateLimit(newVisitorsPerMinute, Duration.ofMinutes(1), "TOO_MANY_WIDGET_SESSIONS",
                "too many new chat sessions from this address: try again shortly");
    }

    /** {@code page}: where the widget was opened, for the contact panel ({@link VisitorPages}); optional. */
    record SessionRequest(String siteId, String token, SignedMember member, VisitorPages.PageView page) {
    }

    /** A member id and its signature by the site's backend. */
    record SignedMember(String memberId, String signature) {
    }

    record Session(String token, String anonymousVisitorId, String conversationId, Business business) {
    }

    /**
     * What the widget shows of the business: its name, logo and welcome message; outside office hours, the away
     * message; and when availability next changes (the widget asks again then).
     */
    record Business(String name, String logoUrl, String welcomeMessage, boolean available, String awayMessage,
                    java.time.Instant availabilityChanges) {
    }

    record Settings(List<String> allowedOrigins, String identitySecret, Appearance appearance) {
    }

    record SettingsUpdate(List<String> allowedOrigins, Appearance appearance) {
    }

    public void register(JavalinConfig config) {
        config.routes.post("/parley/v1/widget/session", this::session);
        config.routes.get("/parley/v1/widget/settings", this::settings);
        config.routes.patch("/parley/v1/widget/settings", this::updateSettings);
        config.routes.get("/parley/v1/conversations/{conversationId}/pages", this::pages);
    }

    private void session(Context ctx) {
        SessionRequest request = Requests.body(ctx, SessionRequest.class);
        VisitorPages.PageView page = request.page() == null ? null : request.page().checked();
        SiteId site = SiteId.parse(request.siteId()).filter(id -> sites.find(id).isPresent())
                .orElseThrow(() -> new NotFound("SITE_NOT_FOUND", "site not found"));
        origins.check(ctx, site);
        Optional<Lifecycle.Member> member = Optional.ofNullable(request.member()).map(signed -> verified(site, signed));
        UUID visitor = resumed(site, request.token())
                .filter(v -> mayContinue(site, v, member))
                .orElseGet(() -> {
                    newVisitors.take(Clients.of(ctx));
                    return UUID.randomUUID();
                });
        Caller caller = new Caller(site, new Caller.Visitor(visitor));
        // Linked first: what the visitor wrote before signing in folds into the member's conversation, and
        // the visitor's conversation is then the member's (no empty one is made per device).
        member.ifPresent(m -> lifecycle.linkVisitor(caller, visitor, m.contactId()));
        Conversation conversation = conversations.getOrCreate().getOrCreate(caller,
                new Participant(Participant.Kind.ANONYMOUS_VISITOR, visitor), Optional.empty()).conversation();
        if (page != null) {
            pages.record(site, visitor, page, clock.instant());
        }
        Responses.secret(ctx, new Session(tokens.issue(site, visitor), visitor.toString(), conversation.id().toString(),
                business(site)));
    }

    /** The pages the conversation's participant opened the widget on, newest first. */
    private void pages(Context ctx) {
        Caller caller = authentication.caller(ctx);
        Conversation conversation = conversations.get(caller.site(), ctx.pathParam("conversationId"));
        Responses.json(ctx, java.util.Map.of("pages", pages.of(caller.site(), conversation)));
    }

    private Business business(SiteId site) {
        Appearance appearance = appearances.find(site);
        Appearance.Availability availability = appearance.availability(clock.instant());
        return new Business(sites.find(site).orElseThrow().displayName(), appearance.logoUrl(),
                appearance.welcomeMessage(), availability.available(),
                availability.available() ? null : appearance.awayText(), availability.nextChange());
    }

    /** The visitor of the token the widget sent back: ours, of this site, and not long expired. */
    private Optional<UUID> resumed(SiteId site, String token) {
        return Optional.ofNullable(token).flatMap(tokens::read)
                .filter(t -> t.site().equals(site) && tokens.resumable(t))
                .map(ParticipantTokens.Token::anonymousVisitorId);
    }

    /**
     * Whether the page may continue this visitor. A visitor that became a member (signed in on this
     * browser before) continues only while that member is signed in: when the page stops naming the member
     * (it signed out, or someone else signed in on this browser), the member signs out of the visitor, whose
     * tokens then reach no conversation, and the page gets a new visitor: on a shared computer, the next
     * person does not see the member's conversation, not even with a token copied before. A signed-in
     * member does not continue a visitor that stands for someone else.
     */
    private boolean mayContinue(SiteId site, UUID visitor, Optional<Lifecycle.Member> member) {
        Participant now = conversations.standsFor(site, new Participant(Participant.Kind.ANONYMOUS_VISITOR, visitor));
        if (now.kind() == Participant.Kind.MEMBER && !member.map(m -> now.id().equals(m.memberId())).orElse(false)) {
            lifecycle.signOutVisitor(site, visitor);
            return false;
        }
        if (member.isPresent() && now.kind() == Participant.Kind.CONTACT) {
            return false;
        }
        return conversations.ofVisitor(site, new Caller.Visitor(visitor)).isPresent(); // none once signed out
    }

    /** The member whose id the site's backend signed; 401 for a wrong signature. */
    private Lifecycle.Member verified(SiteId site, SignedMember member) {
        if (!members.verify(site, member.memberId(), member.signature())) {
            throw new Unauthenticated("MEMBER_SIGNATURE_INVALID",
                    "member.signature is not the HMAC-SHA256 of member.memberId with the site's identity secret");
        }
        try {
            return lifecycle.member(site, UUID.fromString(member.memberId()));
        } catch (IllegalArgumentException e) {
            throw InvalidArgument.of(new FieldViolation("member.memberId", "must be a GUID", FieldViolation.Rule.FORMAT));
        }
    }

    private void settings(Context ctx) {
        SiteId site = siteOfApp(ctx);
        Responses.secret(ctx, new Settings(origins.allowed(site), members.secret(site), appearances.find(site)));
    }

    private void updateSettings(Context ctx) {
        SiteId site = siteOfApp(ctx);
        SettingsUpdate update = Requests.body(ctx, SettingsUpdate.class);
        if (update.allowedOrigins() == null && update.appearance() == null) {
            throw InvalidArgument.of(new FieldViolation("allowedOrigins", "give allowedOrigins, appearance or both",
                    FieldViolation.Rule.REQUIRED_FIELD));
        }
        Appearance appearance = update.appearance() == null ? null : update.appearance().checked();
        List<String> allowed = update.allowedOrigins() == null ? List.of() : update.allowedOrigins();
        for (int i = 0; i < allowed.size(); i++) {
            String origin = allowed.get(i);
            if (origin == null || !WidgetOrigins.isOrigin(origin)) {
                throw InvalidArgument.of(new FieldViolation("allowedOrigins[" + i + "]",
                        "must be an origin: http(s)://host[:port], nothing after", FieldViolation.Rule.FORMAT));
            }
        }
        if (update.allowedOrigins() != null) {
            origins.allow(site, allowed.stream().distinct().toList());
        }
        if (appearance != null) {
            appearances.save(site, appearance);
        }
        Responses.secret(ctx, new Settings(origins.allowed(site), members.secret(site), appearances.find(site)));
    }

    private SiteId siteOfApp(Context ctx) {
        Caller caller = authentication.caller(ctx);
        if (!(caller.identity() instanceof Caller.App)) {
            throw new PermissionDenied("PERMISSION_DENIED", "widget settings are read and changed with an API key");
        }
        return caller.site();
    }
}
