package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.sql.SqlTransformTask;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every load mode against one real database; one subclass per database. */
abstract class LoadContract {
  @TempDir Path dir;
  TestContext ctx;
  Db db;

  /** A JDBC URL of an empty database or schema for this test. */
  abstract String freshUrl() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    ctx = new TestContext(dir);
    String url = freshUrl();
    db = new Db(url);
    ctx.connection("target", url);
  }

  void stage(String id, String sql) throws Exception {
    ctx.run(id, new SqlTransformTask(), "sql: \"" + sql.replace("\"", "\\\"") + "\"");
  }

  TaskResult load(String yaml) throws Exception {
    return ctx.run("load", new JdbcLoadTask(), "{connection: target, " + yaml + "}");
  }

  /** A second load task of the same run, as a new run would do it. */
  TaskResult loadAs(String taskId, String yaml) throws Exception {
    return ctx.run(taskId, new JdbcLoadTask(), "{connection: target, " + yaml + "}");
  }

  List<String> rows(String sql) throws Exception {
    return db.rows(sql);
  }

  @Test
  void append_creates_the_table_and_a_repeat_in_the_same_run_adds_nothing() throws Exception {
    stage("v1", "SELECT range::INTEGER AS id, 'n' || range AS name FROM range(3)");
    TaskResult first = load("dataset: v1, table: orders");
    assertThat(first.outputs()).containsEntry("rows", 3L).containsEntry("created", true);
    TaskResult again = load("dataset: v1, table: orders");
    assertThat(again.outputs()).containsEntry("alreadyLoaded", true);
    assertThat(rows("SELECT count(*) FROM orders")).containsExactly("3");
    loadAs("load_tomorrow", "dataset: v1, table: orders");
    assertThat(rows("SELECT count(*) FROM orders")).containsExactly("6");
  }

  @Test
  void replace_swaps_all_rows_and_twice_is_the_same() throws Exception {
    stage("v1", "SELECT range::INTEGER AS id FROM range(5)");
    load("dataset: v1, table: orders");
    stage("v2", "SELECT (range + 100)::INTEGER AS id FROM range(2)");
    load("dataset: v2, table: orders, mode: replace");
    load("dataset: v2, table: orders, mode: replace");
    assertThat(rows("SELECT id FROM orders ORDER BY id")).containsExactly("100", "101");
  }

  @Test
  void upsert_updates_changed_keys_adds_new_ones_and_twice_is_the_same() throws Exception {
    stage("v1", "SELECT range::INTEGER AS id, 'old' AS status FROM range(4)");
    load("dataset: v1, table: orders, mode: upsert, key: [id]");
    stage("v2", "SELECT * FROM (VALUES (1, 'new'), (3, 'new'), (9, 'new')) t(id, status)");
    TaskResult r = load("dataset: v2, table: orders, mode: upsert, key: [id]");
    assertThat(r.outputs()).containsEntry("rows", 3L);
    load("dataset: v2, table: orders, mode: upsert, key: [id]");
    assertThat(rows("SELECT id, status FROM orders ORDER BY id"))
        .containsExactly("0|old", "1|new", "2|old", "3|new", "9|new");
  }

  @Test
  void upsert_works_on_a_table_without_a_unique_key() throws Exception {
    db.exec("CREATE TABLE plain (id INTEGER, status VARCHAR(20))");
    db.exec("INSERT INTO plain VALUES (1, 'old'), (2, 'old')");
    stage("v1", "SELECT * FROM (VALUES (2, 'new'), (3, 'new')) t(id, status)");
    load("dataset: v1, table: plain, mode: upsert, key: [id]");
    load("dataset: v1, table: plain, mode: upsert, key: [id]");
    assertThat(rows("SELECT id, status FROM plain ORDER BY id"))
        .containsExactly("1|old", "2|new", "3|new");
  }

  @Test
  void replace_partition_replaces_one_day_only() throws Exception {
    stage(
        "all",
        "SELECT * FROM (VALUES ('2026-11-01', 1), ('2026-11-01', 2), ('2026-11-02', 3)) t(sale_day, n)");
    load("dataset: all, table: sales");
    stage("day1", "SELECT * FROM (VALUES ('2026-11-01', 10)) t(sale_day, n)");
    String yaml =
        "dataset: day1, table: sales, mode: replacePartition, partition: {column: sale_day, value:"
            + " '2026-11-01'}";
    load(yaml);
    load(yaml);
    assertThat(rows("SELECT sale_day, n FROM sales ORDER BY n"))
        .containsExactly("2026-11-02|3", "2026-11-01|10");
  }

  @Test
  void replace_partition_refuses_rows_of_another_partition() throws Exception {
    stage("mixed", "SELECT * FROM (VALUES ('2026-11-01', 1), ('2026-11-02', 2)) t(sale_day, n)");
    assertThatThrownBy(() ->
            load(
                "dataset: mixed, table: sales, mode: replacePartition, partition: {column:"
                    + " sale_day, value: '2026-11-01'}"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("1 rows of dataset 'mixed' have sale_day other than '2026-11-01'");
  }

  @Test
  void new_dataset_columns_fail_or_are_added() throws Exception {
    stage("v1", "SELECT 1 AS id");
    load("dataset: v1, table: orders");
    stage("v2", "SELECT 2 AS id, 'x' AS note");
    assertThatThrownBy(() -> load("dataset: v2, table: orders"))
        .isInstanceOf(TaskFailedException.class)
        .hasMessageContaining("lacks column note VARCHAR")
        .hasMessageContaining("schemaChanges: addColumns");
    TaskResult r = load("dataset: v2, table: orders, schemaChanges: addColumns");
    assertThat(r.outputs()).containsEntry("addedColumns", List.of("note"));
    assertThat(rows("SELECT count(*) FROM orders")).containsExactly("2");
  }

  @Test
  void values_of_every_common_type_arrive_intact() throws Exception {
    stage(
        "typed",
        "SELECT 1 AS id, 12.345::DECIMAL(10,3) AS amount, 0.25::DOUBLE AS ratio, true AS ok,"
            + " TIMESTAMP '2026-03-29 02:30:00.5' AS at, DATE '2026-03-29' AS sold_on,"
            + " 'tab\there, \"quoted\", comma' AS note, '' AS empty, NULL::VARCHAR AS nothing_here"
            + " UNION ALL SELECT 2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL");
    load("dataset: typed, table: typed");
    assertThat(
            rows(
                "SELECT amount, ratio, ok, sold_on, note, empty, nothing_here FROM typed ORDER BY id"))
        .hasSize(2)
        .first()
        .asString()
        .contains("12.345", "0.25", "2026-03-29", "tab\there, \"quoted\", comma|");
    assertThat(rows("SELECT count(*) FROM typed WHERE empty = '' AND nothing_here IS NULL"))
        .containsExactly("1");
    assertThat(rows("SELECT count(*) FROM typed WHERE amount IS NULL AND note IS NULL"))
        .containsExactly("1");
  }

  @Test
  void masked_columns_never_reach_the_table_in_clear() throws Exception {
    stage(
        "people",
        "SELECT 1 AS id, 'ann@example.com' AS email, '555-1234' AS phone, '123-45-6789' AS ssn");
    load(
        "dataset: people, table: people, mask: {email: hash, phone: redact, ssn: drop},"
            + " maskSalt: pepper");
    List<String> row = rows("SELECT * FROM people");
    assertThat(row).hasSize(1);
    assertThat(row.getFirst())
        .doesNotContain("ann@example.com")
        .doesNotContain("555-1234")
        .doesNotContain("123-45-6789")
        .contains("***");
    assertThat(
            rows(
                "SELECT count(*) FROM people WHERE email = '"
                    + new Db("jdbc:duckdb:").one("SELECT sha256('pepper|ann@example.com')")
                    + "'"))
        .containsExactly("1");
  }
}
