package parley.widget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.TestParley;

/** Office hours and what the widget's session says of the business. */
class AppearanceTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final Appearance WEEKDAYS = new Appearance(null, null, null, new Appearance.OfficeHours("Europe/Paris",
            List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY).stream()
                    .map(day -> new Appearance.Window(day, "09:00", "17:30")).toList()));

    @Test
    void officeHoursSayWhetherTheBusinessIsInAndWhenThatChanges() {
        // 2026-12-07 is a Monday.
        assertThat(WEEKDAYS.availability(paris("2026-12-07T08:59"))).isEqualTo(
                new Appearance.Availability(false, paris("2026-12-07T09:00")));
        assertThat(WEEKDAYS.availability(paris("2026-12-07T09:00"))).isEqualTo(
                new Appearance.Availability(true, paris("2026-12-07T17:30")));
        assertThat(WEEKDAYS.availability(paris("2026-12-11T18:00"))).isEqualTo(
                new Appearance.Availability(false, paris("2026-12-14T09:00")));
        assertThat(Appearance.NONE.availability(Instant.now())).isEqualTo(new Appearance.Availability(true, null));
    }

    @Test
    void theSessionCarriesTheBusinessAndTheAwayMessageOutsideOfficeHours() {
        Fixtures.TestSite site = Fixtures.site("Night Owl Bakery");
        Api.Response refused = site.api().patch("/parley/v1/widget/settings", """
                {"appearance": {"logoUrl": "javascript:alert(1)", "officeHours": {"timeZone": "Mars/Base",
                 "weekly": [{"day": "MONDAY", "from": "18:00", "to": "09:00"}]}}}""");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().at("/details/validationError/fieldViolations").findValuesAsText("field"))
                .containsExactly("appearance.logoUrl", "appearance.officeHours.timeZone",
                        "appearance.officeHours.weekly[0]");
        // Open one minute a week, at a time that is not now: away.
        ZonedDateTime other = ZonedDateTime.now(PARIS).plusDays(3);
        Api.Response saved = site.api().patch("/parley/v1/widget/settings", """
                {"appearance": {"logoUrl": "https://cdn.example.com/logo.png", "welcomeMessage": "Hi! Ask us anything.",
                 "awayMessage": "Back at nine.", "officeHours": {"timeZone": "Europe/Paris",
                 "weekly": [{"day": "%s", "from": "03:00", "to": "03:01"}]}}}""".formatted(other.getDayOfWeek()));
        assertThat(saved.status()).as(saved.raw()).isEqualTo(200);
        assertThat(saved.text("/appearance/welcomeMessage")).isEqualTo("Hi! Ask us anything.");

        Api.Response session = Api.anonymous(TestParley.baseUrl()).post("/parley/v1/widget/session",
                "{\"siteId\": \"" + site.id() + "\"}");
        assertThat(session.text("/business/name")).isEqualTo("Night Owl Bakery");
        assertThat(session.text("/business/logoUrl")).isEqualTo("https://cdn.example.com/logo.png");
        assertThat(session.text("/business/welcomeMessage")).isEqualTo("Hi! Ask us anything.");
        assertThat(session.body().at("/business/available").asBoolean()).isFalse();
        assertThat(session.text("/business/awayMessage")).isEqualTo("Back at nine.");
        assertThat(Instant.parse(session.text("/business/availabilityChanges"))).isAfter(Instant.now());
    }

    private static Instant paris(String local) {
        return java.time.LocalDateTime.parse(local).atZone(PARIS).toInstant();
    }
}
