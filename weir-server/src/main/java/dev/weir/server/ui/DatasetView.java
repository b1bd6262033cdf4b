package dev.weir.server.ui;

import dev.weir.expr.Masker;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.CheckRecord;
import dev.weir.store.DatasetWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One dataset of a flow (named by the task that stages it) as the datasets page shows it: when it
 * was last written, each of its checks as a strip of results over time, and its row-count trend.
 *
 * @param anchor the id of its section, for links that can be shared
 * @param worst the worst latest result of its checks: fail, warn, pass, or null without checks
 */
record DatasetView(
    String anchor,
    String flow,
    String namespace,
    String flowId,
    String dataset,
    Instant lastWrite,
    String lastWriteRun,
    Duration age,
    List<CheckLine> checks,
    TrendChart trend,
    String worst) {

  /** The most results a check's strip shows, newest last. */
  static final int STRIP = 30;

  /**
   * A check's latest results, oldest first.
   *
   * @param passes of the results shown
   */
  record CheckLine(
      String name, String kind, List<Mark> marks, String latest, int passes, int total) {}

  /** One result; {@code detail} is masked (it may quote data). */
  record Mark(String result, Instant at, String runId, int attempt, String detail) {}

  /** pass, warn (failed with severity warn) or fail. */
  static String result(CheckRecord c) {
    return c.passed() ? "pass" : "warn".equals(c.severity()) ? "warn" : "fail";
  }

  /**
   * @param newestFirst the dataset's check results as the store answers them
   * @param write its last successful write, or null
   */
  static DatasetView of(
      FlowKey flow,
      String dataset,
      List<CheckRecord> newestFirst,
      DatasetWrite write,
      Instant now,
      Masker masker) {
    var byName = new LinkedHashMap<String, List<CheckRecord>>();
    var oldestFirst = new ArrayList<>(newestFirst);
    oldestFirst.sort(
        Comparator.comparing(CheckRecord::checkedAt)
            .thenComparing(CheckRecord::runId)
            .thenComparingInt(CheckRecord::attempt)
            .thenComparingInt(CheckRecord::checkNo));
    for (CheckRecord c : oldestFirst) {
      byName.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(c);
    }
    var lines = new ArrayList<CheckLine>();
    String worst = null;
    for (Map.Entry<String, List<CheckRecord>> e : byName.entrySet()) {
      List<CheckRecord> all = e.getValue();
      List<CheckRecord> shown = all.subList(Math.max(0, all.size() - STRIP), all.size());
      var marks = new ArrayList<Mark>();
      int passes = 0;
      for (CheckRecord c : shown) {
        marks.add(
            new Mark(
                result(c),
                c.checkedAt(),
                c.runId(),
                c.attempt(),
                c.detail() == null ? null : masker.mask(c.detail())));
        passes += c.passed() ? 1 : 0;
      }
      String latest = marks.get(marks.size() - 1).result();
      worst = worse(worst, latest);
      lines.add(new CheckLine(e.getKey(), all.get(0).kind(), marks, latest, passes, marks.size()));
    }
    lines.sort(Comparator.comparing(CheckLine::name));
    return new DatasetView(
        "ds-" + slug(flow.namespace()) + "-" + slug(flow.id()) + "-" + slug(dataset),
        flow.toString(),
        flow.namespace(),
        flow.id(),
        dataset,
        write == null ? null : write.writtenAt(),
        write == null ? null : write.runId(),
        write == null ? null : Duration.between(write.writtenAt(), now),
        lines,
        trend(byName),
        worst);
  }

  /** The anomaly check with the most results; a rowCount check when there is none. */
  private static TrendChart trend(Map<String, List<CheckRecord>> byName) {
    for (String kind : List.of("anomaly", "rowCount")) {
      var best =
          byName.values().stream()
              .filter(l -> kind.equals(l.get(0).kind()))
              .max(Comparator.comparingInt(List::size));
      if (best.isPresent()) {
        TrendChart chart = TrendChart.of(best.get());
        if (chart != null) {
          return chart;
        }
      }
    }
    return null;
  }

  private static String worse(String a, String b) {
    List<String> order = List.of("pass", "warn", "fail");
    if (a == null) {
      return b;
    }
    return order.indexOf(b) > order.indexOf(a) ? b : a;
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "_");
  }
}
