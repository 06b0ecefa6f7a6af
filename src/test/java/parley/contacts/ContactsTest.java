package parley.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

class ContactsTest {
    private final TestSite acme = Fixtures.acme();

    private Api.Response create(String info) {
        return acme.api().post("/contacts/v4/contacts", "{\"info\": " + info + "}");
    }

    @Test
    void createFillsServerFieldsAndGetReturnsTheContact() {
        Api.Response created = create("""
                {"name": {"first": "Carla", "last": "Diaz"},
                 "emails": {"items": [{"email": "carla@example.org", "tag": "WORK"}, {"email": "c@home.example"}]},
                 "phones": {"items": [{"countryCode": "US", "phone": "(415) 555-0132"}]},
                 "addresses": {"items": [{"tag": "HOME", "address": {"city": "Haifa", "country": "IL"}}]},
                 "company": "Diaz Bakes", "birthdate": "1990-05-01", "locale": "en-US"}""");

        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        assertThat(created.body().at("/contact/revision").asInt()).isEqualTo(1);
        assertThat(created.text("/contact/primaryInfo/email")).isEqualTo("carla@example.org");
        assertThat(created.text("/contact/info/emails/items/0/id")).isNotEmpty();
        assertThat(created.body().at("/contact/info/emails/items/1/primary").asBoolean()).isFalse();
        assertThat(created.text("/contact/info/emails/items/1/tag")).isEqualTo("UNTAGGED");
        assertThat(created.text("/contact/info/phones/items/0/e164Phone")).isEqualTo("+14155550132");
        assertThat(created.text("/contact/lastActivity/activityType")).isEqualTo("CONTACT_CREATED");
        assertThat(created.text("/contact/source/sourceType")).isEqualTo("THIRD_PARTY");

        String id = created.text("/contact/id");
        Api.Response got = acme.api().get("/_api/contacts/v4/contacts/" + id);
        assertThat(got.body().get("contact")).isEqualTo(created.body().get("contact"));
        assertThat(acme.events()).anyMatch(e -> e.type().slug().equals("created") && e.entityId().equals(id));
    }

    @Test
    void infoWithoutNameEmailOrPhoneIsRefusedAndNothingIsStored() {
        Api.Response refused = create("{\"company\": \"Nobody Inc\"}");
        Api.Response badEmail = create("{\"emails\": {\"items\": [{\"email\": \"not-an-address\"}]}}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text("/details/validationError/fieldViolations/0/field")).isEqualTo("info");
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.text("/details/validationError/fieldViolations/0/field"))
                .isEqualTo("info.emails.items[0].email");
        assertThat(acme.events()).isEmpty();
    }

    @Test
    void aUsedEmailIsADuplicateUnlessDuplicatesAreAllowed() {
        String first = create("{\"emails\": {\"items\": [{\"email\": \"Same@Example.org\"}]}}").text("/contact/id");

        Api.Response duplicate = create("{\"emails\": {\"items\": [{\"email\": \"same@example.org\"}]}}");
        Api.Response allowed = acme.api().post("/contacts/v4/contacts",
                "{\"info\": {\"emails\": {\"items\": [{\"email\": \"same@example.org\"}]}}, \"allowDuplicates\": true}");
        String phoneOnly = create("{\"phones\": {\"items\": [{\"phone\": \"+972 4 555 0101\"}]}}").text("/contact/id");
        Api.Response phoneDuplicate = create("{\"phones\": {\"items\": [{\"phone\": \"+972 4 555 0101\"}]}}");

        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.text("/details/applicationError/code")).isEqualTo("DUPLICATE_CONTACT_EXISTS");
        assertThat(duplicate.text("/details/applicationError/data/duplicateContactId")).isEqualTo(first);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(phoneDuplicate.text("/details/applicationError/data/duplicateContactId")).isEqualTo(phoneOnly);
    }

    @Test
    void updateNeedsTheCurrentRevisionAndReplacesOnlyTheFieldsSent() {
        String id = create("{\"name\": {\"first\": \"Carla\"}, \"company\": \"Diaz Bakes\"}").text("/contact/id");

        Api.Response updated = acme.api().patch("/contacts/v4/contacts/" + id,
                "{\"revision\": 1, \"info\": {\"jobTitle\": \"Owner\"}}");
        Api.Response stale = acme.api().patch("/contacts/v4/contacts/" + id,
                "{\"revision\": 1, \"info\": {\"jobTitle\": \"Baker\"}}");

        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        assertThat(updated.body().at("/contact/revision").asInt()).isEqualTo(2);
        assertThat(updated.text("/contact/info/company")).isEqualTo("Diaz Bakes");
        assertThat(updated.text("/contact/info/jobTitle")).isEqualTo("Owner");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.text("/details/applicationError/code")).isEqualTo("CONTACT_REVISION_MISMATCH");
        assertThat(acme.api().get("/contacts/v4/contacts/" + id).text("/contact/info/jobTitle")).isEqualTo("Owner");
    }

    @Test
    void anUpdateAnswersForTheEmailsItAddsNotForTheDuplicateItAlreadyHad() {
        String email = "twins." + UUID.randomUUID() + "@example.org";
        create("{\"emails\": {\"items\": [{\"email\": \"" + email + "\"}]}}");
        String twin = acme.api().post("/contacts/v4/contacts", "{\"info\": {\"emails\": {\"items\": [{\"email\": \""
                + email + "\"}]}}, \"allowDuplicates\": true}").text("/contact/id");
        String taken = "taken." + UUID.randomUUID() + "@example.org";
        String holder = create("{\"emails\": {\"items\": [{\"email\": \"" + taken + "\"}]}}").text("/contact/id");

        Api.Response renamed = acme.api().patch("/contacts/v4/contacts/" + twin,
                "{\"revision\": 1, \"info\": {\"name\": {\"first\": \"Tess\"}}}");
        String addsTaken = "{\"revision\": 2, \"info\": {\"emails\": {\"items\": [{\"email\": \"" + email
                + "\"}, {\"email\": \"" + taken.toUpperCase() + "\"}]}}";
        Api.Response refused = acme.api().patch("/contacts/v4/contacts/" + twin, addsTaken + "}");
        Api.Response allowed = acme.api().patch("/contacts/v4/contacts/" + twin, addsTaken + ", \"allowDuplicates\": true}");

        assertThat(renamed.status()).as(renamed.raw()).isEqualTo(200);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(refused.text("/details/applicationError/code")).isEqualTo("DUPLICATE_CONTACT_EXISTS");
        assertThat(refused.text("/details/applicationError/data/duplicateContactId")).isEqualTo(holder);
        assertThat(allowed.status()).as(allowed.raw()).isEqualTo(200);
        assertThat(allowed.body().at("/contact/info/emails/items")).hasSize(2);
    }

    @Test
    void deleteRemovesTheContact() {
        String id = create("{\"name\": {\"first\": \"Gone\"}}").text("/contact/id");

        assertThat(acme.api().delete("/contacts/v4/contacts/" + id).status()).isEqualTo(200);
        Api.Response got = acme.api().get("/contacts/v4/contacts/" + id);

        assertThat(got.status()).isEqualTo(404);
        assertThat(got.text("/details/applicationError/code")).isEqualTo("CONTACT_NOT_FOUND");
        assertThat(acme.api().get("/contacts/v4/contacts/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void anotherSitesContactIsNotFound() {
        String id = create("{\"name\": {\"first\": \"Private\"}}").text("/contact/id");

        assertThat(Fixtures.site("Other").api().get("/contacts/v4/contacts/" + id).status()).isEqualTo(404);
    }

    @Test
    void listPagesWithOffsetAndProjectsFieldsets() {
        for (int i = 0; i < 5; i++) {
            create("{\"name\": {\"first\": \"P" + i + "\"}, \"company\": \"C\"}");
        }

        Api.Response page = acme.api().get("/contacts/v4/contacts?paging.limit=2&paging.offset=2&fieldsets=BASIC");

        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        assertThat(page.body().get("contacts")).hasSize(2);
        assertThat(page.text("/contacts/0/info/name/first")).isEqualTo("P2");
        assertThat(page.body().at("/contacts/0/info/company").isMissingNode()).isTrue();
        assertThat(page.body().at("/contacts/0/revision").asInt()).isEqualTo(1);
        assertThat(page.body().at("/pagingMetadata/total").asInt()).isEqualTo(5);
        assertThat(page.body().at("/pagingMetadata/offset").asInt()).isEqualTo(2);
        // The last page's total comes from the page itself, a page past the end's from a count.
        for (String offset : List.of("4", "10")) {
            Api.Response tail = acme.api().get("/contacts/v4/contacts?paging.limit=2&paging.offset=" + offset);
            assertThat(tail.body().at("/pagingMetadata/total").asInt()).as(tail.raw()).isEqualTo(5);
            assertThat(tail.body().get("contacts")).hasSize(offset.equals("4") ? 1 : 0);
        }
    }
}
