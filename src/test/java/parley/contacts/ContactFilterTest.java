package parley.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import parley.web.Json;

/** Which filters may be counted in the value index alone: exactly one "some value matches", nothing else. */
class ContactFilterTest {
    @Test
    void onlyASoleValueConditionIsCountedInTheValueIndex() {
        // A last name is one per contact; a search spans fields and a contact has several emails.
        assertThat(of("{\"info.name.last\": {\"$startsWith\": \"Smi\"}}").soleValueCondition())
                .hasValueSatisfying(condition -> assertThat(condition.oneValueEach()).isTrue());
        assertThat(ContactFilter.of(null, "ana").soleValueCondition())
                .hasValueSatisfying(condition -> assertThat(condition.oneValueEach()).isFalse());
        assertThat(of("{\"info.emails.email\": \"ana@example.com\"}").soleValueCondition())
                .hasValueSatisfying(condition -> assertThat(condition.oneValueEach()).isFalse());

        assertThat(of("{\"info.name.last\": {\"$ne\": \"Smith\"}}").soleValueCondition()).isEmpty();
        assertThat(of("{\"info.name.last\": \"Smith\", \"info.company\": \"Acme\"}").soleValueCondition()).isEmpty();
        assertThat(of("{\"info.name.last\": \"Smith\", \"createdDate\": {\"$gt\": \"2026-01-01\"}}")
                .soleValueCondition()).isEmpty();
        assertThat(ContactFilter.of(Json.readStored("{\"info.company\": \"Acme\"}", JsonNode.class), "ana")
                .soleValueCondition()).isEmpty();
        assertThat(ContactFilter.of(null, null).soleValueCondition()).isEmpty();
    }

    private static ContactFilter of(String json) {
        return ContactFilter.of(Json.readStored(json, JsonNode.class), null);
    }
}
