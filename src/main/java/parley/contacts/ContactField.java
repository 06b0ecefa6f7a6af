package parley.contacts;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A field the query language may name (the table of wix-compatibility 7.2), what it is stored as, which operators it
 * takes and whether it sorts. Beyond the table: {@code $nin} is accepted wherever {@code $in} is, and
 * {@code $isEmpty} wherever {@code $exists} is; extended fields take every operator their values allow.
 */
record ContactField(String path, Kind kind, Set<Operator> operators, String column) {

    /** Where a field's values live. */
    enum Kind {
        /** {@code contacts.contact_id}. */
        ID,
        /** A timestamp column of {@code contacts}. */
        TIME,
        /** Rows of {@code contact_values}, lower-cased text; any element matches. */
        TEXT,
        /** Rows of {@code contact_values} for a list of keys ({@code $hasSome}, {@code $hasAll}). */
        LIST,
        /** Rows of {@code contact_values}, text or number. */
        EXTENDED
    }

    enum Operator {
        EQ("$eq"), NE("$ne"), GT("$gt"), GTE("$gte"), LT("$lt"), LTE("$lte"), IN("$in"), NIN("$nin"),
        EXISTS("$exists"), STARTS_WITH("$startsWith"), IS_EMPTY("$isEmpty"), HAS_SOME("$hasSome"),
        HAS_ALL("$hasAll");

        final String wire;

        Operator(String wire) {
            this.wire = wire;
        }

        /** {@code $begins} is the newest reference's spelling of {@code $startsWith} (wix-compatibility D-12). */
        static Optional<Operator> of(String wire) {
            if (wire.equals("$begins")) {
                return Optional.of(STARTS_WITH);
            }
            for (Operator operator : values()) {
                if (operator.wire.equals(wire)) {
                    return Optional.of(operator);
                }
            }
            return Optional.empty();
        }
    }

    /** One stored value of a contact for {@code contact_values}. Nullable: {@code number}. */
    record Value(String field, String value, Double number) {
    }

    private static final Set<Operator> DATES = EnumSet.of(Operator.EQ, Operator.NE, Operator.GT, Operator.GTE,
            Operator.LT, Operator.LTE);
    private static final Set<Operator> STRINGS = EnumSet.of(Operator.EQ, Operator.NE, Operator.IN, Operator.NIN,
            Operator.EXISTS, Operator.IS_EMPTY, Operator.STARTS_WITH);
    private static final Set<Operator> CODES = EnumSet.of(Operator.EQ, Operator.NE, Operator.IN, Operator.NIN,
            Operator.EXISTS, Operator.IS_EMPTY);
    private static final Set<Operator> LISTS = EnumSet.of(Operator.EQ, Operator.HAS_SOME, Operator.HAS_ALL, Operator.EXISTS,
            Operator.IS_EMPTY);
    static final String EXTENDED_PREFIX = "info.extendedFields.";

    private static final Map<String, ContactField> FIELDS = new LinkedHashMap<>();

    static {
        add("id", Kind.ID, EnumSet.of(Operator.EQ, Operator.NE, Operator.IN, Operator.NIN, Operator.EXISTS), null);
        add("createdDate", Kind.TIME, DATES, "created_at");
        add("updatedDate", Kind.TIME, DATES, "updated_at");
        add("lastActivity.activityDate", Kind.TIME, DATES, "last_activity_at");
        add("primaryInfo.email", Kind.TEXT, STRINGS, "primary_email");
        add("primaryInfo.phone", Kind.TEXT, STRINGS, null);
        add("info.name.first", Kind.TEXT, STRINGS, "first_name");
        add("info.name.last", Kind.TEXT, STRINGS, "last_name");
        add("info.emails.email", Kind.TEXT, STRINGS, null);
        add("info.phones.phone", Kind.TEXT, STRINGS, null);
        add("info.phones.e164Phone", Kind.TEXT, STRINGS, null);
        add("info.addresses.street", Kind.TEXT, STRINGS, null);
        add("info.addresses.city", Kind.TEXT, STRINGS, null);
        add("info.addresses.subdivision", Kind.TEXT, CODES, null);
        add("info.addresses.country", Kind.TEXT, CODES, null);
        add("info.company", Kind.TEXT, STRINGS, "company");
        add("info.jobTitle", Kind.TEXT, STRINGS, "job_title");
        add("info.birthdate", Kind.TEXT, DATES, "birthdate");
        add("info.locale", Kind.TEXT, CODES, null);
        add("info.labelKeys", Kind.LIST, LISTS, null);
        add("info.locations", Kind.LIST, LISTS, null);
    }

    private static void add(String path, Kind kind, Set<Operator> operators, String sortColumn) {
        FIELDS.put(path, new ContactField(path, kind, operators, sortColumn));
    }

    /** The field a query names, or empty when the query language does not know it. */
    static Optional<ContactField> of(String path) {
        if (path.startsWith(EXTENDED_PREFIX) && path.length() > EXTENDED_PREFIX.length()) {
            return Optional.of(new ContactField(path, Kind.EXTENDED, EnumSet.allOf(Operator.class), null));
        }
        return Optional.ofNullable(FIELDS.get(path));
    }

    static Set<String> paths() {
        return FIELDS.keySet();
    }

    boolean sortable() {
        return column != null;
    }

    /**
     * How text is stored and compared: trimmed and lower-cased (wix-compatibility D-14, and every other field alike).
     */
    static String comparable(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }
}
