package parley.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import parley.storage.Database;

/**
 * Bulk data for the benchmark, written with SQL inside PostgreSQL (not through HTTP), and the pgbench
 * script of one Send Message. Conversation ids are {@code md5(key)::uuid} so that SQL, pgbench and
 * the HTTP clients name the same conversations.
 */
final class Seeding {
    private static final String CONTENT = "{\"basic\": {\"items\": [{\"text\": \"Is the shop open today? I would like "
            + "to pick up an order.\"}]}, \"contentType\": \"BASIC\"}";

    private Seeding() {
    }

    static String conversationId(String key) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
            return hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Conversations {@code prefix1 … prefixN} of visitors. */
    static void conversations(Database database, UUID site, String prefix, int count) {
        database.inTransaction(handle -> handle.createUpdate("""
                        INSERT INTO conversations (site_id, conversation_id, participant_kind, participant_id,
                                                   created_at)
                        SELECT :site, md5(:prefix || n)::uuid, 'ANONYMOUS_VISITOR', gen_random_uuid(), now()
                        FROM generate_series(1, :count) n
                        """)
                .bind("site", site).bind("prefix", prefix).bind("count", count).execute());
    }

    /**
     * {@code count} messages over the conversations {@code prefix1 … prefixN} round-robin, except that one in
     * every {@code count / threadCount} goes to the conversation {@code thread}: its messages are spread over
     * the whole table, as a long conversation's are when the site's other conversations carry on at the same
     * time, so that a page of it reads a heap page per message.
     */
    static void messages(Database database, UUID site, String prefix, int conversations, long count, String thread,
                         long threadCount) {
        inChunks("seeding " + Report.format(count) + " messages", count, (from, to) ->
            database.inTransaction(handle -> handle.createUpdate("""
                            INSERT INTO messages (site_id, sequence, conversation_id, direction, visibility, content,
                                                  sender, app_id, badges, source_channel, target_channels,
                                                  target_channel_ids, silent, send_notifications, created_at)
                            SELECT :site, nextval('message_sequence'),
                                   md5(CASE WHEN g % :every = 0 THEN :thread
                                            ELSE :prefix || (1 + g % :conversations) END)::uuid,
                                   'PARTICIPANT_TO_BUSINESS', 'BUSINESS_AND_PARTICIPANT', CAST(:content AS jsonb),
                                   '{"appId": "bench"}', 'bench', '[]', 'UNKNOWN_CHANNEL_TYPE', '{}', '{}',
                                   false, false, now()
                            FROM generate_series(:from, :to) g
                            """)
                    .bind("site", site).bind("prefix", prefix).bind("conversations", conversations)
                    .bind("thread", thread).bind("every", count / threadCount)
                    .bind("content", CONTENT).bind("from", from).bind("to", to).execute()));
    }

    /** Runs {@code insert} over [0, count) in chunks of 250,000 (from and to inclusive), showing the progress. */
    private static void inChunks(String what, long count, java.util.function.BiConsumer<Long, Long> insert) {
        Progress progress = new Progress(what, count);
        long chunk = 250_000;
        for (long done = 0; done < count; done += chunk) {
            long to = Math.min(count, done + chunk) - 1;
            insert.accept(done, to);
            progress.show(to + 1);
        }
        progress.done();
    }

    /**
     * The workspace's site: {@code agents} dashboard users, {@code teams} teams, {@code labels} labels, and
     * conversations {@code ws-1 … ws-N} with workflow states spread over them (see {@link WorkspaceReads}).
     */
    static void workspace(Database database, UUID site, int conversations, int agents, int teams, int labels) {
        database.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO dashboard_users (site_id, user_id, email, password_hash, role, created_at)
                            SELECT :site, md5(:site || 'agent' || n)::uuid, 'agent' || n || '.' || :site || '@bench.example',
                                   'not a hash: no sign-in', 'AGENT', now()
                            FROM generate_series(1, :agents) n
                            """).bind("site", site).bind("agents", agents).execute();
            handle.createUpdate("""
                            INSERT INTO teams (site_id, team_id, name, created_at)
                            SELECT :site, md5(:site || 'team' || n)::uuid, 'Team ' || n, now() FROM generate_series(1, :teams) n
                            """).bind("site", site).bind("teams", teams).execute();
            handle.createUpdate("""
                            INSERT INTO labels (site_id, label_id, name, color, created_at)
                            SELECT :site, md5(:site || 'label' || n)::uuid, 'Label ' || n, '#2f5bea', now()
                            FROM generate_series(1, :labels) n
                            """).bind("site", site).bind("labels", labels).execute();
            handle.createUpdate("""
                            INSERT INTO conversations (site_id, conversation_id, participant_kind, participant_id, created_at,
                                                       last_message_at, preview_text, last_channel, status, snoozed_until,
                                                       assignee_id, team_id)
                            SELECT :site, md5('ws-' || n)::uuid, 'ANONYMOUS_VISITOR', gen_random_uuid(),
                                   now() - interval '30 days', now() - make_interval(secs => n), 'Is the shop open?', 'CHAT',
                                   status, CASE WHEN status = 'SNOOZED' THEN now() + interval '30 days' END,
                                   CASE WHEN n % 6 <> 0 THEN md5(:site || 'agent' || (1 + n % :agents))::uuid END,
                                   CASE WHEN n % 2 = 0 THEN md5(:site || 'team' || (1 + n % :teams))::uuid END
                            FROM generate_series(1, :count) n,
                                 LATERAL (SELECT CASE WHEN n % 10 < 6 THEN 'OPEN' WHEN n % 10 = 6 THEN 'PENDING'
                                                      WHEN n % 10 = 7 THEN 'SNOOZED' ELSE 'RESOLVED' END AS status) s
                            """)
                    .bind("site", site).bind("count", conversations).bind("agents", agents).bind("teams", teams).execute();
            return handle.createUpdate("""
                            INSERT INTO conversation_labels (site_id, conversation_id, label_id)
                            SELECT :site, md5('ws-' || n)::uuid, md5(:site || 'label' || (1 + n / 3 % :labels))::uuid
                            FROM generate_series(1, :count) n WHERE n % 3 = 0
                            """).bind("site", site).bind("count", conversations).bind("labels", labels).execute();
        });
    }

    private static final List<String> SYLLABLES = List.of("bak", "rol", "mun", "tes", "fip", "kar", "lun", "dov",
            "sel", "pra", "gim", "hod", "vex", "zul", "nor", "tac", "bri", "wel", "jos", "quo");

    /** Word {@code k} of the workspace's vocabulary, as {@link #wordyMessages} spells it in SQL. */
    static String word(int k) {
        return SYLLABLES.get(k % 20) + SYLLABLES.get(k / 20 % 20) + SYLLABLES.get(k / 400 % 20);
    }

    /**
     * {@code count} messages over the conversations {@code ws-1 … ws-N}, both directions, each a text of
     * {@code words} words drawn by a hash from the first {@code vocabulary} words of {@link #word}. Loaded with the
     * table's indexes dropped and built after (the full-text index too).
     */
    static void wordyMessages(Database database, UUID site, int conversations, long count, int words, int vocabulary) {
        withoutIndexes(database, "messages", () -> inChunks("seeding " + Report.format(count) + " messages of words",
                count, (from, to) -> database.inTransaction(handle -> handle.createUpdate("""
                                INSERT INTO messages (site_id, sequence, conversation_id, direction, visibility, content,
                                                      sender, app_id, badges, source_channel, target_channels,
                                                      target_channel_ids, silent, send_notifications, created_at)
                                SELECT :site, nextval('message_sequence'), md5('ws-' || (1 + g % :conversations))::uuid,
                                       CASE WHEN g % 2 = 0 THEN 'PARTICIPANT_TO_BUSINESS' ELSE 'BUSINESS_TO_PARTICIPANT' END,
                                       'BUSINESS_AND_PARTICIPANT',
                                       jsonb_build_object('basic', jsonb_build_object('items', jsonb_build_array(
                                           jsonb_build_object('text', (
                                               SELECT string_agg(s[1 + k % 20] || s[1 + k / 20 % 20] || s[1 + k / 400 % 20], ' ')
                                                 FROM (SELECT abs(hashint8(g * :words + i)) % :vocabulary AS k
                                                         FROM generate_series(1, :words) i) w))))),
                                       '{"appId": "bench"}', 'bench', '[]', 'CHAT', '{}', '{}', false, false,
                                       now() - make_interval(secs => (:count - g) / 100.0)
                                FROM generate_series(:from, :to) g, (SELECT CAST(:syllables AS text[]) AS s) v
                                """)
                        .bind("site", site).bind("conversations", conversations).bind("words", words)
                        .bind("vocabulary", vocabulary).bind("count", count).bind("from", from).bind("to", to)
                        .bind("syllables", SYLLABLES.toArray(String[]::new)).execute())));
    }

    /**
     * {@code count} contacts shaped as Create Contact stores them (info in its Wix shape, sort columns, and
     * one contact_values row per searchable value, lower-cased): contact n is named from fixed lists,
     * with the unique email {@link #contactEmail}, a phone, a city and one of 1,000 companies.
     */
    static void contacts(Database database, UUID site, long count) {
        withoutIndexes(database, "contact_values", () -> insertContacts(database, site, count));
    }

    private static void insertContacts(Database database, UUID site, long count) {
        Progress progress = new Progress("seeding " + Report.format(count) + " contacts", count);
        long chunk = 100_000;
        for (long done = 0; done < count; done += chunk) {
            long from = done + 1;
            long to = Math.min(count, done + chunk);
            database.inTransaction(handle -> {
                handle.createUpdate("""
                                INSERT INTO contacts (site_id, contact_id, revision, source, info, created_at,
                                                      updated_at, last_activity_at, last_activity_type, first_name,
                                                      last_name, primary_email, company)
                                SELECT :site, md5('contact-' || n)::uuid, 1,
                                       '{"sourceType": "THIRD_PARTY", "appId": "bench"}',
                                       jsonb_build_object(
                                           'name', jsonb_build_object('first', first, 'last', last),
                                           'emails', jsonb_build_object('items', jsonb_build_array(jsonb_build_object(
                                               'id', gen_random_uuid(), 'tag', 'MAIN', 'email', email,
                                               'primary', true))),
                                           'phones', jsonb_build_object('items', jsonb_build_array(jsonb_build_object(
                                               'id', gen_random_uuid(), 'tag', 'MOBILE', 'countryCode', 'US',
                                               'phone', phone, 'e164Phone', '+1' || phone, 'primary', true))),
                                           'addresses', jsonb_build_object('items', jsonb_build_array(
                                               jsonb_build_object('id', gen_random_uuid(), 'tag', 'HOME',
                                                   'address', jsonb_build_object('city', city, 'country', 'US')))),
                                           'company', company),
                                       created, created, created, 'CONTACT_CREATED', lower(first), lower(last),
                                       lower(email), lower(company)
                                FROM (SELECT n, %s, now() - make_interval(secs => :count - n) AS created
                                      FROM generate_series(:from, :to) n) c
                                """.formatted(CONTACT_COLUMNS))
                        .bind("site", site).bind("count", count).bind("from", from).bind("to", to).execute();
                handle.createUpdate("""
                                INSERT INTO contact_values (site_id, field, value, contact_id)
                                SELECT :site, v.field, lower(v.value), md5('contact-' || n)::uuid
                                FROM (SELECT n, %s FROM generate_series(:from, :to) n) c,
                                     LATERAL (VALUES ('info.name.first', first), ('info.name.last', last),
                                                     ('info.emails.email', email), ('primaryInfo.email', email),
                                                     ('info.phones.phone', phone), ('primaryInfo.phone', phone),
                                                     ('info.phones.e164Phone', '+1' || phone),
                                                     ('info.addresses.city', city), ('info.addresses.country', 'US'),
                                                     ('info.company', company)) v (field, value)
                                """.formatted(CONTACT_COLUMNS))
                        .bind("site", site).bind("from", from).bind("to", to).execute();
                return null;
            });
            progress.show(to);
        }
        progress.done();
    }

    /**
     * Runs {@code load} with the table's indexes and constraints dropped, then builds them again from
     * their own definitions, as PostgreSQL's advice for bulk loads says: one sorted build instead of
     * millions of random index insertions (three times faster here).
     */
    private static void withoutIndexes(Database database, String table, Runnable load) {
        record Definition(String name, String sql, boolean constraint) {
        }
        List<Definition> definitions = database.read(handle -> handle.createQuery("""
                        SELECT conname AS name, pg_get_constraintdef(oid) AS sql, true AS is_constraint
                        FROM pg_constraint WHERE conrelid = CAST(:table AS regclass)
                        UNION ALL
                        SELECT i.relname, pg_get_indexdef(i.oid), false
                        FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                        WHERE x.indrelid = CAST(:table AS regclass)
                          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
                        ORDER BY 3 DESC, 1
                        """)
                .bind("table", table)
                .map((rs, ctx) -> new Definition(rs.getString("name"), rs.getString("sql"), rs.getBoolean("is_constraint")))
                .list());
        database.read(handle -> {
            for (Definition definition : definitions) {
                handle.execute(definition.constraint()
                        ? "ALTER TABLE " + table + " DROP CONSTRAINT " + definition.name()
                        : "DROP INDEX " + definition.name());
            }
            return null;
        });
        load.run();
        Progress progress = new Progress("indexing " + table, definitions.size());
        database.inTransaction(handle -> {
            handle.execute("SET LOCAL maintenance_work_mem = '1GB'");
            // Primary keys before the foreign keys that may need them; indexes last.
            List<Definition> ordered = definitions.stream().sorted(java.util.Comparator.comparing(
                    (Definition d) -> !d.constraint()).thenComparing(d -> !d.sql().startsWith("PRIMARY KEY"))).toList();
            for (int i = 0; i < ordered.size(); i++) {
                Definition definition = ordered.get(i);
                handle.execute(definition.constraint()
                        ? "ALTER TABLE " + table + " ADD CONSTRAINT " + definition.name() + " " + definition.sql()
                        : definition.sql());
                progress.show(i + 1);
            }
            return null;
        });
        progress.done();
    }

    static final List<String> FIRST_NAMES = List.of("James", "Mary", "Robert", "Patricia", "John", "Jennifer",
            "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
            "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty",
            "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily",
            "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Dorothy",
            "George", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie", "Edward", "Rebecca", "Jason", "Sharon",
            "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Kathleen", "Gary", "Amy");
    static final List<String> LAST_NAMES = List.of("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
            "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
            "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
            "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
            "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera",
            "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
            "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers",
            "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos",
            "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray",
            "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross",
            "Foster", "Jimenez");
    static final List<String> CITIES = List.of("New York", "Los Angeles", "Chicago", "Houston", "Phoenix",
            "Philadelphia", "San Antonio", "San Diego", "Dallas", "Austin", "Jacksonville", "Fort Worth", "Columbus",
            "Charlotte", "Indianapolis", "San Francisco", "Seattle", "Denver", "Boston", "Nashville");
    static final int COMPANIES = 1_000;

    /** Contact n's name parts, email, phone, city and company, as SQL select-list items over {@code n}. */
    private static final String CONTACT_COLUMNS = """
            (%s)[1 + n %% %d] AS first, (%s)[1 + (n / %d) %% %d] AS last,
            lower((%s)[1 + n %% %d] || '.' || (%s)[1 + (n / %d) %% %d]) || '.' || n || '@example.com' AS email,
            '212' || lpad(n::text, 7, '0') AS phone, (%s)[1 + n %% %d] AS city, 'Company ' || n %% %d AS company"""
            .formatted(array(FIRST_NAMES), FIRST_NAMES.size(), array(LAST_NAMES), FIRST_NAMES.size(), LAST_NAMES.size(),
                    array(FIRST_NAMES), FIRST_NAMES.size(), array(LAST_NAMES), FIRST_NAMES.size(), LAST_NAMES.size(),
                    array(CITIES), CITIES.size(), COMPANIES);

    /** The email {@link #contacts} gives contact n. */
    static String contactEmail(long n) {
        return (FIRST_NAMES.get((int) (n % FIRST_NAMES.size())) + "." + LAST_NAMES.get(
                (int) (n / FIRST_NAMES.size() % LAST_NAMES.size()))).toLowerCase(java.util.Locale.ROOT) + "." + n
                + "@example.com";
    }

    private static String array(List<String> values) {
        return values.stream().map(v -> "'" + v + "'").collect(java.util.stream.Collectors.joining(", ", "ARRAY[", "]"));
    }

    /**
     * Exactly the statements one Send Message runs, in the same transaction shape: the API-key check,
     * then conversation lock and summary, message row, and outbox event with its position.
     */
    static String sendScript(int conversations) {
        String event = "{\"conversationId\": \"x\", \"message\": {\"id\": \"1\", \"content\": " + CONTENT
                + ", \"sender\": {\"appId\": \"bench\"}, \"badges\": [], \"targetChannels\": [], "
                + "\"sourceChannel\": \"UNKNOWN_CHANNEL_TYPE\", \"targetChannelIds\": [], \"appId\": \"bench\", "
                + "\"visibility\": \"BUSINESS_AND_PARTICIPANT\", \"sequence\": \"1\", "
                + "\"direction\": \"PARTICIPANT_TO_BUSINESS\", \"createdDate\": \"2026-01-01T00:00:00Z\", "
                + "\"silent\": false}}";
        return """
                \\set n random(1, %d)
                SELECT secret_hash FROM api_keys WHERE site_id = :site AND key_id = :key;
                BEGIN;
                UPDATE conversations SET last_message_at = now(), preview_text = 'Is the shop open today?',
                       unread_count = unread_count + 1
                 WHERE site_id = :site AND conversation_id = md5('bench-' || :n)::uuid
                 RETURNING conversation_id, participant_kind, participant_id, contact_id, created_at;
                INSERT INTO messages (site_id, sequence, conversation_id, direction, visibility, content, sender,
                       app_id, badges, source_channel, source_channel_id, target_channels, target_channel_ids,
                       silent, send_notifications, created_at)
                VALUES (:site, nextval('message_sequence'), md5('bench-' || :n)::uuid, 'PARTICIPANT_TO_BUSINESS',
                       'BUSINESS_AND_PARTICIPANT', '%s', '{"appId": "bench"}', 'bench', '[]',
                       'UNKNOWN_CHANNEL_TYPE', NULL, '{}', '{}', false, false, now())
                RETURNING sequence;
                WITH head AS (UPDATE event_log_heads SET last_position = last_position + 1 WHERE site_id = :site
                              RETURNING last_position)
                INSERT INTO events (site_id, position, event_id, slug, entity_id, conversation_id, occurred_at, body,
                                    identity)
                SELECT :site, last_position, gen_random_uuid(), 'message_sent_to_business', '1',
                       md5('bench-' || :n)::uuid, now(), '%s', '{"identityType": "APP", "appId": "bench"}'
                FROM head RETURNING position;
                END;
                """.formatted(conversations, CONTENT, event);
    }
}
