package parley.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.Json;

/**
 * The search box's contacts (docs/api.md, "Search"): those with, for every word typed, a first or last name, email,
 * phone or company starting with it, most recently active first. Each word is a range over the value index of
 * {@code contact_values}, as {@code $startsWith} is, so it costs the same whatever the site's size.
 */
public final class ContactSearch {
    private static final List<String> FIELDS = List.of("info.name.first", "info.name.last", "info.emails.email",
            "info.phones.phone", "info.phones.e164Phone", "info.company");

    private final Database database;

    public ContactSearch(Database database) {
        this.database = database;
    }

    /** A contact as the search lists it. Nullable: all but the id. */
    public record Found(UUID id, String name, String email, String phone, String company) {
    }

    public List<Found> find(SiteId site, List<String> words, int limit) {
        StringBuilder sql = new StringBuilder("SELECT c.contact_id, c.info::text AS info FROM contacts c"
                + " WHERE c.site_id = :site");
        for (int i = 0; i < words.size(); i++) {
            sql.append((" AND c.contact_id IN (SELECT v.contact_id FROM contact_values v WHERE v.site_id = :site"
                    + " AND v.field IN (<fields>) AND v.value >= :from%1$d AND v.value < :to%1$d)").formatted(i));
        }
        sql.append(" ORDER BY c.last_activity_at DESC, c.contact_id LIMIT :limit");
        return database.read(handle -> {
            var query = handle.createQuery(sql.toString())
                    .bind("site", site.value())
                    .bindList("fields", FIELDS)
                    .bind("limit", limit);
            for (int i = 0; i < words.size(); i++) {
                String from = ContactField.comparable(words.get(i));
                int last = from.codePointBefore(from.length());
                query.bind("from" + i, from)
                        .bind("to" + i, from.substring(0, from.length() - Character.charCount(last))
                                + Character.toString(last + 1));
            }
            return query.map((rs, ctx) -> found(rs.getObject("contact_id", UUID.class),
                    Json.readStored(rs.getString("info"), JsonNode.class))).list();
        });
    }

    private static Found found(UUID id, JsonNode info) {
        String name = String.join(" ", info.path("name").path("first").asText(""),
                info.path("name").path("last").asText("")).strip();
        return new Found(id, name.isEmpty() ? null : name, text(info.at("/emails/items/0/email")),
                text(info.at("/phones/items/0/phone")), text(info.path("company")));
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
