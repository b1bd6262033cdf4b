package dev.weir.tasks.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.RunListener;
import dev.weir.store.CheckRecord;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.testing.EngineFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flow run several times through the real engine and store: its row counts become the history the
 * anomaly check compares with, and every check result is stored with the run.
 */
abstract class AnomalyFlowContract {
  private static final String FLOW =
      """
      id: orders_daily
      namespace: shop
      inputs:
        - {id: rows, type: int}
      tasks:
        - id: orders
          type: sql.transform
          sql: SELECT range AS order_id FROM range({{ inputs.rows }})
        - id: check_orders
          type: quality.check
          dataset: orders
          checks:
            - rowCount: {min: 1}
            - anomaly: {metric: rowCount, lookback: 10, maxChangePercent: 50, maxStdDevs: 3}
              severity: %s
      """;

  @TempDir Path dir;
  private EngineFixture fx;

  abstract StateStore open(Path dir);

  @BeforeEach
  void start() {
    fx = new EngineFixture(dir, open(dir), Map.of(), RunListener.NONE);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private RunRecord run(String severity, int rows) {
    return fx.run(FLOW.formatted(severity), Map.of("rows", Integer.toString(rows)));
  }

  private CheckRecord anomaly(RunRecord run) {
    return fx.store.checks(run.id()).stream()
        .filter(c -> c.kind().equals("anomaly"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void an_anomalous_row_count_warns_and_the_run_succeeds() {
    for (int rows : List.of(1000, 1010, 990, 1005)) {
      assertThat(run("warn", rows).state()).isEqualTo(RunState.SUCCEEDED);
    }
    RunRecord low = run("warn", 100);
    assertThat(low.state()).isEqualTo(RunState.SUCCEEDED);
    CheckRecord result = anomaly(low);
    assertThat(result.passed()).isFalse();
    assertThat(result.severity()).isEqualTo("warn");
    assertThat(result.observed()).isEqualTo(100.0);
    assertThat(result.dataset()).isEqualTo("orders");
    assertThat(result.taskId()).isEqualTo("check_orders");
    assertThat(result.detail())
        .startsWith("100 rows against a mean of 1001.3 over the last 4 successful runs (-90.0%,")
        .endsWith("; expected within 50% and 3 standard deviations");
    assertThat(fx.logs(low.id()))
        .anySatisfy(l -> {
          assertThat(l.level()).isEqualTo("WARN");
          assertThat(l.message()).startsWith("quality check anomaly(rowCount, lookback=10,");
        });
    assertThat(fx.store.checkHistory("shop", "orders_daily", "orders", 100))
        .hasSize(10)
        .first()
        .satisfies(c -> assertThat(c.runId()).isEqualTo(low.id()));
  }

  @Test
  void an_anomalous_row_count_with_error_severity_fails_the_run_and_stays_out_of_history() {
    for (int rows : List.of(1000, 1010, 990)) {
      assertThat(run("error", rows).state()).isEqualTo(RunState.SUCCEEDED);
    }
    RunRecord low = run("error", 100);
    assertThat(low.state()).isEqualTo(RunState.FAILED);
    assertThat(low.error()).contains("anomaly(rowCount, lookback=10,");
    assertThat(anomaly(low).passed()).isFalse();
    // the failed run's 100 rows are not history: the next normal run compares with 3 runs
    RunRecord next = run("error", 1000);
    assertThat(next.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(anomaly(next).detail())
        .startsWith("1000 rows against a mean of 1000 over the last 3 successful runs (+0.0%,");
  }

  @Test
  void the_first_runs_pass_for_want_of_history() {
    RunRecord first = run("error", 1000);
    assertThat(first.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(anomaly(first).passed()).isTrue();
    assertThat(anomaly(first).detail())
        .isEqualTo(
            "1000 rows; no successful runs to compare with, 3 needed, so the check passes until"
                + " there is more history");
    RunRecord second = run("error", 10);
    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(anomaly(second).detail()).startsWith("10 rows; 1 successful run to compare with");
  }
}
