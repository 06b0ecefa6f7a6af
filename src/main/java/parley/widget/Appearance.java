package parley.widget;

import java.net.URI;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;

/**
 * How the chat widget presents the business (docs/dashboard-and-widget.md, "Widget settings"): an optional logo,
 * a welcome message shown above the conversation, and office hours, outside which the widget shows the away
 * message (the visitor can still write). No office hours: always available. Nullable: every field.
 */
public record Appearance(String logoUrl, String welcomeMessage, String awayMessage, OfficeHours officeHours) {
    static final int MAX_MESSAGE = 500;
    static final int MAX_URL = 2048;
    static final String DEFAULT_AWAY = "We are away right now. Leave a message and we will answer when we are back.";

    /** Weekly opening windows in a time zone, e.g. MONDAY 09:00–17:00 in Europe/Paris. */
    public record OfficeHours(String timeZone, List<Window> weekly) {
        public OfficeHours {
            weekly = weekly == null ? List.of() : weekly;
        }
    }

    public record Window(DayOfWeek day, String from, String to) {
    }

    /** Whether the business is available at an instant, and when that next changes (null: never). */
    public record Availability(boolean available, Instant nextChange) {
    }

    public static final Appearance NONE = new Appearance(null, null, null, null);

    /** The appearance if every field is well-formed, else a 400 naming each that is not. */
    public Appearance checked() {
        List<FieldViolation> violations = new ArrayList<>();
        if (logoUrl != null && !isHttpUrl(logoUrl)) {
            violations.add(new FieldViolation("appearance.logoUrl", "must be an http(s) URL", FieldViolation.Rule.FORMAT));
        }
        for (var text : List.of(new String[] {"welcomeMessage", welcomeMessage}, new String[] {"awayMessage", awayMessage})) {
            if (text[1] != null && text[1].length() > MAX_MESSAGE) {
                violations.add(new FieldViolation("appearance." + text[0], "at most " + MAX_MESSAGE + " characters",
                        FieldViolation.Rule.MAX_LENGTH));
            }
        }
        if (officeHours != null) {
            try {
                ZoneId.of(officeHours.timeZone() == null ? "" : officeHours.timeZone());
            } catch (DateTimeException e) {
                violations.add(new FieldViolation("appearance.officeHours.timeZone", "must be an IANA time zone, "
                        + "e.g. Europe/Paris", FieldViolation.Rule.FORMAT));
            }
            List<Window> weekly = officeHours.weekly();
            if (weekly.size() > 50) {
                violations.add(new FieldViolation("appearance.officeHours.weekly", "at most 50 windows",
                        FieldViolation.Rule.MAX_SIZE));
            }
            for (int i = 0; i < weekly.size(); i++) {
                Window window = weekly.get(i);
                if (window == null || window.day() == null || time(window.from()) == null || time(window.to()) == null
                        || !time(window.from()).isBefore(time(window.to()))) {
                    violations.add(new FieldViolation("appearance.officeHours.weekly[" + i + "]", "needs a day and "
                            + "from < to, as HH:MM", FieldViolation.Rule.VALIDATION));
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_ARGUMENT", violations);
        }
        return this;
    }

    /** The away message to show, never empty. */
    public String awayText() {
        return awayMessage == null || awayMessage.isBlank() ? DEFAULT_AWAY : awayMessage;
    }

    public Availability availability(Instant now) {
        if (officeHours == null) {
            return new Availability(true, null);
        }
        ZoneId zone = ZoneId.of(officeHours.timeZone());
        boolean open = openAt(now, zone);
        // The windows' edges over the next eight days, in order: the first where the state flips is the change.
        TreeSet<Instant> edges = new TreeSet<>();
        ZonedDateTime day = now.atZone(zone).toLocalDate().atStartOfDay(zone);
        for (int d = 0; d <= 8; d++, day = day.plusDays(1)) {
            for (Window window : officeHours.weekly()) {
                if (window.day() == day.getDayOfWeek()) {
                    edges.add(day.toLocalDate().atTime(time(window.from())).atZone(zone).toInstant());
                    edges.add(day.toLocalDate().atTime(time(window.to())).atZone(zone).toInstant());
                }
            }
        }
        for (Instant edge : edges.tailSet(now, false)) {
            if (openAt(edge, zone) != open) {
                return new Availability(open, edge);
            }
        }
        return new Availability(open, null);
    }

    private boolean openAt(Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        LocalTime at = local.toLocalTime();
        return officeHours.weekly().stream().anyMatch(window -> window.day() == local.getDayOfWeek()
                && !at.isBefore(time(window.from())) && at.isBefore(time(window.to())));
    }

    private static LocalTime time(String text) {
        try {
            return text == null ? null : LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return value.length() <= MAX_URL && uri.getHost() != null
                    && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
