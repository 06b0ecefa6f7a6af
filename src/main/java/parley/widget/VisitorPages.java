package parley.widget;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import parley.conversations.Conversation;
import parley.conversations.Participant;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * The pages a visitor opened the chat widget on, which the widget reports with each session: the agent sees
 * where someone is asking from. Each address is kept once (its newest view), at most {@value #KEPT} per
 * visitor; the fragment is dropped before storing, because sign-in flows put tokens there.
 */
public final class VisitorPages {
    static final int KEPT = 20;
    static final int MAX_TITLE = 200;

    private final Database database;

    public VisitorPages(Database database) {
        this.database = database;
    }

    /** What the widget reports: the page's address and title. */
    public record PageView(String url, String title) {
        /** The view as stored: an http(s) address without its fragment, a title of at most {@value #MAX_TITLE}. */
        PageView checked() {
            if (url == null || !Appearance.isHttpUrl(url)) {
                throw InvalidArgument.of(new FieldViolation("page.url", "must be an http(s) URL of at most "
                        + Appearance.MAX_URL + " characters", FieldViolation.Rule.FORMAT));
            }
            if (title != null && title.length() > MAX_TITLE) {
                throw InvalidArgument.of(new FieldViolation("page.title", "must be at most " + MAX_TITLE
                        + " characters", FieldViolation.Rule.MAX_LENGTH));
            }
            return new PageView(withoutFragment(url), title == null || title.isBlank() ? null : title.strip());
        }
    }

    public record Page(String url, String title, Instant viewedDate) {
    }

    void record(SiteId site, UUID visitor, PageView view, Instant at) {
        database.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO visitor_pages (site_id, visitor_id, url, title, viewed_at)
                            VALUES (:site, :visitor, :url, :title, :at)
                            ON CONFLICT (site_id, visitor_id, url) DO UPDATE SET title = excluded.title,
                                viewed_at = excluded.viewed_at
                            """)
                    .bind("site", site.value())
                    .bind("visitor", visitor)
                    .bind("url", view.url())
                    .bind("title", view.title())
                    .bind("at", at)
                    .execute();
            return handle.createUpdate("""
                            DELETE FROM visitor_pages
                            WHERE site_id = :site AND visitor_id = :visitor AND viewed_at < (
                                SELECT viewed_at FROM visitor_pages WHERE site_id = :site AND visitor_id = :visitor
                                ORDER BY viewed_at DESC OFFSET :kept LIMIT 1)
                            """)
                    .bind("site", site.value())
                    .bind("visitor", visitor)
                    .bind("kept", KEPT - 1)
                    .execute();
        });
    }

    /**
     * The pages of the conversation's participant, newest first: an anonymous visitor's own, and for a contact
     * or member, those of every visitor that turned out to be them.
     */
    public List<Page> of(SiteId site, Conversation conversation) {
        Participant participant = conversation.participant();
        UUID visitor = participant.kind() == Participant.Kind.ANONYMOUS_VISITOR ? participant.id() : null;
        UUID contact = participant.kind() == Participant.Kind.CONTACT ? participant.id() : conversation.contactId();
        return database.read(handle -> handle.createQuery("""
                        SELECT url, title, viewed_at FROM visitor_pages
                        WHERE site_id = :site AND visitor_id IN (
                            SELECT CAST(:visitor AS uuid)
                            UNION ALL
                            SELECT visitor_id FROM visitor_links WHERE site_id = :site AND contact_id = CAST(:contact AS uuid))
                        ORDER BY viewed_at DESC
                        LIMIT :kept
                        """)
                .bind("site", site.value())
                .bind("visitor", visitor)
                .bind("contact", contact)
                .bind("kept", KEPT)
                .map((rs, ctx) -> new Page(rs.getString("url"), rs.getString("title"),
                        rs.getTimestamp("viewed_at").toInstant()))
                .list());
    }

    /** A parsed URL has a {@code #} only where its fragment starts (anywhere else it is escaped). */
    private static String withoutFragment(String url) {
        int fragment = url.indexOf('#');
        return fragment < 0 ? url : url.substring(0, fragment);
    }
}
