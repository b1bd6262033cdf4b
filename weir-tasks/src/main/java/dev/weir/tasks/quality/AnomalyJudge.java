package dev.weir.tasks.quality;

import static dev.weir.tasks.quality.Anomaly.number;

import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Judges this run's row count against the dataset's row counts in earlier successful runs: their
 * mean, the change from it in percent and in (population) standard deviations.
 */
final class AnomalyJudge {
  private final IntFunction<List<Long>> history;

  /**
   * @param history the dataset's row counts in up to N earlier successful runs, newest first
   */
  AnomalyJudge(IntFunction<List<Long>> history) {
    this.history = history;
  }

  CheckResult judge(Check check, long rows, Severity severity) {
    Anomaly a = check.anomaly();
    List<Long> past = history.apply(a.runs());
    String counted = rows + (rows == 1 ? " row" : " rows");
    if (past.size() < a.needed()) {
      return result(
          check,
          true,
          rows,
          counted
              + "; "
              + runs(past.size())
              + " to compare with, "
              + a.needed()
              + " needed, so the check passes until there is more history",
          severity);
    }
    double mean = past.stream().mapToLong(Long::longValue).average().orElse(0);
    double variance = past.stream().mapToDouble(n -> (n - mean) * (n - mean)).sum() / past.size();
    double sd = Math.sqrt(variance);
    double diff = rows - mean;
    double percent = mean == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / mean * 100;
    double devs = sd == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.abs(diff) / sd;
    boolean tooFarPercent =
        a.maxChangePercent() != null && Math.abs(percent) > a.maxChangePercent();
    boolean tooFarDevs = a.maxStdDevs() != null && devs > a.maxStdDevs();
    String detail =
        counted
            + " against a mean of "
            + number(mean)
            + " over the last "
            + runs(past.size())
            + " ("
            + signed(percent)
            + "%, "
            + (Double.isInfinite(devs) ? "∞" : String.format(Locale.ROOT, "%.1f", devs))
            + " standard deviations"
            + (sd == 0 ? " of a constant count" : "")
            + ")";
    if (tooFarPercent || tooFarDevs) {
      detail +=
          "; expected within "
              + (tooFarPercent ? number(a.maxChangePercent()) + "%" : "")
              + (tooFarPercent && tooFarDevs ? " and " : "")
              + (tooFarDevs ? number(a.maxStdDevs()) + " standard deviations" : "");
    }
    return result(check, !(tooFarPercent || tooFarDevs), rows, detail, severity);
  }

  private static String runs(int n) {
    return n == 0 ? "no successful runs" : n == 1 ? "1 successful run" : n + " successful runs";
  }

  private static String signed(double percent) {
    if (Double.isInfinite(percent)) {
      return "+∞";
    }
    return (percent >= 0 ? "+" : "") + String.format(Locale.ROOT, "%.1f", percent);
  }

  private static CheckResult result(
      Check check, boolean passed, long rows, String detail, Severity severity) {
    return new CheckResult(
        check.label(), check.kind(), passed, 0, (double) rows, detail, List.of(), severity);
  }
}
