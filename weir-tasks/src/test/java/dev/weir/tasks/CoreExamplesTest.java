package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.tasks.Examples.Run;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of the core task types: noop, log, shell, python, forEach and subflow. */
class CoreExamplesTest {
  @TempDir Path dir;
  private Examples examples;

  @BeforeEach
  void copyExamples() throws Exception {
    examples = Examples.copiedTo(dir);
  }

  @Test
  void noop_example() throws Exception {
    Run run = examples.run("noop.yaml");
    assertThat(run.context().log())
        .containsExactly(
            "INFO left branch done", "INFO right branch done", "INFO both branches finished");
  }

  @Test
  void log_example() throws Exception {
    assertThat(examples.run("log.yaml").context().log())
        .containsExactly(
            "INFO Starting the nightly load",
            "WARN The source system is in maintenance mode until 06:00");
  }

  @Test
  void shell_example() throws Exception {
    assertThat(examples.run("shell.yaml").context().log())
        .first()
        .isEqualTo("INFO hello from data");
  }

  @Test
  void python_example_totals_customers_with_the_standard_library() throws Exception {
    dev.weir.tasks.python.PythonInstalled.assume();
    Run run = examples.run("python.yaml");
    assertThat(run.results().get("customer_totals").outputs()).containsEntry("customers", "4");
    var top = run.results().get("top_customers").dataset();
    try (var c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT string_agg(customer_id::VARCHAR, ',' ORDER BY amount DESC) FROM"
                        + " read_parquet('"
                        + top.path()
                        + "')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("11,13,10");
    }
  }

  /** A group runs in the engine, not task by task: this example runs as `weir run` runs it. */
  @Test
  void forEach_example() throws Exception {
    try (var fx = new dev.weir.testing.EngineFixture(dir)) {
      Path file = dir.resolve("forEach.yaml");
      var run =
          fx.engine
              .start(fx.parse(file), file, Map.of(), "manual")
              .await(java.time.Duration.ofSeconds(60));
      assertThat(run.state())
          .as(String.valueOf(run.error()))
          .isEqualTo(dev.weir.store.RunState.SUCCEEDED);
      var tasks = fx.latest(run.id());
      assertThat(tasks.get("per_day[2024-03-02]/day_orders").rows()).isEqualTo(2);
      assertThat(fx.logs(run.id()))
          .extracting(dev.weir.store.LogLine::message)
          .contains("2024-03-01: 2 orders", "2024-03-04: 3 orders", "5 days done");
    }
  }

  /**
   * A subflow needs an engine and a store to start its child in: this example runs on a real one,
   * its child flow in examples/subflows/.
   */
  @Test
  void subflow_example_runs_its_child_and_reads_its_outputs() throws Exception {
    try (var fx = new dev.weir.testing.EngineFixture(dir)) {
      Path file = dir.resolve("subflow.yaml");
      var run =
          fx.engine
              .start(fx.parse(file), file, Map.of(), "manual")
              .await(java.time.Duration.ofSeconds(60));
      assertThat(run.state()).as(run.error()).isEqualTo(dev.weir.store.RunState.SUCCEEDED);
      String child = fx.store.children(run.id(), "read").get(0).runId();
      assertThat(fx.logs(child)).anyMatch(l -> l.message().equals("read the orders of 2024-03-01"));
      assertThat(fx.logs(run.id()))
          .anyMatch(
              l -> l.message().equals("child run " + child + " ended SUCCEEDED with 11 orders"));
    }
  }
}
