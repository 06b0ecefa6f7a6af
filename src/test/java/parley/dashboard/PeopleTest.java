package parley.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.DashboardLogin;
import parley.Fixtures;
import parley.TestParley;

/** People and teams: invitations, roles, deactivation (sessions end at once), teams; only owners manage. */
class PeopleTest {
    private final Fixtures.TestSite acme = Fixtures.acme();
    private final Api owner = DashboardLogin.ownerOf(acme).signIn();
    private final DashboardLogin agentLogin = DashboardLogin.agentOf(acme);
    private final Api agent = agentLogin.signIn();

    @Test
    void anInvitedPersonJoinsOnceWithTheLinkAndSignsIn() {
        assertThat(agent.post("/parley/v1/invitations", "{\"email\": \"x@example.com\"}").status()).isEqualTo(403);
        Api.Response invited = owner.post("/parley/v1/invitations", "{\"email\": \"Nora@Example.com\", \"role\": \"AGENT\"}");
        assertThat(invited.status()).as(invited.raw()).isEqualTo(201);
        assertThat(invited.header("Cache-Control")).contains("no-store");
        String link = invited.text("/link");
        assertThat(link).startsWith("/dashboard/join#");
        String token = link.substring(link.indexOf('#') + 1);
        assertThat(owner.get("/parley/v1/invitations").body().get("invitations")).hasSize(1);
        assertThat(owner.get("/parley/v1/invitations").raw()).doesNotContain(token);

        Api anonymous = Api.anonymous(TestParley.baseUrl());
        assertThat(anonymous.post("/parley/v1/dashboard/accept-invitation", "{\"token\": \"" + token
                + "\", \"password\": \"short\"}").status()).isEqualTo(400);
        Api.Response joined = anonymous.post("/parley/v1/dashboard/accept-invitation", "{\"token\": \"" + token
                + "\", \"name\": \"Nora Ali\", \"password\": \"a long enough password\"}");
        assertThat(joined.status()).as(joined.raw()).isEqualTo(200);
        assertThat(joined.text("/siteId")).isEqualTo(acme.id());
        assertThat(joined.text("/name")).isEqualTo("Nora Ali");
        assertThat(joined.text("/role")).isEqualTo("AGENT");
        assertThat(joined.header("Set-Cookie")).contains("HttpOnly");
        assertThat(anonymous.post("/parley/v1/dashboard/accept-invitation", "{\"token\": \"" + token
                + "\", \"password\": \"a long enough password\"}").status()).isEqualTo(404);
        assertThat(new DashboardLogin("nora@example.com", "a long enough password").signIn()).isNotNull();
        assertThat(owner.get("/parley/v1/invitations").body().get("invitations")).isEmpty();
        assertThat(owner.post("/parley/v1/invitations", "{\"email\": \"nora@example.com\"}").status()).isEqualTo(409);
    }

    @Test
    void aRevokedInvitationOpensNothing() {
        Api.Response invited = owner.post("/parley/v1/invitations", "{\"email\": \"revoked@example.com\"}");
        String token = invited.text("/link").substring(invited.text("/link").indexOf('#') + 1);
        assertThat(owner.delete("/parley/v1/invitations/" + invited.text("/invitation/id")).status()).isEqualTo(204);
        assertThat(Api.anonymous(TestParley.baseUrl()).post("/parley/v1/dashboard/accept-invitation",
                "{\"token\": \"" + token + "\", \"password\": \"a long enough password\"}").status()).isEqualTo(404);
    }

    @Test
    void deactivatingEndsTheSessionsAtOnceAndTheLastOwnerStays() {
        String agentId = agent.get("/parley/v1/dashboard/me").text("/userId");
        assertThat(agent.patch("/parley/v1/users/" + agentId, "{\"role\": \"OWNER\"}").status()).isEqualTo(403);
        Api.Response deactivated = owner.patch("/parley/v1/users/" + agentId, "{\"active\": false}");
        assertThat(deactivated.status()).as(deactivated.raw()).isEqualTo(200);
        assertThat(deactivated.body().has("deactivatedDate")).isTrue();
        assertThat(agent.get("/parley/v1/conversations").status()).isEqualTo(401);
        assertThat(Api.anonymous(TestParley.baseUrl()).post("/parley/v1/dashboard/sign-in", "{\"email\": \""
                + agentLogin.email() + "\", \"password\": \"" + agentLogin.password() + "\"}").status()).isEqualTo(401);
        String conversation = acme.visitorConversation();
        assertThat(owner.post("/parley/v1/conversations/" + conversation + "/assignment",
                "{\"assigneeId\": \"" + agentId + "\"}").status()).isEqualTo(400);

        assertThat(owner.patch("/parley/v1/users/" + agentId, "{\"active\": true, \"role\": \"OWNER\"}").status())
                .isEqualTo(200);
        Api promoted = agentLogin.signIn();
        assertThat(promoted.get("/parley/v1/dashboard/me").text("/role")).isEqualTo("OWNER");
        String ownerId = owner.get("/parley/v1/dashboard/me").text("/userId");
        assertThat(promoted.patch("/parley/v1/users/" + ownerId, "{\"active\": false}").status()).isEqualTo(200);
        Api.Response last = promoted.patch("/parley/v1/users/" + agentId, "{\"role\": \"AGENT\"}");
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.text("/details/applicationError/code")).isEqualTo("LAST_OWNER");
        JsonNode users = promoted.get("/parley/v1/users").body().get("users");
        assertThat(users).extracting(u -> u.get("role").asText()).containsExactly("OWNER", "OWNER");
    }

    @Test
    void teamsAreManagedByOwnersAndListedToAll() {
        String agentId = agent.get("/parley/v1/dashboard/me").text("/userId");
        assertThat(agent.post("/parley/v1/teams", "{\"name\": \"Sales\"}").status()).isEqualTo(403);
        Api.Response created = owner.post("/parley/v1/teams", "{\"name\": \"Sales\", \"memberIds\": [\"" + agentId + "\"]}");
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String team = created.text("/id");
        assertThat(owner.post("/parley/v1/teams", "{\"name\": \"sales\"}").status()).isEqualTo(409);
        String stranger = DashboardLogin.agentOf(Fixtures.site("Other")).signIn().get("/parley/v1/dashboard/me")
                .text("/userId");
        assertThat(owner.patch("/parley/v1/teams/" + team, "{\"memberIds\": [\"" + stranger + "\"]}").status())
                .isEqualTo(400);
        assertThat(owner.patch("/parley/v1/teams/" + team, "{\"name\": \"Sales EU\", \"memberIds\": []}").status())
                .isEqualTo(200);
        JsonNode teams = agent.get("/parley/v1/teams").body().get("teams");
        assertThat(teams).extracting(t -> t.get("name").asText() + t.get("memberIds").size()).containsExactly("Sales EU0");
        String conversation = acme.visitorConversation();
        assertThat(owner.post("/parley/v1/conversations/" + conversation + "/assignment", "{\"teamId\": \"" + team + "\"}")
                .status()).isEqualTo(200);
        assertThat(owner.delete("/parley/v1/teams/" + team).status()).isEqualTo(204);
        assertThat(owner.get("/parley/v1/conversations/" + conversation + "/workflow").body().has("teamId")).isFalse();
        assertThat(owner.delete("/parley/v1/teams/" + team).status()).isEqualTo(404);
    }
}
