package dev.weir.tasks.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This run's value of {@code metric} (only {@code rowCount} so far) against the same dataset's in
 * the last {@code lookback} successful runs of the flow: it fails when it is further from their
 * mean than {@code maxChangePercent} percent or {@code maxStdDevs} standard deviations. With fewer
 * than {@code minHistory} earlier runs it passes and says so.
 */
public record Anomaly(
    String metric,
    Integer lookback,
    Double maxChangePercent,
    Double maxStdDevs,
    Integer minHistory) {
  static final String ROW_COUNT = "rowCount";
  static final int DEFAULT_LOOKBACK = 10;
  static final int DEFAULT_MIN_HISTORY = 3;

  int runs() {
    return lookback == null ? DEFAULT_LOOKBACK : lookback;
  }

  int needed() {
    return minHistory == null ? Math.min(DEFAULT_MIN_HISTORY, runs()) : minHistory;
  }

  List<String> problems(String at) {
    var problems = new ArrayList<String>();
    if (metric != null && !metric.equals(ROW_COUNT)) {
      problems.add(
          at + ".metric '" + metric + "' is not known; the only metric is rowCount (the default)");
    }
    if (maxChangePercent == null && maxStdDevs == null) {
      problems.add(
          at
              + " needs maxChangePercent, maxStdDevs or both, e.g. `anomaly: {metric: rowCount,"
              + " lookback: 10, maxChangePercent: 50}`");
    }
    if (maxChangePercent != null && maxChangePercent <= 0) {
      problems.add(at + ".maxChangePercent must be above 0, got " + maxChangePercent);
    }
    if (maxStdDevs != null && maxStdDevs <= 0) {
      problems.add(at + ".maxStdDevs must be above 0, got " + maxStdDevs);
    }
    if (lookback != null && (lookback < 1 || lookback > 1000)) {
      problems.add(at + ".lookback must be 1 to 1000 runs, got " + lookback);
    }
    if (minHistory != null && (minHistory < 1 || minHistory > runs())) {
      problems.add(
          at
              + ".minHistory must be 1 to lookback ("
              + runs()
              + "), got "
              + minHistory
              + "; e.g. `minHistory: 3`");
    }
    return problems;
  }

  String label() {
    var parts = new ArrayList<String>();
    parts.add(ROW_COUNT);
    parts.add("lookback=" + runs());
    if (maxChangePercent != null) parts.add("maxChangePercent=" + number(maxChangePercent));
    if (maxStdDevs != null) parts.add("maxStdDevs=" + number(maxStdDevs));
    return "anomaly(" + String.join(", ", parts) + ")";
  }

  static String number(double d) {
    return d == Math.rint(d) && !Double.isInfinite(d)
        ? Long.toString((long) d)
        : String.format(Locale.ROOT, "%.1f", d);
  }
}
