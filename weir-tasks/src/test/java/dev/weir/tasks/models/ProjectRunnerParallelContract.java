package dev.weir.tasks.models;

import static dev.weir.tasks.models.Projects.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProjectRunner} with {@code threads} on each database: the same tables and results as a
 * sequential run, skipping by branch, the listener, what each node wrote and read, cancelling a
 * long model and an incremental one putting its rows in place. Run by {@link
 * ProjectRunnerParallelTest} (DuckDB) and {@link ProjectRunnerParallelPostgresTest}.
 */
abstract class ProjectRunnerParallelContract {
  @TempDir Path dir;

  /**
   * A target of one test's own: {@code connection} is held for the sequential runs and the checks,
   * the worker threads take theirs from {@code connections}.
   */
  record Database(Connection connection, TargetConnections connections, Target target)
      implements AutoCloseable {
    CompileOptions options(DbtProject p) {
      return CompileOptions.defaults(p).withTarget(target);
    }

    String schema() {
      return target.schema();
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  /** A new, empty database; {@code name} tells a test's databases apart. */
  abstract Database database(String name) throws SQLException;

  /** A select that runs for a minute or more unless cancelled. */
  abstract String sleepingSelect();

  /** A from-item of {@code n} rows with a column {@code i}. */
  abstract String series(long n);

  /** How many rows keep an incremental delete+insert on one key busy until it is cancelled. */
  abstract long rowsToCancel();

  @Test
  void a_wide_project_at_four_threads_builds_the_same_tables_and_results_as_at_one()
      throws Exception {
    DbtProject p = DbtProject.load(WideProject.wide(dir.resolve("wide")));
    try (Database one = database("one");
        Database four = database("four")) {
      List<NodeResult> sequential =
          new ProjectRunner(p, one.options(p), one.connection()).run(null, null);
      assertThat(sequential).hasSize(1 + 24 + 16 + 1 + 8).allSatisfy(this::succeeded);
      var recorder = new Recorder(5, n -> {});
      var parallel = new ProjectRunner(p, four.options(p), four.connections(), 4);
      List<NodeResult> results = parallel.run(null, null, recorder);
      assertThat(WideProject.outcomes(results)).isEqualTo(WideProject.outcomes(sequential));
      assertThat(WideProject.tables(four.connection(), results))
          .hasSize(1 + 24 + 16 + 1)
          .isEqualTo(WideProject.tables(one.connection(), sequential));
      assertThat(recorder.max.get()).isBetween(2, 4);
      assertThat(recorder.threads).hasSizeBetween(2, 4);
      assertThat(recorder.finished).hasSameSizeAs(results);
      assertThat(recorder.started).hasSameSizeAs(results);
      assertThat(recorder.running.get()).isZero();
      // again, over the existing tables (swaps, replaced views, incremental merges), twice
      for (int i = 0; i < 2; i++) {
        List<NodeResult> again =
            new ProjectRunner(p, four.options(p), four.connections(), 4).run(null, null);
        assertThat(WideProject.outcomes(again)).isEqualTo(WideProject.outcomes(sequential));
        assertThat(WideProject.tables(four.connection(), again))
            .isEqualTo(WideProject.tables(one.connection(), sequential));
      }
    }
  }

  @Test
  void
      a_failed_model_skips_only_its_downstream_and_an_error_test_skips_only_the_tested_models_children()
          throws Exception {
    DbtProject p = DbtProject.load(WideProject.failing(dir.resolve("branches")));
    try (Database one = database("one");
        Database four = database("four")) {
      var recorder = new Recorder();
      List<NodeResult> results =
          new ProjectRunner(p, four.options(p), four.connections(), 4).run(null, null, recorder);
      assertThat(byName(results, "bad").status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(byName(results, "bad").message()).startsWith("models/bad.sql:2: ");
      assertThat(byName(results, "bad2").status()).isEqualTo(NodeResult.Status.SKIPPED);
      assertThat(byName(results, "bad2").message()).isEqualTo("skipped: upstream bad failed");
      assertThat(byName(results, "bad3").message()).isEqualTo("skipped: upstream bad failed");
      for (String ok : List.of("a", "a2", "a3", "sibling", "m", "w", "w_child", "not_null_m_id")) {
        assertThat(byName(results, ok).status()).as(ok).isEqualTo(NodeResult.Status.SUCCESS);
      }
      NodeResult unique = byName(results, "unique_m_id");
      assertThat(unique.status()).isEqualTo(NodeResult.Status.ERROR);
      assertThat(unique.failures()).isEqualTo(1);
      assertThat(byName(results, "m_child").status()).isEqualTo(NodeResult.Status.SKIPPED);
      assertThat(byName(results, "m_child").message())
          .isEqualTo("skipped: test unique_m_id failed");
      NodeResult warn = byName(results, "not_null_w_id");
      assertThat(warn.status()).isEqualTo(NodeResult.Status.WARN);
      assertThat(warn.node().severity()).isEqualTo("warn");
      assertThat(warn.failures()).isEqualTo(1);
      // skipped nodes are reported too, never started
      assertThat(recorder.finished).hasSameSizeAs(results);
      assertThat(recorder.started).doesNotContain("model.branches.bad2", "model.branches.m_child");
      // the same outcome, in the same order, one node at a time
      List<NodeResult> sequential =
          new ProjectRunner(p, one.options(p), one.connection()).run(null, null);
      assertThat(WideProject.outcomes(results)).isEqualTo(WideProject.outcomes(sequential));
    }
  }

  @Test
  void the_jaffle_shop_at_four_threads_tells_what_each_node_wrote_and_read() throws Exception {
    DbtProject p = DbtProject.load(Projects.path("jaffle_shop"));
    try (Database db = database("db")) {
      String s = db.schema();
      List<NodeResult> results =
          new ProjectRunner(p, db.options(p), db.connections(), 4).run(null, null);
      assertThat(results).hasSize(3 + 5 + 20).allSatisfy(this::succeeded);
      NodeResult.Node customers = byName(results, "customers").node();
      assertThat(customers.materialization()).isEqualTo("table");
      assertThat(customers.relation()).isEqualTo(s + ".customers");
      assertThat(customers.reads())
          .containsExactlyInAnyOrder(s + ".stg_customers", s + ".stg_orders", s + ".stg_payments");
      assertThat(customers.severity()).isNull();
      assertThat(byName(results, "orders").node().reads())
          .containsExactlyInAnyOrder(s + ".stg_orders", s + ".stg_payments");
      NodeResult.Node seed = byName(results, "raw_orders").node();
      assertThat(seed.materialization()).isEqualTo("seed");
      assertThat(seed.relation()).isEqualTo(s + ".raw_orders");
      assertThat(seed.reads()).isEmpty();
      NodeResult test = byName(results, "unique_orders_order_id");
      assertThat(test.node().relation()).isNull();
      assertThat(test.node().reads()).containsExactly(s + ".orders");
      assertThat(test.node().severity()).isEqualTo("error");
      assertThat(test.failures()).isZero();
      assertThat(test.sql()).contains("\"" + s + "\".\"orders\"");
    }
  }

  @Test
  void cancel_stops_a_long_running_model_and_skips_what_had_not_run() throws Exception {
    write(dir, "dbt_project.yml", "name: slow\n");
    write(dir, "models/slow.sql", "{{ config(materialized='table') }}\n" + sleepingSelect() + "\n");
    write(dir, "models/after.sql", "select * from {{ ref('slow') }}\n");
    write(dir, "models/quick.sql", "select 1 as x\n");
    DbtProject p = DbtProject.load(dir);
    try (Database db = database("db")) {
      var runner = new ProjectRunner(p, db.options(p), db.connections(), 2);
      var recorder =
          new Recorder(
              0,
              n -> {
                if (n.name().equals("slow")) { // from a thread of its own (the common pool has one)
                  Thread.ofPlatform()
                      .start(() -> {
                        sleep(300);
                        runner.cancel();
                      });
                }
              });
      long start = System.nanoTime();
      List<NodeResult> results =
          CompletableFuture.supplyAsync(
                  () -> runner.run(null, null, recorder), r -> Thread.ofPlatform().start(r))
              .get(30, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      NodeResult slow = byName(results, "slow");
      assertThat(slow.status()).isEqualTo(NodeResult.Status.SKIPPED);
      assertThat(slow.message()).isEqualTo("cancelled");
      assertThat(slow.cancelled()).isTrue();
      assertThat(byName(results, "after").cancelled()).isTrue();
      assertThat(recorder.started).doesNotContain("model.slow.after");
      assertThat(
              JaffleShopDuckDbTest.rows(
                  db.connection(),
                  "select count(*) from information_schema.tables where table_schema = '"
                      + db.schema()
                      + "' and table_name = 'slow'"))
          .containsExactly("0");
      assertThat(temporaries(db.connection(), db.schema())).isEmpty();
      // a cancelled runner runs nothing more
      assertThat(runner.run(null, null)).allSatisfy(r -> assertThat(r.cancelled()).isTrue());
    }
  }

  /**
   * A cancel while an incremental model puts its new rows in place (they are built, as {@code
   * slow__weir_new}, and a delete+insert on a key every row shares runs for ever) leaves no
   * temporary table: the cleanup runs although the cancel refuses new statements.
   */
  @Test
  void a_cancel_after_an_incremental_model_built_its_new_rows_drops_them() throws Exception {
    write(dir, "dbt_project.yml", "name: slow\n");
    write(
        dir,
        "models/slow.sql",
        "{{ config(materialized='incremental', incremental_strategy='delete+insert',"
            + " unique_key='k') }}\nselect 1 as k, i from "
            + series(rowsToCancel())
            + "\n");
    DbtProject p = DbtProject.load(dir);
    try (Database db = database("db");
        Connection watch = db.connections().open()) {
      assertThat(new ProjectRunner(p, db.options(p), db.connection()).run(null, null))
          .singleElement()
          .extracting(NodeResult::status)
          .isEqualTo(NodeResult.Status.SUCCESS);
      var runner = new ProjectRunner(p, db.options(p), db.connections(), 2);
      List<NodeResult> results =
          cancelOnceBuilt(runner, () -> temporaries(watch, db.schema()), "slow__weir_new");
      assertThat(byName(results, "slow").cancelled()).isTrue();
      assertThat(temporaries(db.connection(), db.schema())).isEmpty();
      assertThat(
              JaffleShopDuckDbTest.rows(
                  db.connection(), "select count(*) from " + db.schema() + ".slow"))
          .containsExactly(String.valueOf(rowsToCancel()));
    }
  }

  private void succeeded(NodeResult r) {
    assertThat(r.status()).as(r.name() + ": " + r.message()).isEqualTo(NodeResult.Status.SUCCESS);
  }

  /**
   * Runs {@code runner} and cancels it once {@code listed} (the temporary relations of its schema)
   * holds {@code temporary}; the results, within 20 s.
   */
  static List<NodeResult> cancelOnceBuilt(
      ProjectRunner runner, Callable<List<String>> listed, String temporary) throws Exception {
    var run =
        CompletableFuture.supplyAsync(
            () -> runner.run(null, null), r -> Thread.ofPlatform().start(r));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listed.call().contains(temporary)) {
      assertThat(run).as("the run ended before building " + temporary).isNotDone();
      assertThat(System.nanoTime()).as(temporary + " within 10 s").isLessThan(deadline);
      sleep(20);
    }
    long start = System.nanoTime();
    runner.cancel();
    List<NodeResult> results = run.get(20, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    return results;
  }

  /** The relations of {@code schema} that have a temporary name ({@link Relations#isTemporary}). */
  static List<String> temporaries(Connection c, String schema) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "select table_name from information_schema.tables where table_schema = ?")) {
      ps.setString(1, schema);
      var out = new ArrayList<String>();
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          if (Relations.isTemporary(rs.getString(1))) {
            out.add(rs.getString(1));
          }
        }
      }
      return out;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static NodeResult byName(List<NodeResult> results, String name) {
    return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }
}
