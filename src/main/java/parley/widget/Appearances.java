package parley.widget;

import parley.sites.SiteId;
import parley.storage.Database;
import parley.web.Json;

/** Each site's {@link Appearance}, kept as JSON in {@code sites.widget_appearance}. */
public final class Appearances {
    private final Database database;

    public Appearances(Database database) {
        this.database = database;
    }

    public Appearance find(SiteId site) {
        return database.read(handle -> handle.createQuery("SELECT widget_appearance::text FROM sites WHERE site_id = :site")
                .bind("site", site.value())
                .mapTo(String.class)
                .findOne()
                .map(json -> Json.readStored(json, Appearance.class))
                .orElse(Appearance.NONE));
    }

    public void save(SiteId site, Appearance appearance) {
        database.inTransaction(handle -> handle.createUpdate(
                        "UPDATE sites SET widget_appearance = CAST(:json AS jsonb) WHERE site_id = :site")
                .bind("json", Json.write(appearance))
                .bind("site", site.value())
                .execute());
    }
}
