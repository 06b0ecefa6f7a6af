package parley.sites;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import parley.Api;
import parley.TestParley;

class AdminApiTest {
    private final Api admin = Api.anonymous(TestParley.baseUrl())
            .withHeader("Authorization", "Bearer " + TestParley.ADMIN_TOKEN);

    @Test
    void createsASiteWithAWorkingApiKey() {
        Api.Response created = admin.post("/parley/v1/sites", "{\"displayName\": \"Acme\"}");

        assertThat(created.status()).isEqualTo(200);
        assertThat(created.text("/site/displayName")).isEqualTo("Acme");
        Api api = Api.of(TestParley.baseUrl(), created.text("/site/id"), created.text("/apiKey"));
        assertThat(api.post("/inbox/v2/conversations",
                "{\"participantId\": {\"anonymousVisitorId\": \"" + java.util.UUID.randomUUID() + "\"}}").status())
                .isEqualTo(200);
    }

    @Test
    void refusesAWrongAdminToken() {
        Api.Response response = Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", "Bearer guess")
                .post("/parley/v1/sites", "{\"displayName\": \"Acme\"}");

        assertThat(response.status()).isEqualTo(401);
    }

    @Test
    void requiresADisplayName() {
        Api.Response response = admin.post("/parley/v1/sites", "{}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().at("/details/validationError/fieldViolations/0/field").asText())
                .isEqualTo("displayName");
    }
}
