package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcExtractTaskTest {
  @TempDir Path dir;
  private TestContext ctx;
  private Db pg;

  @BeforeEach
  void setUp() throws Exception {
    ctx = new TestContext(dir);
    String url = TestDatabases.freshPostgresSchemaUrl();
    pg = new Db(url);
    ctx.connection("src", url);
  }

  private TaskResult extract(String yaml) throws Exception {
    return ctx.run("extract", new JdbcExtractTask(), yaml);
  }

  private List<String> staged(String sql) throws Exception {
    Dataset d = ctx.run("q", new dev.weir.tasks.sql.SqlTransformTask(), "sql: " + sql).dataset();
    return new Db("jdbc:duckdb:").rows("SELECT * FROM read_parquet('" + d.path() + "')");
  }

  @Test
  void postgres_types_are_staged_faithfully() throws Exception {
    pg.exec(
        "CREATE TABLE t (id bigint PRIMARY KEY, amount numeric(12,3), ratio double precision,"
            + " ok boolean, at timestamp, atz timestamptz, day date, doc jsonb, u uuid, note text,"
            + " small smallint, raw bytea)",
        "INSERT INTO t VALUES (1, 12345.678, 0.5, true, '2026-03-29 02:30:00.123456',"
            + " '2026-03-29 01:30:00+00', '2026-03-29', '{\"a\": 1}',"
            + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'é ü', 7, '\\x0102')",
        "INSERT INTO t (id) VALUES (2)");
    TaskResult r = extract("{connection: src, table: t}");
    Dataset d = r.dataset();
    assertThat(d.rowCount()).isEqualTo(2);
    assertThat(d.schema())
        .extracting(Dataset.Column::type)
        .containsExactly(
            "BIGINT",
            "DECIMAL(12,3)",
            "DOUBLE",
            "BOOLEAN",
            "TIMESTAMP",
            "TIMESTAMP WITH TIME ZONE",
            "DATE",
            "JSON",
            "UUID",
            "VARCHAR",
            "SMALLINT",
            "BLOB");
    var rows =
        new Db("jdbc:duckdb:")
            .rows(
                "SELECT id, amount, ratio, ok, \"at\", epoch(atz), day, doc, u, note, small,"
                    + " hex(raw) FROM read_parquet('"
                    + d.path()
                    + "') ORDER BY id");
    assertThat(rows)
        .containsExactly(
            "1|12345.678|0.5|true|2026-03-29 02:30:00.123456|1.7747478E9|2026-03-29|{\"a\": 1}"
                + "|a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|é ü|7|0102",
            "2|null|null|null|null|null|null|null|null|null|null|null");
  }

  @Test
  void the_audit_names_the_tables_the_query_reads_not_its_ctes_or_columns() throws Exception {
    pg.exec(
        "CREATE TABLE orders (id int, customer_id int, created_at date)",
        "CREATE TABLE customers (id int, name text)",
        "INSERT INTO orders VALUES (1, 1, '2026-03-01'), (2, 1, '2025-01-01')",
        "INSERT INTO customers VALUES (1, 'Ana')");
    TaskResult r =
        extract(
            "{connection: src, sql: \"WITH recent AS (SELECT * FROM orders WHERE"
                + " extract(year FROM created_at) = 2026) SELECT c.name FROM recent"
                + " JOIN customers c ON c.id = recent.customer_id\"}");
    assertThat(r.dataset().rowCount()).isEqualTo(1);
    assertThat(r.audit().inputs())
        .extracting(dev.weir.task.DatasetRef::name)
        .hasSize(2)
        .allMatch(n -> n.endsWith(".customers") || n.endsWith(".orders"))
        .noneMatch(n -> n.contains("recent") || n.contains("created_at"));

    // PostgreSQL's generate_series in FROM: what it reads is not a table, so inputs are unknown
    TaskResult series =
        extract("{connection: src, sql: \"SELECT g FROM generate_series(1, 3) g\"}");
    assertThat(series.dataset().rowCount()).isEqualTo(3);
    assertThat(series.audit().inputs()).isEmpty();
  }

  @Test
  void named_parameters_are_bound_not_pasted() throws Exception {
    pg.exec("CREATE TABLE people (name text)", "INSERT INTO people VALUES ('O''Brien'), ('Smith')");
    TaskResult r =
        extract(
            "{connection: src, sql: \"SELECT name FROM people WHERE name = :who -- :nope\","
                + " params: {who: \"O'Brien\"}}");
    assertThat(r.dataset().rowCount()).isEqualTo(1);
    assertThatThrownBy(
            () -> extract("{connection: src, sql: 'SELECT * FROM people WHERE name = :who'}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("the query uses :who but no such parameter is given");
  }

  @Test
  void incremental_reads_changed_rows_since_the_mark_minus_the_overlap() throws Exception {
    pg.exec(
        "CREATE TABLE orders (id int PRIMARY KEY, status text, updated_at timestamp)",
        "INSERT INTO orders VALUES (1, 'new', '2026-11-01 10:00'), (2, 'new', '2026-11-01 11:00'),"
            + " (3, 'new', '2026-11-01 12:00')");
    String yaml =
        "{connection: src, sql: 'SELECT * FROM orders WHERE updated_at >= :since',"
            + " incremental: {column: updated_at, overlap: 30m}}";
    TaskResult first = extract(yaml);
    assertThat(first.dataset().rowCount()).isEqualTo(3);
    assertThat(first.outputs()).containsEntry("watermark", "2026-11-01T12:00:00.000000");
    assertThat(ctx.state("extract", "watermark")).isEqualTo("timestamp:2026-11-01T12:00:00.000000");

    pg.exec(
        "INSERT INTO orders VALUES (4, 'new', '2026-11-01 13:00')",
        "UPDATE orders SET status = 'paid', updated_at = '2026-11-01 12:40' WHERE id = 1",
        // arrived late: stamped before the mark, but inside the overlap window
        "UPDATE orders SET status = 'late', updated_at = '2026-11-01 11:45' WHERE id = 2");
    TaskResult second = extract(yaml);
    assertThat(second.outputs()).containsEntry("since", "2026-11-01T11:30");
    assertThat(staged("SELECT id, status FROM extract ORDER BY id"))
        .containsExactly("1|paid", "2|late", "3|new", "4|new");
    assertThat(ctx.state("extract", "watermark")).isEqualTo("timestamp:2026-11-01T13:00:00.000000");

    TaskResult third = extract(yaml);
    // nothing changed; the overlap re-reads the rows stamped within 30 minutes of the mark
    assertThat(staged("SELECT id FROM extract ORDER BY id")).containsExactly("1", "4");
    assertThat(third.outputs()).containsEntry("watermark", "2026-11-01T13:00:00.000000");
  }

  @Test
  void incremental_on_a_table_with_a_numeric_column_starts_at_initial() throws Exception {
    pg.exec(
        "CREATE TABLE events (seq bigint, kind text)",
        "INSERT INTO events SELECT g, 'k' FROM generate_series(1, 10) g");
    TaskResult r =
        extract("{connection: src, table: events, incremental: {column: seq, initial: 6}}");
    assertThat(r.dataset().rowCount()).isEqualTo(5);
    assertThat(ctx.state("extract", "watermark")).isEqualTo("number:10");
    pg.exec("INSERT INTO events VALUES (11, 'k')");
    assertThat(
            extract("{connection: src, table: events, incremental: {column: seq}}")
                .dataset()
                .rowCount())
        .isEqualTo(2); // 10 again, as >= keeps the boundary row, and 11
  }

  @Test
  void partitions_read_key_ranges_at_once_and_lose_no_row() throws Exception {
    pg.exec(
        "CREATE TABLE big (id bigint, v text)",
        "INSERT INTO big SELECT g, 'v' || g FROM generate_series(1, 10007) g",
        "INSERT INTO big VALUES (NULL, 'no key')");
    TaskResult r =
        extract("{connection: src, table: big, partitionBy: {column: id, partitions: 3}}");
    assertThat(r.outputs()).containsEntry("partitions", 3);
    assertThat(r.dataset().rowCount()).isEqualTo(10008);
    assertThat(staged("SELECT count(DISTINCT id), sum(id)::BIGINT FROM extract"))
        .containsExactly("10007|50075028");
  }

  @Test
  void refused_login_names_the_connection_and_never_the_password() throws Exception {
    // the local server trusts every login, so this is refused for an unknown role; the MariaDB
    // tests cover a wrong password
    String url = TestDatabases.postgresBaseUrl();
    ctx.connection(
        ConnectionConfig.jdbc(
            "shop",
            url.replaceAll("[?&]user=[^&]*", ""),
            "weir_no_such_role",
            "s3cr3t-canary",
            Map.of()));
    assertThatThrownBy(() -> extract("{connection: shop, sql: 'SELECT 1'}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("cannot connect to connection 'shop' (jdbc:postgresql:")
        .hasMessageContaining("user weir_no_such_role")
        .hasMessageContaining("check user and password")
        .hasMessageNotContaining("s3cr3t-canary")
        .satisfies(e -> assertThat(((TaskFailedException) e).connectionFailure()).isFalse());
  }

  @Test
  void unreachable_host_is_a_retryable_connection_failure() throws Exception {
    ctx.connection("gone", "jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2");
    assertThatThrownBy(() -> extract("{connection: gone, sql: 'SELECT 1'}"))
        .isInstanceOfSatisfying(
            TaskFailedException.class,
            e -> {
              assertThat(e.retryable()).isTrue();
              assertThat(e.connectionFailure()).isTrue();
            })
        .hasMessageContaining("could not be reached");
  }

  @Test
  void h2_sqlite_and_duckdb_sources_read_too() throws Exception {
    String h2 = "jdbc:h2:" + dir.resolve("h2db");
    new Db(h2)
        .exec(
            "CREATE TABLE t (id INT, name VARCHAR(10), at TIMESTAMP)",
            "INSERT INTO t VALUES (1, 'a', TIMESTAMP '2026-01-01 00:00:00')");
    String sqlite = "jdbc:sqlite:" + dir.resolve("s.db");
    new Db(sqlite)
        .exec(
            "CREATE TABLE t (id INTEGER, name TEXT, score REAL)",
            "INSERT INTO t VALUES (1, 'a', 1.5)");
    String duck = "jdbc:duckdb:" + dir.resolve("d.duckdb");
    new Db(duck).exec("CREATE TABLE t AS SELECT 1 AS id, 'a' AS name, DATE '2026-01-01' AS d");
    for (String url : List.of(h2, sqlite, duck)) {
      TaskResult r = extract("{url: '" + url + "', table: t}");
      assertThat(r.dataset().rowCount()).as(url).isEqualTo(1);
    }
  }

  @Test
  void config_problems_are_reported_together() {
    assertThat(
            TestContext.problems(
                new JdbcExtractTask(),
                "{sql: 'SELECT * FROM t', incremental: {column: at, overlap: soon}, partitionBy: {column: id, partitions: 0}}"))
        .containsExactly(
            "neither url nor connection is given; give exactly one: `connection: source_pg` (named"
                + " in weir.yaml) or `url: jdbc:postgresql://host/db`",
            "incremental needs the query to filter on :since, e.g. `sql: SELECT * FROM orders"
                + " WHERE at >= :since`",
            "incremental.overlap 'soon' is neither a duration (30s, 5m, 2h, 1d or PT5M) nor a number",
            "partitionBy.partitions must be at least 1, e.g. `partitions: 4`; got 0");
  }
}
