package parley.widget;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.UUID;
import parley.auth.Caller;
import parley.auth.ParticipantTokens;
import parley.conversations.Conversation;
import parley.conversations.GetOrCreateConversation;
import parley.conversations.Participant;
import parley.errors.NotFound;
import parley.sites.SiteId;
import parley.sites.Sites;
import parley.web.Requests;
import parley.web.Responses;

/**
 * {@code POST /parley/v1/widget/session}: what the chat widget calls first, without credentials. It
 * answers a participant token for an anonymous visitor and that visitor's conversation: the visitor of
 * the token it sent back (a reload or a second tab), or a new one when it sent none, or one that is not
 * valid for this site.
 */
public final class WidgetRoutes {
    private final Sites sites;
    private final ParticipantTokens tokens;
    private final GetOrCreateConversation conversations;

    public WidgetRoutes(Sites sites, ParticipantTokens tokens, GetOrCreateConversation conversations) {
        this.sites = sites;
        this.tokens = tokens;
        this.conversations = conversations;
    }

    record SessionRequest(String siteId, String token) {
    }

    record Session(String token, String anonymousVisitorId, String conversationId) {
    }

    public void register(JavalinConfig config) {
        config.routes.post("/parley/v1/widget/session", this::session);
    }

    private void session(Context ctx) {
        SessionRequest request = Requests.body(ctx, SessionRequest.class);
        SiteId site = SiteId.parse(request.siteId()).filter(id -> sites.find(id).isPresent())
                .orElseThrow(() -> new NotFound("SITE_NOT_FOUND", "site not found"));
        UUID visitor = request.token() == null ? null : tokens.verify(request.token())
                .filter(caller -> caller.site().equals(site))
                .map(caller -> ((Caller.Visitor) caller.identity()).anonymousVisitorId())
                .orElse(null);
        UUID anonymousVisitorId = visitor == null ? UUID.randomUUID() : visitor;
        Caller caller = new Caller(site, new Caller.Visitor(anonymousVisitorId));
        Conversation conversation = conversations.getOrCreate(caller,
                new Participant(Participant.Kind.ANONYMOUS_VISITOR, anonymousVisitorId), java.util.Optional.empty())
                .conversation();
        Responses.json(ctx, new Session(tokens.issue(site, anonymousVisitorId), anonymousVisitorId.toString(),
                conversation.id().toString()));
    }
}
