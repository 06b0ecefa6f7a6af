package parley.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import parley.TestParley;

/** Array parameters, sent in binary or as text for the statement to cast, arrive exactly as bound. */
class HotPathTest {
    private final Database database = Database.open(null, TestParley.freshDataDir(), 2);

    @AfterEach
    void close() {
        database.close();
    }

    private record Row(String text, UUID uuid, Instant at, Long bigint, Integer integer, Boolean bool) {
    }

    @Test
    void arrayParametersKeepEveryValueAndNull() {
        List<Row> rows = List.of(
                new Row("{\"text\":\"a \\\"quoted\\\" {brace}, comma\\\\\"}", UUID.randomUUID(),
                        Instant.parse("2026-12-01T20:30:25.123456Z"), Long.MAX_VALUE, Integer.MIN_VALUE, true),
                new Row("NULL", null, null, null, null, null),
                new Row("", UUID.randomUUID(), Instant.parse("1999-12-31T23:59:59Z"), -1L, 0, false),
                new Row(null, UUID.randomUUID(), Instant.parse("2026-03-29T01:30:00.000001Z"), 0L, 7, null),
                new Row("😀 ünïcode\ttab\nline", UUID.randomUUID(), Instant.EPOCH, 42L, null, true));

        List<Row> read = database.inTransaction(handle -> {
            // instants are bound as ISO-8601 with their offset: the session's time zone cannot shift them
            handle.execute("SET LOCAL TIME ZONE 'America/New_York'");
            return HotPath.query(handle, """
                            SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS uuid[]), CAST(? AS timestamptz[]),
                                                 CAST(? AS bigint[]), CAST(? AS integer[]), CAST(? AS boolean[]))
                            WITH ORDINALITY AS r(text, uuid, at, bigint, integer, bool, n) ORDER BY n
                            """,
                    binder -> binder.textArray(column(rows, Row::text)).uuidArray(column(rows, Row::uuid))
                            .instantArray(column(rows, Row::at)).bigintArray(column(rows, Row::bigint))
                            .integerArray(column(rows, Row::integer)).boolArray(column(rows, Row::bool)),
                    row -> new Row(row.getString("text"), row.getObject("uuid", UUID.class),
                            row.getObject("at") == null ? null : row.getObject("at", OffsetDateTime.class).toInstant(),
                            row.getObject("bigint", Long.class), row.getObject("integer", Integer.class),
                            row.getObject("bool", Boolean.class)));
        });

        assertThat(read).containsExactlyElementsOf(rows);
    }

    private static <T> List<T> column(List<Row> rows, Function<Row, T> field) {
        return rows.stream().map(field).toList(); // keeps the nulls
    }
}
