package parley.contacts;

import java.util.Set;

/**
 * The ORDER BY of a contact query: one sort (default {@code createdDate ASC}, wix-compatibility D-12), ties broken
 * by id for stable pages. {@code indexed} when an index keeps that order, so a page can be read by walking it.
 */
record ContactOrder(String sql, boolean indexed) {
    /** Columns with an index on (site, column, id); both are NOT NULL, so no NULLS clause spoils a backward walk. */
    private static final Set<String> INDEXED = Set.of("created_at", "last_activity_at");

    static ContactOrder of(ContactJson.SortJson sort, String at) {
        if (sort == null || sort.fieldName() == null) {
            return new ContactOrder("c.created_at ASC, c.contact_id ASC", true);
        }
        ContactField field = ContactField.of(sort.fieldName()).filter(ContactField::sortable)
                .orElseThrow(() -> ContactFilter.invalid(at + ".fieldName", "cannot sort by " + sort.fieldName()
                        + "; sortable: createdDate, updatedDate, lastActivity.activityDate, primaryInfo.email, "
                        + "info.name.first, info.name.last, info.company, info.jobTitle, info.birthdate"));
        String order = sort.order() == null ? "ASC" : sort.order();
        if (!order.equals("ASC") && !order.equals("DESC")) {
            throw ContactFilter.invalid(at + ".order", "must be ASC or DESC");
        }
        boolean indexed = INDEXED.contains(field.column());
        return new ContactOrder("c." + field.column() + " " + order + (indexed ? "" : " NULLS LAST")
                + ", c.contact_id " + order, indexed);
    }
}
