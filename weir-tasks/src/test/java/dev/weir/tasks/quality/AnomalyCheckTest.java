package dev.weir.tasks.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.CheckRecord;
import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.tasks.file.FileReadTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The row-count anomaly check against a given history (the engine test runs real history). */
class AnomalyCheckTest {
  @TempDir Path dir;
  private TestContext ctx;

  @BeforeEach
  void stageHundredRows() throws Exception {
    var csv = new StringBuilder("id\n");
    for (int i = 0; i < 100; i++) {
      csv.append(i).append('\n');
    }
    Files.writeString(dir.resolve("rows.csv"), csv);
    ctx = new TestContext(dir);
    ctx.run("rows", new FileReadTask(), "path: rows.csv");
  }

  private TaskResult check(String anomaly) throws Exception {
    return ctx.run("check", new QualityCheckTask(), "dataset: rows\nchecks:\n" + anomaly);
  }

  @Test
  void a_drop_beyond_the_percentage_fails() {
    ctx.rowHistory("rows", List.of(1000L, 990L, 1010L, 1000L));
    assertThatThrownBy(() -> check("- anomaly: {metric: rowCount, maxChangePercent: 50}"))
        .hasMessageContaining(
            "  anomaly(rowCount, lookback=10, maxChangePercent=50): 100 rows against a mean of"
                + " 1000 over the last 4 successful runs (-90.0%, 127.3 standard deviations);"
                + " expected within 50%\n");
  }

  @Test
  void an_anomalous_row_count_with_warn_severity_warns_and_succeeds() throws Exception {
    ctx.rowHistory("rows", List.of(1000L, 990L, 1010L, 1000L));
    TaskResult result = check("- anomaly: {maxStdDevs: 3}\n  severity: warn");
    assertThat(result.outputs()).containsEntry("failed", 1);
    assertThat(ctx.log())
        .containsExactly(
            "WARN quality check anomaly(rowCount, lookback=10, maxStdDevs=3) on 'rows' failed:"
                + " 100 rows against a mean of 1000 over the last 4 successful runs (-90.0%,"
                + " 127.3 standard deviations); expected within 3 standard deviations");
    assertThat(ctx.checks())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.kind()).isEqualTo("anomaly");
          assertThat(r.observed()).isEqualTo(100.0);
          assertThat(r.severity()).isEqualTo("warn");
        });
  }

  @Test
  void a_count_within_bounds_passes() throws Exception {
    ctx.rowHistory("rows", List.of(90L, 110L, 100L, 95L));
    TaskResult result = check("- anomaly: {maxChangePercent: 20, maxStdDevs: 3}");
    assertThat(result.outputs()).containsEntry("failed", 0);
    assertThat(ctx.checks().getFirst().detail())
        .isEqualTo(
            "100 rows against a mean of 98.8 over the last 4 successful runs (+1.3%, 0.2"
                + " standard deviations)");
  }

  @Test
  void lookback_limits_the_runs_compared() throws Exception {
    ctx.rowHistory("rows", List.of(100L, 100L, 100L, 5000L, 5000L));
    TaskResult result = check("- anomaly: {lookback: 3, maxChangePercent: 10}");
    assertThat(result.outputs()).containsEntry("failed", 0);
  }

  @Test
  void too_little_history_passes_and_says_so() throws Exception {
    ctx.rowHistory("rows", List.of(1000L, 1000L));
    TaskResult result = check("- anomaly: {maxChangePercent: 10}");
    assertThat(result.outputs()).containsEntry("failed", 0);
    assertThat(ctx.checks())
        .extracting(CheckRecord::detail)
        .containsExactly(
            "100 rows; 2 successful runs to compare with, 3 needed, so the check passes until"
                + " there is more history");
  }

  @Test
  void min_history_sets_how_much_is_needed() throws Exception {
    ctx.rowHistory("rows", List.of(1000L, 1000L));
    assertThatThrownBy(() -> check("- anomaly: {maxChangePercent: 10, minHistory: 2}"))
        .hasMessageContaining("100 rows against a mean of 1000 over the last 2 successful runs");
  }

  @Test
  void any_change_from_a_constant_history_is_infinite_deviations() {
    ctx.rowHistory("rows", List.of(99L, 99L, 99L));
    assertThatThrownBy(() -> check("- anomaly: {maxStdDevs: 3}"))
        .hasMessageContaining(
            "100 rows against a mean of 99 over the last 3 successful runs (+1.0%, ∞ standard"
                + " deviations of a constant count); expected within 3 standard deviations");
  }
}
