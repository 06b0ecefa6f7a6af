package parley.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;

/**
 * The query language of wix-compatibility 7.4 on the fields of wix-compatibility 7.2, as a table: each row a filter and
 * the contacts it must return. The table must use every operator and every field, so leaving one out of the
 * implementation (or of this table) fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContactQueryTest {
    private final TestSite site = Fixtures.site("Query grammar");
    private final Map<String, String> created = new java.util.HashMap<>();

    @BeforeAll
    void seed() {
        add("Ann", """
                {"name": {"first": "Ann", "last": "Alpha"},
                 "emails": {"items": [{"email": "Ann@A.org"}, {"email": "ann.work@b.org"}]},
                 "phones": {"items": [{"countryCode": "US", "phone": "415-555-0100"}]},
                 "addresses": {"items": [{"address": {"streetAddress": {"number": "1", "name": "Main St"},
                   "city": "Haifa", "subdivision": "IL-HA", "country": "IL"}}]},
                 "company": "Acme", "jobTitle": "Baker", "birthdate": "1990-01-01", "locale": "en",
                 "labelKeys": {"items": ["vip", "custom.early"]}, "locations": {"items": ["north"]},
                 "extendedFields": {"items": {"custom.size": 42, "custom.color": "Red"}}}""");
        add("Bob", """
                {"name": {"first": "Bob", "last": "Beta"}, "emails": {"items": [{"email": "bob@b.org"}]},
                 "company": "Beta Co", "jobTitle": "Driver", "birthdate": "1985-06-15", "locale": "he",
                 "addresses": {"items": [{"address": {"addressLine": "9 Side Rd", "city": "Tel Aviv",
                   "subdivision": "IL-TA", "country": "IL"}}]},
                 "labelKeys": {"items": ["vip"]}, "locations": {"items": ["south"]},
                 "extendedFields": {"items": {"custom.size": 10}}}""");
        add("Cy", """
                {"name": {"first": "Cy"}, "phones": {"items": [{"countryCode": "GB", "phone": "020 7946 0000"}]}}""");
    }

    private void add(String name, String info) {
        Api.Response response = site.api().post("/contacts/v4/contacts", "{\"info\": " + info + "}");
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        created.put(name, response.text("/contact/createdDate"));
    }

    private record Row(String filter, Set<String> expected) {
    }

    private static Row row(String filter, String... expected) {
        return new Row(filter, new TreeSet<>(List.of(expected)));
    }

    private List<Row> table() {
        String bob = created.get("Bob");
        return List.of(
                row("{}", "Ann", "Bob", "Cy"),
                row("{\"info.name.first\": \"ann\"}", "Ann"),                          // shorthand, any case
                row("{\"info.name.first\": {\"$eq\": \"Bob\"}}", "Bob"),
                row("{\"info.name.first\": {\"$ne\": \"Bob\"}}", "Ann", "Cy"),
                row("{\"info.name.last\": {\"$exists\": false}}", "Cy"),
                row("{\"info.name.last\": {\"$startsWith\": \"al\"}}", "Ann"),
                row("{\"info.name.last\": {\"$begins\": \"BE\"}}", "Bob"),
                row("{\"info.emails.email\": \"ann.work@b.org\"}", "Ann"),              // any element
                row("{\"info.emails.email\": \"ANN@a.org\"}", "Ann"),                   // wix-compatibility D-14
                row("{\"info.emails.email\": {\"$in\": [\"bob@b.org\", \"nobody@x.org\"]}}", "Bob"),
                row("{\"info.emails.email\": {\"$nin\": [\"bob@b.org\"]}}", "Ann", "Cy"),
                row("{\"info.emails.email\": {\"$isEmpty\": true}}", "Cy"),
                row("{\"info.emails.email\": {\"$startsWith\": \"ann.\"}}", "Ann"),
                row("{\"primaryInfo.email\": \"ann@a.org\"}", "Ann"),
                row("{\"primaryInfo.email\": {\"$exists\": true}}", "Ann", "Bob"),
                row("{\"primaryInfo.phone\": {\"$startsWith\": \"020\"}}", "Cy"),
                row("{\"info.phones.phone\": {\"$in\": [\"415-555-0100\"]}}", "Ann"),
                row("{\"info.phones.e164Phone\": \"+442079460000\"}", "Cy"),
                row("{\"info.addresses.street\": {\"$startsWith\": \"9 side\"}}", "Bob"),
                row("{\"info.addresses.city\": {\"$in\": [\"haifa\", \"tel aviv\"]}}", "Ann", "Bob"),
                row("{\"info.addresses.subdivision\": \"IL-TA\"}", "Bob"),
                row("{\"info.addresses.country\": {\"$ne\": \"IL\"}}", "Cy"),
                row("{\"info.company\": {\"$startsWith\": \"beta\"}}", "Bob"),
                row("{\"info.jobTitle\": {\"$in\": [\"Baker\", \"Driver\"]}}", "Ann", "Bob"),
                row("{\"info.birthdate\": {\"$gt\": \"1985-06-15\"}}", "Ann"),
                row("{\"info.birthdate\": {\"$gte\": \"1985-06-15\"}}", "Ann", "Bob"),
                row("{\"info.birthdate\": {\"$lt\": \"1990-01-01\"}}", "Bob"),
                row("{\"info.birthdate\": {\"$lte\": \"1990-01-01\"}}", "Ann", "Bob"),
                row("{\"info.locale\": {\"$exists\": true, \"$ne\": \"he\"}}", "Ann"),  // implicit AND of ops
                row("{\"info.labelKeys\": {\"$hasSome\": [\"custom.early\", \"other\"]}}", "Ann"),
                row("{\"info.labelKeys\": {\"$hasAll\": [\"vip\", \"custom.early\"]}}", "Ann"),
                row("{\"info.labelKeys\": \"vip\"}", "Ann", "Bob"),
                row("{\"info.locations\": {\"$hasSome\": [\"south\"]}}", "Bob"),
                row("{\"info.extendedFields.custom.size\": {\"$gt\": 20}}", "Ann"),
                row("{\"info.extendedFields.custom.size\": {\"$lte\": 10}}", "Bob"),
                row("{\"info.extendedFields.custom.color\": \"red\"}", "Ann"),
                row("{\"id\": {\"$exists\": true}}", "Ann", "Bob", "Cy"),
                row("{\"createdDate\": {\"$gte\": \"" + bob + "\"}}", "Bob", "Cy"),
                row("{\"createdDate\": {\"$lt\": {\"$date\": \"" + bob + "\"}}}", "Ann"),
                row("{\"updatedDate\": {\"$eq\": \"" + bob + "\"}}", "Bob"),
                row("{\"lastActivity.activityDate\": {\"$lte\": \"" + bob + "\"}}", "Ann", "Bob"),
                row("{\"info.company\": \"Acme\", \"info.jobTitle\": \"Baker\"}", "Ann"),  // implicit AND
                row("{\"$and\": [{\"info.locale\": \"en\"}, {\"info.company\": {\"$exists\": true}}]}", "Ann"),
                row("{\"$or\": [{\"info.name.first\": \"Cy\"}, {\"info.company\": \"Beta Co\"}]}", "Bob", "Cy"),
                row("{\"$not\": {\"info.labelKeys\": \"vip\"}}", "Cy"),
                row("{\"$or\": [{\"$and\": [{\"info.locale\": \"he\"}]}, {\"$not\": {\"info.name.first\": "
                        + "{\"$in\": [\"Ann\", \"Bob\"]}}}]}", "Bob", "Cy"));
    }

    @Test
    void everyRowReturnsExactlyItsContacts() {
        for (Row row : table()) {
            assertThat(names(query("{\"query\": {\"filter\": " + row.filter() + ", \"paging\": {\"limit\": 100}}}")))
                    .as(row.filter()).isEqualTo(row.expected());
        }
    }

    @Test
    void theTableUsesEveryOperatorAndEveryField() {
        Set<String> used = new HashSet<>();
        Matcher operators = Pattern.compile("\"(\\$[a-zA-Z]+)\"").matcher(String.join(" ", table().stream().map(Row::filter).toList()));
        while (operators.find()) {
            used.add(operators.group(1));
        }
        for (ContactField.Operator operator : ContactField.Operator.values()) {
            assertThat(used).as("operator " + operator.wire).contains(operator.wire);
        }
        assertThat(used).contains("$and", "$or", "$not", "$begins");
        String all = String.join(" ", table().stream().map(Row::filter).toList());
        for (String path : ContactField.paths()) {
            assertThat(all).as("field " + path).contains("\"" + path + "\"");
        }
    }

    @Test
    void searchMatchesNamesEmailsAndPhones() {
        assertThat(names(query("{\"search\": \"BETA\"}"))).containsExactly("Bob");
        assertThat(names(query("{\"search\": \"ann.work@b.org\"}"))).containsExactly("Ann");
    }

    @Test
    void sortsByOneFieldAndPagesByOffset() {
        JsonNode page = query("""
                {"query": {"sort": [{"fieldName": "info.name.first", "order": "DESC"}],
                 "paging": {"limit": 2, "offset": 1}, "fields": ["info.name"]}}""");

        assertThat(page.get("contacts")).hasSize(2);
        assertThat(page.at("/contacts/0/info/name/first").asText()).isEqualTo("Bob");
        assertThat(page.at("/contacts/1/info/name/first").asText()).isEqualTo("Ann");
        assertThat(page.at("/contacts/0/info/emails").isMissingNode()).isTrue();
        assertThat(page.at("/contacts/0/id").isTextual()).isTrue();
        assertThat(page.at("/pagingMetadata/count").asInt()).isEqualTo(2);
        assertThat(page.at("/pagingMetadata/total").asInt()).isEqualTo(3);
        assertThat(page.at("/pagingMetadata/tooManyToCount").asBoolean()).isFalse();
    }

    @Test
    void unsupportedFieldsOperatorsAndValuesAre400sNamingThem() {
        List<String[]> bad = new ArrayList<>();
        bad.add(new String[]{"{\"query\": {\"filter\": {\"info.locale\": {\"$startsWith\": \"e\"}}}}",
                "query.filter.info.locale.$startsWith", "does not support $startsWith"});
        bad.add(new String[]{"{\"query\": {\"filter\": {\"info.shoeSize\": 42}}}", "query.filter.info.shoeSize",
                "unknown field"});
        bad.add(new String[]{"{\"query\": {\"filter\": {\"info.company\": {\"$regex\": \"x\"}}}}",
                "query.filter.info.company.$regex", "unknown operator"});
        bad.add(new String[]{"{\"query\": {\"filter\": {\"createdDate\": {\"$gt\": \"yesterday\"}}}}",
                "query.filter.createdDate.$gt", "RFC 3339"});
        bad.add(new String[]{"{\"query\": {\"filter\": {\"$or\": {}}}}", "query.filter.$or", "array"});
        bad.add(new String[]{"{\"query\": {\"sort\": [{\"fieldName\": \"info.locale\"}]}}", "query.sort[0].fieldName",
                "cannot sort"});
        bad.add(new String[]{"{\"query\": {\"paging\": {\"limit\": 1001}}}", "query.paging.limit", "between"});
        bad.add(new String[]{"{\"query\": {\"fields\": [\"info.secret\"]}}", "query.fields", "unknown field"});
        for (String[] b : bad) {
            Api.Response response = site.api().post("/contacts/v4/contacts/query", b[0]);
            assertThat(response.status()).as(b[0]).isEqualTo(400);
            assertThat(response.text("/details/validationError/fieldViolations/0/field")).as(b[0]).isEqualTo(b[1]);
            assertThat(response.text("/details/validationError/fieldViolations/0/description")).as(b[0]).contains(b[2]);
        }
    }

    private JsonNode query(String body) {
        Api.Response response = site.api().post("/_api/contacts/v4/contacts/query", body);
        assertThat(response.status()).as(body + " → " + response.raw()).isEqualTo(200);
        return response.body();
    }

    private Set<String> names(JsonNode page) {
        Set<String> names = new TreeSet<>();
        page.get("contacts").forEach(c -> names.add(c.at("/info/name/first").asText()));
        return names;
    }
}
