package dev.weir.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.CheckRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The row-count chart reads the anomaly check's baseline back from what the check wrote. */
class TrendChartTest {
  static final String ANOMALY = "anomaly(rowCount, lookback=10, maxChangePercent=50)";
  static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");

  static CheckRecord check(int i, String kind, String name, double rows, String detail) {
    boolean passed = detail == null || !detail.contains("expected within");
    return new CheckRecord(
        "r" + i,
        "check",
        1,
        0,
        "shop",
        "orders",
        "orders",
        name,
        kind,
        passed,
        "warn",
        0,
        rows,
        detail,
        T0.plusSeconds(60L * i));
  }

  static String judged(long rows, String mean, boolean warn) {
    return rows
        + " rows against a mean of "
        + mean
        + " over the last 3 successful runs (+0.0%, 0.0 standard deviations)"
        + (warn ? "; expected within 50%" : "");
  }

  @Test
  void the_baseline_and_its_band_follow_the_judged_runs_and_the_dots_say_how_each_ended() {
    TrendChart chart =
        TrendChart.of(
            List.of(
                check(0, "anomaly", ANOMALY, 1000, "1000 rows; no successful runs to compare"),
                check(1, "anomaly", ANOMALY, 1000, judged(1000, "1000", false)),
                check(2, "anomaly", ANOMALY, 400, judged(400, "1000", true))));
    assertThat(chart.points()).isEqualTo(3);
    assertThat(chart.anomaly()).isTrue();
    assertThat(chart.lines()).hasSize(1);
    assertThat(chart.lines().get(0).split(" ")).hasSize(2);
    assertThat(chart.bands()).hasSize(1);
    assertThat(chart.bands().get(0).split(" ")).hasSize(4);
    assertThat(chart.dots())
        .extracting(TrendChart.Dot::result)
        .containsExactly("pass", "pass", "warn");
    assertThat(chart.dots()).extracting(TrendChart.Dot::count).containsExactly(1000L, 1000L, 400L);
    // the band reaches 500 to 1,500 rows, the lowest count is 400
    assertThat(chart.min()).isEqualTo("400");
    assertThat(chart.max()).isEqualTo("1,500");
    assertThat(chart.observed().split(" ")).hasSize(3);
  }

  @Test
  void a_run_without_a_baseline_breaks_the_line_and_a_row_count_check_draws_none() {
    TrendChart broken =
        TrendChart.of(
            List.of(
                check(0, "anomaly", ANOMALY, 1000, judged(1000, "1000", false)),
                check(1, "anomaly", ANOMALY, 990, judged(990, "1000", false)),
                check(2, "anomaly", ANOMALY, 5, "5 rows; 1 successful run to compare with"),
                check(3, "anomaly", ANOMALY, 1000, judged(1000, "1001.5", false)),
                check(4, "anomaly", ANOMALY, 1000, judged(1000, "1001.5", false))));
    assertThat(broken.lines()).hasSize(2);
    assertThat(broken.bands()).hasSize(2);

    TrendChart counts =
        TrendChart.of(
            List.of(
                check(0, "rowCount", "rowCount(min=1)", 10, judged(10, "10", false)),
                check(1, "rowCount", "rowCount(min=1)", 12, "12 rows")));
    assertThat(counts.anomaly()).isFalse();
    assertThat(counts.lines()).isEmpty();
    assertThat(counts.bands()).isEmpty();

    assertThat(TrendChart.of(List.of(check(0, "rowCount", "rowCount(min=1)", 3, "3 rows"))))
        .isNull();
  }
}
