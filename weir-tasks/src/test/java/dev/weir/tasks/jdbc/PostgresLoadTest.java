package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.testing.TestDatabases;
import java.sql.DriverManager;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

class PostgresLoadTest extends LoadContract {
  private String url;

  @Override
  String freshUrl() {
    url = TestDatabases.freshPostgresSchemaUrl();
    return url;
  }

  @Test
  void a_reader_never_sees_a_partial_replace() throws Exception {
    stage("old", "SELECT range::INTEGER AS id, 'old' AS v FROM range(1000)");
    load("dataset: old, table: orders");
    stage("new", "SELECT range::INTEGER AS id, 'new' AS v FROM range(300000)");
    Set<Long> seen = new ConcurrentSkipListSet<>();
    var loading =
        CompletableFuture.runAsync(() -> {
          try {
            load("dataset: new, table: orders, mode: replace");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    try (var c = DriverManager.getConnection(url);
        var st = c.createStatement()) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (!loading.isDone() && System.nanoTime() < deadline) {
        try (var rs = st.executeQuery("SELECT count(*) FROM orders")) {
          rs.next();
          seen.add(rs.getLong(1));
        }
      }
    }
    loading.join();
    assertThat(seen).isSubsetOf(1000L, 300000L).contains(1000L);
    assertThat(rows("SELECT count(*), min(v), max(v) FROM orders"))
        .containsExactly("300000|new|new");
  }

  // every value that has a binary encoding, around its edges: what COPY in binary stores must equal
  // what COPY in CSV stores for the same dataset
  private static final String EDGES =
      "SELECT range AS id,"
          + " (range * 7919 % 2000000 - 1000000)::DECIMAL(10,3) / 7 AS amount,"
          + " CASE range % 5 WHEN 0 THEN 0 WHEN 1 THEN 0.0001 WHEN 2 THEN -99999999.99"
          + "   WHEN 3 THEN 10000 ELSE range / 100.0 END::DECIMAL(18,4) AS wide,"
          + " (range % 97 - 48)::DECIMAL(4,0) AS whole,"
          + " (range % 3 - 1)::SMALLINT AS small, range::INTEGER AS medium,"
          + " range / 3.0 AS ratio, (range / 7.0)::FLOAT AS approx, range % 2 = 0 AS even,"
          + " TIMESTAMP '1901-01-01' + INTERVAL (range * 3607321) SECOND"
          + "   + INTERVAL (range % 1000000) MICROSECOND AS at,"
          + " TIMESTAMPTZ '1999-12-31 23:59:59.999999+00' + INTERVAL (range * 86399) SECOND AS zoned,"
          + " DATE '1890-02-03' + (range * 13)::INTEGER AS day,"
          + " CASE WHEN range % 4 = 0 THEN NULL ELSE 'é ' || range || ' ✓' || chr(9) || ',' || chr(34)"
          + "   END AS note,"
          + " uuid() AS ref, unhex(lpad(hex(range), 8, '0')) AS raw,"
          + " json_object('n', range, 's', 'x' || range) AS doc"
          + " FROM range(5000)"
          + " UNION ALL SELECT 5000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
          + " 'infinity'::TIMESTAMP, '-infinity'::TIMESTAMPTZ, 'infinity'::DATE, NULL, NULL, NULL,"
          + " NULL";

  @Test
  void binary_copy_stores_exactly_what_csv_copy_stores() throws Exception {
    stage("edges", EDGES);
    load("dataset: edges, table: bin");
    assertThat(ctx.log()).anyMatch(l -> l.contains("COPY into \"bin\" in binary format"));
    PgCopy.binary = false;
    try {
      loadAs("load_csv", "dataset: edges, table: csv");
    } finally {
      PgCopy.binary = true;
    }
    assertThat(rows("SELECT count(*) FROM bin")).containsExactly("5001");
    assertThat(
            rows(
                "SELECT atttypid::regtype FROM pg_attribute WHERE attrelid = 'bin'::regclass"
                    + " AND attname = 'doc'"))
        .containsExactly("jsonb");
    assertThat(
            rows(
                "SELECT count(*) FROM (SELECT id, amount, wide, whole, small, medium, ratio,"
                    + " approx, even, at, zoned, day, note, ref::text, raw, doc::text FROM bin"
                    + " EXCEPT SELECT id, amount, wide, whole, small, medium, ratio, approx, even,"
                    + " at, zoned, day, note, ref::text, raw, doc::text FROM csv) d"))
        .containsExactly("0");
    assertThat(rows("SELECT amount, wide, at, day FROM bin WHERE id = 3"))
        .containsExactly(rows("SELECT amount, wide, at, day FROM csv WHERE id = 3").getFirst());
    assertThat(rows("SELECT at::text, zoned::text, day::text FROM bin WHERE id = 5000"))
        .containsExactly("infinity|-infinity|infinity");
  }

  @Test
  void a_value_too_big_for_an_existing_integer_column_names_the_column() throws Exception {
    db.exec("CREATE TABLE narrow (id integer, n integer)");
    stage("big", "SELECT 1 AS id, 3000000000::BIGINT AS n");
    assertThatThrownBy(() -> load("dataset: big, table: narrow"))
        .hasMessageContaining("'n'")
        .hasMessageContaining("3000000000")
        .hasMessageContaining("integer");
    assertThat(rows("SELECT count(*) FROM narrow")).containsExactly("0");
  }

  @Test
  void columns_without_a_binary_form_go_through_csv() throws Exception {
    db.exec("CREATE TABLE mixed (id bigint, label character(3), span interval, at time)");
    stage(
        "mixed",
        "SELECT 1 AS id, 'ab' AS label, INTERVAL 90 MINUTE AS span, TIME '12:34:56' AS at");
    load("dataset: mixed, table: mixed");
    assertThat(ctx.log())
        .anyMatch(l -> l.contains("as CSV: column 'label' (VARCHAR into character) has no binary"));
    assertThat(rows("SELECT id, label, span, at FROM mixed"))
        .containsExactly("1|ab |1 hours 30 mins|12:34:56");
  }
}
