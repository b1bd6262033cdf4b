package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.sql.SqlTransformTask;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcLoadTaskTest {
  @TempDir Path dir;
  private TestContext ctx;

  @BeforeEach
  void context() {
    ctx = new TestContext(dir);
  }

  /** Stages the rows of {@code select} as the dataset of {@code taskId}. */
  private void orders(String taskId, String select) throws Exception {
    ctx.run(taskId, new SqlTransformTask(), "sql: " + select);
  }

  private TaskResult load(String yaml) throws Exception {
    return ctx.run("load", new JdbcLoadTask(), yaml);
  }

  private List<String> query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      var rows = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var cells = new ArrayList<String>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        rows.add(String.join("|", cells));
      }
      return rows;
    }
  }

  private void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void append_creates_a_missing_schema_and_table_from_the_dataset() throws Exception {
    orders("v1", "SELECT range AS order_id, 'open' AS status FROM range(3)");
    TaskResult result = load("{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: analytics.orders}");
    assertThat(result.outputs())
        .containsEntry("rows", 3L)
        .containsEntry("table", "analytics.orders")
        .containsEntry("mode", "append")
        .containsEntry("created", true);
    assertThat(ctx.log())
        .containsExactly("INFO created table analytics.orders from the schema of dataset 'v1'");
    // the same run appending the same data again (a retry, a resume) adds nothing
    TaskResult again = load("{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: analytics.orders}");
    assertThat(again.outputs()).containsEntry("alreadyLoaded", true).containsEntry("rows", 0L);
    assertThat(query("SELECT count(*) FROM analytics.orders")).containsExactly("3");
  }

  @Test
  void loads_running_at_once_into_one_new_schema_all_succeed() throws Exception {
    // each creates the schema and the loads table if missing; DuckDB fails all but one of
    // concurrent creators with a write-write conflict unless they try again
    int tasks = 6;
    for (int i = 0; i < tasks; i++) {
      orders("v" + i, "SELECT range AS order_id FROM range(" + (i + 1) + ")");
    }
    for (int round = 0; round < 4; round++) {
      var start = new java.util.concurrent.CountDownLatch(1);
      var failures = new ConcurrentSkipListSet<String>();
      var threads = new ArrayList<Thread>();
      for (int i = 0; i < tasks; i++) {
        String yaml =
            "{dataset: v" + i + ", url: 'jdbc:duckdb:w.duckdb', table: wh" + round + ".t" + i + "}";
        String taskId = "load_" + round + "_" + i;
        threads.add(
            Thread.ofPlatform()
                .start(() -> {
                  try {
                    start.await();
                    ctx.run(taskId, new JdbcLoadTask(), yaml);
                  } catch (Exception e) {
                    failures.add(taskId + ": " + e.getMessage());
                  }
                }));
      }
      start.countDown();
      for (Thread t : threads) {
        assertThat(t.join(java.time.Duration.ofSeconds(60))).as("load finished").isTrue();
      }
      assertThat(failures).isEmpty();
      for (int i = 0; i < tasks; i++) {
        assertThat(query("SELECT count(*) FROM wh" + round + ".t" + i))
            .containsExactly(String.valueOf(i + 1));
      }
    }
  }

  @Test
  void inserts_by_column_name_whatever_the_order() throws Exception {
    orders("v1", "SELECT 1 AS order_id, 'open' AS status");
    load("{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: orders}");
    orders("v2", "SELECT 'shipped' AS status, 2 AS order_id");
    load("{dataset: v2, url: 'jdbc:duckdb:w.duckdb', table: orders}");
    assertThat(query("SELECT order_id, status FROM orders ORDER BY 1"))
        .containsExactly("1|open", "2|shipped");
  }

  @Test
  void replace_swaps_all_rows() throws Exception {
    orders("v1", "SELECT range AS order_id FROM range(5)");
    load("{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: orders}");
    orders("v2", "SELECT range + 100 AS order_id FROM range(2)");
    TaskResult result =
        load("{dataset: v2, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: replace}");
    assertThat(result.outputs())
        .containsEntry("rows", 2L)
        .containsEntry("mode", "replace")
        .containsEntry("created", false);
    assertThat(query("SELECT order_id FROM orders ORDER BY 1")).containsExactly("100", "101");
  }

  @Test
  void replace_keeps_the_tables_column_types_and_order() throws Exception {
    orders("v1", "SELECT 1 AS order_id, 'open' AS status");
    load("{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: orders}");
    execute("ALTER TABLE orders ALTER order_id TYPE INTEGER");
    orders("v2", "SELECT 'shipped' AS status, 2::BIGINT AS order_id");
    load("{dataset: v2, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: replace}");
    assertThat(
            query(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position"))
        .containsExactly("order_id|INTEGER", "status|VARCHAR");
  }

  @Test
  void replace_refuses_a_dataset_column_the_table_lacks() throws Exception {
    orders("v1", "SELECT 1 AS order_id");
    load("{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: orders}");
    orders("v2", "SELECT 2 AS order_id, 'x' AS note");
    assertThatThrownBy(
            () -> load("{dataset: v2, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: replace}"))
        .hasMessage(
            "jdbc.load: table orders lacks column note VARCHAR of the dataset (table columns:"
                + " order_id); set `schemaChanges: addColumns` to add them, or leave them out of"
                + " the dataset");
    assertThat(query("SELECT order_id FROM orders")).containsExactly("1");
  }

  @Test
  void a_reader_never_sees_a_partial_replace() throws Exception {
    orders("old", "SELECT range AS order_id, 'old' AS v FROM range(1000)");
    load("{dataset: old, url: 'jdbc:duckdb:w.duckdb', table: orders}");
    int big = 3_000_000;
    orders("new", "SELECT range AS order_id, md5(range::VARCHAR) AS v FROM range(" + big + ")");
    Set<Long> seen = new ConcurrentSkipListSet<>();
    var done = new AtomicBoolean();
    var failure = new AtomicReference<Throwable>();
    int polls = 0;
    try (Connection reader =
        DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("w.duckdb"))) {
      Thread loader =
          Thread.ofPlatform()
              .start(() -> {
                try {
                  load("{dataset: new, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: replace}");
                } catch (Throwable t) {
                  failure.set(t);
                } finally {
                  done.set(true);
                }
              });
      while (!done.get()) {
        try (Statement s = reader.createStatement();
            ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
          rs.next();
          seen.add(rs.getLong(1));
          polls++;
        }
      }
      loader.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(polls).isGreaterThan(1);
    assertThat(seen).isSubsetOf(1000L, (long) big).contains(1000L);
    assertThat(query("SELECT count(*) FROM orders")).containsExactly(String.valueOf(big));
  }

  @Test
  void upsert_twice_leaves_one_row_per_key() throws Exception {
    orders("v1", "SELECT range AS order_id, 'open' AS status FROM range(3)");
    String yaml =
        "{dataset: %s, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: upsert, key: [order_id]}";
    load(yaml.formatted("v1"));
    orders("v2", "SELECT range + 1 AS order_id, 'shipped' AS status FROM range(3)");
    load(yaml.formatted("v2"));
    load(yaml.formatted("v2"));
    assertThat(query("SELECT order_id, status FROM orders ORDER BY 1"))
        .containsExactly("0|open", "1|shipped", "2|shipped", "3|shipped");
  }

  @Test
  void upsert_matches_on_a_composite_key() throws Exception {
    String yaml =
        "{dataset: %s, url: 'jdbc:duckdb:w.duckdb', table: lines, mode: upsert, key: [order_id, line]}";
    orders("v1", "SELECT 1 AS order_id, range AS line, 1 AS qty FROM range(2)");
    load(yaml.formatted("v1"));
    orders("v2", "SELECT 1 AS order_id, 1 AS line, 5 AS qty");
    load(yaml.formatted("v2"));
    assertThat(query("SELECT order_id, line, qty FROM lines ORDER BY 2"))
        .containsExactly("1|0|1", "1|1|5");
  }

  @Test
  void upsert_rejects_a_dataset_with_duplicate_keys_and_loads_nothing() throws Exception {
    orders(
        "dups",
        "SELECT * FROM (VALUES (1, 'a'), (2, 'b'), (2, 'c'), (3, 'd'), (3, 'e'), (3, 'f')) t(order_id, status)");
    assertThatThrownBy(() ->
            load(
                "{dataset: dups, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: upsert, key: [order_id]}"))
        .isInstanceOf(TaskFailedException.class)
        .satisfies(e -> assertThat(((TaskFailedException) e).retryable()).isFalse())
        .hasMessage(
            "jdbc.load upsert: dataset 'dups' has 2 keys that occur more than once, e.g."
                + " {order_id=3} occurs 3 times; an upsert needs one row per key (order_id)."
                + " Deduplicate upstream, e.g. `QUALIFY row_number() OVER (PARTITION BY order_id"
                + " ORDER BY updated_at DESC) = 1`");
    assertThat(query("SELECT count(*) FROM information_schema.tables WHERE table_name = 'orders'"))
        .containsExactly("0");
  }

  @Test
  void upsert_rejects_null_keys() throws Exception {
    orders("nulls", "SELECT * FROM (VALUES (1), (NULL)) t(order_id)");
    assertThatThrownBy(() ->
            load(
                "{dataset: nulls, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: upsert, key: order_id}"))
        .hasMessage(
            "jdbc.load upsert: 1 rows of dataset 'nulls' have a null in key (order_id), and a null"
                + " key matches no row; filter them out upstream or check with `notNull:"
                + " [order_id]`");
  }

  @Test
  void upsert_key_must_be_a_dataset_column() throws Exception {
    orders("v1", "SELECT 1 AS order_id");
    assertThatThrownBy(() ->
            load(
                "{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: upsert, key: [id]}"))
        .hasMessage(
            "jdbc.load key column 'id' is not in dataset 'v1' (its columns: order_id); fix key");
  }

  @Test
  void a_failed_load_rolls_back_and_leaves_the_old_rows() throws Exception {
    orders("v1", "SELECT range AS order_id FROM range(3)");
    load("{dataset: v1, url: 'jdbc:duckdb:w.duckdb', table: orders}");
    orders("bad", "SELECT 'not a number' AS order_id");
    assertThatThrownBy(
            () -> load("{dataset: bad, url: 'jdbc:duckdb:w.duckdb', table: orders, mode: replace}"))
        .hasMessageContaining("Conversion Error");
    assertThat(query("SELECT count(*) FROM orders")).containsExactly("3");
  }

  @Test
  void a_named_connection_is_looked_up() throws Exception {
    ctx.connection("warehouse", "jdbc:duckdb:w.duckdb");
    orders("v1", "SELECT 1 AS order_id");
    load("{dataset: v1, connection: warehouse, table: orders}");
    assertThat(query("SELECT count(*) FROM orders")).containsExactly("1");
  }

  @Test
  void validation_explains_each_rule() {
    assertThat(TestContext.problems(new JdbcLoadTask(), "{dataset: a, table: t, mode: upsert}"))
        .containsExactly(
            "neither url nor connection is given; give exactly one: `url:"
                + " jdbc:duckdb:warehouse.duckdb` or `connection: warehouse` (a connection named in"
                + " weir.yaml)",
            "mode upsert needs key: the columns that identify a row, e.g. `key: [order_id]`");
    assertThat(
            TestContext.problems(
                new JdbcLoadTask(),
                "{dataset: a, table: t, url: 'jdbc:mysql://x/y', connection: w, key: [id]}"))
        .containsExactly(
            "both url and connection are given; give exactly one: `url:"
                + " jdbc:duckdb:warehouse.duckdb` or `connection: warehouse` (a connection named in"
                + " weir.yaml)",
            "key is only used by mode upsert (mode here is append); set `mode: upsert` or remove"
                + " key");
    assertThat(
            TestContext.problems(
                new JdbcLoadTask(), "{dataset: a, table: 'a..b', url: 'jdbc:duckdb:'}"))
        .containsExactly(
            "table 'a..b' is not a table name; use `table: orders` or `table: analytics.orders`");
  }

  @Test
  void a_flow_with_a_templated_partition_validates() {
    var flow =
        new dev.weir.flow.FlowParser(dev.weir.task.TaskRegistry.load())
            .parse(
                "flow.yaml",
                """
                id: daily
                tasks:
                  - {id: shape, type: sql.transform, sql: "SELECT 1 AS n"}
                  - id: load
                    type: jdbc.load
                    dataset: shape
                    url: "jdbc:duckdb:"
                    table: t
                    mode: replacePartition
                    partition: {column: day, value: "{{ run.logicalDate | date('yyyy-MM-dd') }}"}
                """);
    assertThat(flow.tasks()).hasSize(2);
  }

  @Test
  void relative_database_files_resolve_against_the_work_dir() {
    Path work = Path.of("/flows/shop");
    assertThat(DuckTarget.resolve("jdbc:duckdb:data/w.duckdb", work))
        .isEqualTo("jdbc:duckdb:/flows/shop/data/w.duckdb");
    assertThat(DuckTarget.resolve("jdbc:duckdb:/abs/w.duckdb", work))
        .isEqualTo("jdbc:duckdb:/abs/w.duckdb");
    assertThat(DuckTarget.resolve("jdbc:duckdb:", work)).isEqualTo("jdbc:duckdb:");
    assertThat(DuckTarget.resolve("jdbc:duckdb::memory:x", work))
        .isEqualTo("jdbc:duckdb::memory:x");
  }
}
