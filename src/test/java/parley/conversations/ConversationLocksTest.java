package parley.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.Fixtures;
import parley.TestParley;
import parley.sites.SiteId;
import parley.storage.Database;
import parley.storage.GroupCommit;
import parley.storage.Transactions;

/**
 * What a group commit's sends do to their conversations: the announced ones are locked together before
 * any send runs, sequences are taken in send order, and the summary is the one sending them one by one
 * would have left.
 */
class ConversationLocksTest {
    private final Fixtures.TestSite acme = Fixtures.acme();
    private final Database database = Database.open(TestParley.get().databaseUrl(), null, 2);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void announcedConversationsAreLockedTogetherAndTheirSummariesWrittenOnce() {
        ConversationId busy = ConversationId.parse(acme.visitorConversation()).orElseThrow();
        ConversationId quiet = ConversationId.parse(acme.visitorConversation()).orElseThrow();
        SiteId site = acme.siteId();
        List<Long> busySequences = new ArrayList<>();

        long quietSequence = database.inTransactionDeferring((handle, deferred) -> {
            ConversationLocks locks = deferred.rows(ConversationLocks.class,
                    () -> new ConversationLocks(new ConversationRepository()));
            locks.announce(site, busy);
            locks.announce(site, quiet);
            locks.announce(site, busy);
            deferred.prepare(handle);
            assertThat(lockedElsewhere(busy)).isTrue();
            assertThat(lockedElsewhere(quiet)).isTrue();

            busySequences.add(take(locks, handle, site, busy, new InboxSummary(now, "first", "CHAT", true, false)));
            long quietOne = take(locks, handle, site, quiet, new InboxSummary(now, "hello", "CHAT", true, false));
            busySequences.add(take(locks, handle, site, busy,
                    new InboxSummary(now.plusMillis(1), "quiet", "CHAT", true, true)));
            // one more than was announced: locked again on its own, with a later sequence
            busySequences.add(take(locks, handle, site, busy,
                    new InboxSummary(now.plusMillis(2), "answer", "CHAT", false, false)));
            assertThat(locks.take(handle, site, new ConversationId(UUID.randomUUID()),
                    new InboxSummary(now, "nobody", "CHAT", true, false))).isEmpty();
            return quietOne;
        });

        assertThat(busySequences).doesNotHaveDuplicates().isSorted().doesNotContain(quietSequence);
        // the silent message left the line alone; the business's answer counts as read (wix-compatibility D-16)
        assertThat(summary(busy)).containsEntry("preview_text", "answer")
                .containsEntry("last_message_at", now.plusMillis(2)).containsEntry("unread_count", 1);
        assertThat(summary(quiet)).containsEntry("preview_text", "hello").containsEntry("unread_count", 1);
    }

    @Test
    void aBatchFindsItsConversationsByKeyInASmallTable() {
        // a database of its own: which plan PostgreSQL picks depends on how many conversations there are
        try (Database small = Database.open(null, TestParley.freshDataDir(), 2);
             GroupCommit writer = new GroupCommit(small)) {
            SiteId site = new SiteId(UUID.randomUUID());
            ConversationId id = new ConversationId(UUID.randomUUID());
            small.inTransaction(handle -> handle.createUpdate("""
                            INSERT INTO sites (site_id, display_name, created_at) VALUES (:site, 'Small', now());
                            INSERT INTO conversations (site_id, conversation_id, participant_kind, participant_id,
                                                       created_at)
                            VALUES (:site, :id, 'ANONYMOUS_VISITOR', gen_random_uuid(), now())
                            """).bind("site", site.value()).bind("id", id.value()).execute());
            Transactions.DeferringWork<Long> send = (handle, deferred) -> {
                ConversationLocks locks = deferred.rows(ConversationLocks.class,
                        () -> new ConversationLocks(new ConversationRepository()));
                locks.announce(site, id);
                deferred.prepare(handle);
                take(locks, handle, site, id, new InboxSummary(now, "hello", "CHAT", true, false));
                deferred.write(handle);
                return handle.createQuery("""
                                SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relname = 'conversations'
                                """).mapTo(Long.class).one();
            };

            long planned = small.inTransactionDeferring((handle, deferred) -> {
                handle.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                return send.run(handle, deferred);
            });
            assertThat(planned).as("whole-table reads of a plain connection's generic plans").isPositive();
            assertThat(writer.inTransactionDeferring(send)).as("whole-table reads of the writer's").isZero();
        }
    }

    private static long take(ConversationLocks locks, org.jdbi.v3.core.Handle handle, SiteId site, ConversationId id,
                             InboxSummary summary) {
        return locks.take(handle, site, id, summary).orElseThrow().sequence();
    }

    /** Whether another connection finds the conversation's row locked. */
    private boolean lockedElsewhere(ConversationId id) {
        try (Connection other = DriverManager.getConnection(TestParley.get().databaseUrl())) {
            try (var lock = other.prepareStatement(
                    "SELECT 1 FROM conversations WHERE site_id = ? AND conversation_id = ? FOR UPDATE NOWAIT")) {
                lock.setObject(1, acme.siteId().value());
                lock.setObject(2, id.value());
                lock.executeQuery().close();
                return false;
            } catch (SQLException e) {
                assertThat(e.getSQLState()).isEqualTo("55P03"); // lock_not_available
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> summary(ConversationId id) {
        return database.read(handle -> handle.createQuery("""
                        SELECT preview_text, last_message_at, unread_count FROM conversations
                        WHERE site_id = :site AND conversation_id = :id
                        """)
                .bind("site", acme.siteId().value())
                .bind("id", id.value())
                .map((rs, ctx) -> Map.<String, Object>of("preview_text", rs.getString("preview_text"),
                        "last_message_at", rs.getTimestamp("last_message_at").toInstant(),
                        "unread_count", rs.getInt("unread_count")))
                .one());
    }
}
