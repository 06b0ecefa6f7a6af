package parley.workspace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.contacts.ContactSearch;
import parley.conversations.Participant;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * The dashboard's one search box (docs/api.md, "Search"): messages by their words, every one the business sees
 * (participant-visible and internal), newest first, each with a snippet whose matching words are marked; and
 * contacts whose name, email, phone or company starts with every word typed. Each word counts as a prefix, so
 * results follow the typing. PostgreSQL's full-text index serves the messages; docs/operations.md says when a
 * separate search engine would take over.
 */
public final class Search {
    static final int MAX_WORDS = 8;
    static final int MAX_QUERY = 200;
    /** How many of the newest messages a search of several words walks before it reads the index. */
    static final int RECENT = 5_000;
    /** Marks the matched words in a headline; taken out of the text first, so they cannot be forged. */
    private static final String START = "\u0001";
    private static final String STOP = "\u0002";

    private final Database database;
    private final ContactSearch contacts;

    public Search(Database database, ContactSearch contacts) {
        this.database = database;
        this.contacts = contacts;
    }

    /** A piece of a snippet, {@code match} when it is one of the words searched for. */
    public record Segment(String text, boolean match) {
    }

    public record FoundMessage(String conversationId, String sequence, String direction, String visibility,
                               Instant createdDate, String displayName, List<Segment> snippet) {
    }

    public record Results(List<FoundMessage> messages, List<ContactSearch.Found> contacts) {
    }

    public Results search(SiteId site, String query, int limit) {
        List<String> words = words(query);
        if (words.isEmpty()) {
            return new Results(List.of(), List.of());
        }
        return new Results(messages(site, words, limit), contacts.find(site, words, limit));
    }

    /** The words of the query: letters and digits, lower-cased; anything else separates them. */
    static List<String> words(String query) {
        if (query == null || query.length() > MAX_QUERY) {
            throw InvalidArgument.of(new FieldViolation("q", "a query of 1-" + MAX_QUERY + " characters is required",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        List<String> words = Arrays.stream(query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(word -> !word.isEmpty()).distinct().toList();
        if (words.size() > MAX_WORDS) {
            throw InvalidArgument.of(new FieldViolation("q", "at most " + MAX_WORDS + " words",
                    FieldViolation.Rule.MAX_SIZE));
        }
        return words;
    }

    /**
     * The newest matching messages. For one word (or prefix) PostgreSQL chooses the plan from the stored words'
     * statistics: it walks the newest messages for a common one and reads the full-text index for a rare one
     * (fixing the plan in two steps measured worse, docs/performance.md, "The agent workspace"). For several words
     * it cannot: it takes their conjunction for about as common as each, and walked all 10,000,000 messages
     * for two rare words. So several words first walk the newest {@value #RECENT} messages, which answers a
     * conjunction that is common now, and otherwise read the full-text index, which intersects the words' lists.
     */
    private List<FoundMessage> messages(SiteId site, List<String> words, int limit) {
        // Only letters and digits reach the tsquery text, so nothing in it is an operator.
        String tsquery = String.join(" & ", words.stream().map(word -> word + ":*").toList());
        return database.inTransaction(handle -> {
            if (words.size() == 1) {
                return found(handle, "messages", site, tsquery, limit);
            }
            List<FoundMessage> recent = found(handle, "(SELECT * FROM messages WHERE site_id = :site"
                    + " ORDER BY sequence DESC LIMIT " + RECENT + ")", site, tsquery, limit);
            if (recent.size() == limit) {
                return recent;
            }
            handle.execute("SET LOCAL enable_indexscan = off"); // the index's matches, not a walk of the newest
            return found(handle, "messages", site, tsquery, limit);
        });
    }

    /** The newest {@code limit} of {@code source}'s messages that match. */
    private static List<FoundMessage> found(Handle handle, String source, SiteId site, String tsquery, int limit) {
        return handle.createQuery("""
                        SELECT m.conversation_id, m.sequence, m.direction, m.visibility, m.created_at,
                               ts_headline('simple', translate(message_text(m.content), :marks, ''), q,
                                           'StartSel=' || :start || ', StopSel=' || :stop
                                           || ', MaxWords=24, MinWords=10, ShortWord=1, MaxFragments=1') AS headline,
                               coalesce(nullif(trim(concat_ws(' ', k.info #>> '{name,first}', k.info #>> '{name,last}')), ''),
                                        k.info #>> '{emails,items,0,email}') AS contact_name,
                               c.participant_kind, c.participant_id
                          FROM to_tsquery('simple', :query) q,\s""" + source + " m\n" + """
                          JOIN conversations c ON c.site_id = m.site_id AND c.conversation_id = m.conversation_id
                          LEFT JOIN contacts k ON k.site_id = c.site_id AND k.contact_id = CASE
                               WHEN c.participant_kind = 'CONTACT' THEN c.participant_id ELSE c.contact_id END
                         WHERE m.site_id = :site
                           AND m.words @@ q
                         ORDER BY m.sequence DESC
                         LIMIT :limit
                        """)
                .bind("site", site.value())
                .bind("query", tsquery)
                .bind("marks", START + STOP)
                .bind("start", START)
                .bind("stop", STOP)
                .bind("limit", limit)
                .map((rs, ctx) -> new FoundMessage(rs.getObject("conversation_id", UUID.class).toString(),
                        Long.toString(rs.getLong("sequence")), rs.getString("direction"), rs.getString("visibility"),
                        rs.getTimestamp("created_at").toInstant(), displayName(rs.getString("contact_name"),
                        new Participant(Participant.Kind.valueOf(rs.getString("participant_kind")),
                                rs.getObject("participant_id", UUID.class))), segments(rs.getString("headline"))))
                .list();
    }

    private static String displayName(String contactName, Participant participant) {
        return contactName != null ? contactName : participant.label();
    }

    /** The headline cut at its marks: text outside them is plain, text inside is a match. */
    static List<Segment> segments(String headline) {
        List<Segment> segments = new ArrayList<>();
        int at = 0;
        while (at < headline.length()) {
            int start = headline.indexOf(START, at);
            if (start < 0) {
                segments.add(new Segment(headline.substring(at), false));
                break;
            }
            int stop = headline.indexOf(STOP, start);
            if (start > at) {
                segments.add(new Segment(headline.substring(at, start), false));
            }
            int end = stop < 0 ? headline.length() : stop;
            segments.add(new Segment(headline.substring(start + 1, end), true));
            at = end + 1;
        }
        return segments;
    }
}
