package dev.weir.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.tasks.Examples.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of the task types on local files and DuckDB: file.read, file.write, sql.transform,
 * sql.models, quality.check, wait.sql and wait.file.
 */
class FileSqlExamplesTest {
  @TempDir Path dir;
  private Examples examples;

  @BeforeEach
  void copyExamples() throws Exception {
    examples =
        Examples.copiedTo(
            dir,
            (ctx, example) -> {
              if (example.startsWith("sql.models")) {
                ctx.connection("lake_duck", "jdbc:duckdb:out/lake.duckdb");
              }
            });
  }

  @Test
  void file_read_example() throws Exception {
    Run run = examples.run("file.read.yaml");
    assertThat(run.results().get("orders").outputs())
        .containsEntry("rows", 11L)
        .containsEntry("rejected", 1L);
  }

  @Test
  void file_write_example() throws Exception {
    examples.run("file.write.yaml");
    assertThat(Files.readAllLines(dir.resolve("out/shipped_orders.csv")))
        .hasSize(7)
        .startsWith("order_id,customer_id,amount", "2,11,12.50");
  }

  @Test
  void sql_transform_example() throws Exception {
    Run run = examples.run("sql.transform.yaml");
    assertThat(run.results().get("revenue_by_country").rows()).isEqualTo(4);
  }

  @Test
  void sql_models_example_builds_the_selected_models_and_runs_their_tests() throws Exception {
    Run run = examples.run("sql.models.yaml");
    assertThat(run.results().get("models").outputs())
        .containsEntry("models", 5L) // both marts and the three staging views they read
        .containsEntry("seeds", 3L)
        .containsEntry("failed", 0L);
    assertThat(run.context().checks()).isNotEmpty().allMatch(c -> c.passed());
    try (var c =
            java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("out/lake.duckdb"));
        var rs = c.createStatement().executeQuery("select count(*) from analytics.customers")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(10);
    }
  }

  @Test
  void quality_check_example() throws Exception {
    Run run = examples.run("quality.check.yaml");
    assertThat(run.results().get("check_orders").outputs()).containsEntry("failed", 2);
    assertThat(run.context().log())
        .filteredOn(line -> line.startsWith("WARN quality check"))
        .satisfiesExactly(
            freshness ->
                assertThat(freshness)
                    .startsWith(
                        "WARN quality check freshness(ordered_on, maxAge=2d) on 'orders' failed:"
                            + " newest ordered_on is 2024-03-05T00:00:00Z"),
            expression ->
                assertThat(expression).startsWith("WARN quality check expression(ordered_on"));
    assertThat(run.context().checks())
        .filteredOn(c -> c.kind().equals("anomaly"))
        .singleElement()
        .satisfies(c -> assertThat(c.detail()).contains("no successful runs to compare with"));
  }

  @Test
  void wait_sql_example_finds_the_days_load() throws Exception {
    Run run = examples.run("wait.sql.yaml");
    assertThat(((Number) run.results().get("orders_loaded").outputs().get("value")).longValue())
        .isEqualTo(1204);
  }

  @Test
  void wait_file_example_finds_the_file_at_once() throws Exception {
    Run run = examples.run("wait.file.yaml");
    assertThat(run.results().get("orders_arrived").outputs())
        .containsEntry("count", 1)
        .containsEntry("files", List.of(dir.resolve("data/orders.csv").toString()));
  }
}
