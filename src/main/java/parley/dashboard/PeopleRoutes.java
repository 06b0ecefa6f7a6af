package parley.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.web.Requests;
import parley.web.Responses;

/**
 * People and teams (docs/api.md, "People and teams"): every business caller lists them (to assign), owners and
 * apps change them. Accepting an invitation is {@link DashboardRoutes}' (it signs the new person in).
 */
public final class PeopleRoutes {
    private final Authentication authentication;
    private final People people;
    private final Teams teams;

    public PeopleRoutes(Authentication authentication, People people, Teams teams) {
        this.authentication = authentication;
        this.people = people;
        this.teams = teams;
    }

    record PersonChange(String name, DashboardUser.Role role, Boolean active) {
    }

    record InvitationRequest(String email, DashboardUser.Role role) {
    }

    record TeamRequest(String name, List<UUID> memberIds) {
    }

    public void register(JavalinConfig config) {
        config.routes.get("/parley/v1/users", ctx -> Responses.json(ctx,
                Map.of("users", people.list(authentication.caller(ctx).site()))));
        config.routes.patch("/parley/v1/users/{userId}", this::updatePerson);
        config.routes.get("/parley/v1/invitations", ctx -> Responses.json(ctx,
                Map.of("invitations", people.invitations(authentication.caller(ctx)))));
        config.routes.post("/parley/v1/invitations", this::invite);
        config.routes.delete("/parley/v1/invitations/{invitationId}", ctx -> {
            people.revoke(authentication.caller(ctx), ctx.pathParam("invitationId"));
            ctx.status(204);
        });
        config.routes.get("/parley/v1/teams", ctx -> Responses.json(ctx,
                Map.of("teams", teams.list(authentication.caller(ctx).site()))));
        config.routes.post("/parley/v1/teams", ctx -> {
            TeamRequest request = Requests.body(ctx, TeamRequest.class);
            Responses.json(ctx.status(201), teams.create(authentication.caller(ctx), request.name(), request.memberIds()));
        });
        config.routes.patch("/parley/v1/teams/{teamId}", ctx -> {
            TeamRequest request = Requests.body(ctx, TeamRequest.class);
            Responses.json(ctx, teams.update(authentication.caller(ctx), ctx.pathParam("teamId"), request.name(),
                    request.memberIds()));
        });
        config.routes.delete("/parley/v1/teams/{teamId}", ctx -> {
            teams.delete(authentication.caller(ctx), ctx.pathParam("teamId"));
            ctx.status(204);
        });
    }

    private void updatePerson(Context ctx) {
        Caller caller = authentication.caller(ctx);
        PersonChange change = Requests.body(ctx, PersonChange.class);
        Responses.json(ctx, people.update(caller, ctx.pathParam("userId"), change.name(), change.role(), change.active()));
    }

    /**
     * The answer carries the link's token once: the owner passes the link on ({@code /dashboard/join#<token>}) when
     * no mail is configured, and no mail is yet.
     */
    private void invite(Context ctx) {
        Caller caller = authentication.caller(ctx);
        InvitationRequest request = Requests.body(ctx, InvitationRequest.class);
        People.Invitation invitation = people.invite(caller, request.email(), request.role());
        Responses.secret(ctx.status(201), Map.of("invitation", invitation,
                "link", "/dashboard/join#" + invitation.token()));
    }
}
