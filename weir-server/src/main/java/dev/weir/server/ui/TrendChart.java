package dev.weir.server.ui;

import dev.weir.store.CheckRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset's row counts over its last runs as a small SVG line chart, drawn on the server: the
 * count each check observed, and where an {@code anomaly} check judged it, the baseline it judged
 * against (the mean of the earlier successful runs) and the band {@code maxChangePercent} allows
 * around it. The anomaly check stores its mean only in its detail text (written by the check's own
 * code, {@code AnomalyJudge}), so the chart reads it back from there; a point whose check had too
 * little history has no baseline.
 *
 * @param lines the baseline, one polyline per stretch of points that have one
 * @param bands the allowed band, one polygon per such stretch
 */
record TrendChart(
    String observed,
    List<String> lines,
    List<String> bands,
    List<Dot> dots,
    String min,
    String max,
    String check,
    boolean anomaly,
    int points) {

  static final int WIDTH = 320;
  static final int HEIGHT = 90;
  static final int PAD = 6;

  /** The most runs a chart shows, newest last. */
  static final int RUNS = 30;

  private static final Pattern MEAN = Pattern.compile("against a mean of (-?[0-9]+(?:\\.[0-9]+)?)");
  private static final Pattern PERCENT = Pattern.compile("maxChangePercent=([0-9]+(?:\\.[0-9]+)?)");

  /** One run's count; {@code result} is pass, warn or fail. */
  record Dot(double x, double y, String result, Instant at, String runId, long count) {}

  private record Point(CheckRecord check, double value, Double mean, Double low, Double high) {}

  /**
   * The chart of one check's results, oldest first, or null when fewer than two observed a count.
   *
   * @param results results of one check of kind {@code anomaly} or {@code rowCount}
   */
  static TrendChart of(List<CheckRecord> results) {
    var points = new ArrayList<Point>();
    for (CheckRecord c : results) {
      if (c.observed() == null) {
        continue;
      }
      Double mean = number(MEAN, c.detail());
      Double pct = "anomaly".equals(c.kind()) ? number(PERCENT, c.name()) : null;
      Double low = mean != null && pct != null ? mean * (1 - pct / 100) : null;
      Double high = mean != null && pct != null ? mean * (1 + pct / 100) : null;
      points.add(new Point(c, c.observed(), "anomaly".equals(c.kind()) ? mean : null, low, high));
    }
    if (points.size() < 2) {
      return null; // one count is no trend
    }
    List<Point> shown = points.subList(Math.max(0, points.size() - RUNS), points.size());
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (Point p : shown) {
      for (Double v : new Double[] {p.value(), p.mean(), p.low(), p.high()}) {
        if (v != null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (hi - lo < 1) {
      lo -= 1;
      hi += 1;
    }
    double top = hi;
    double bottom = Math.max(0, lo);
    var scale = new Scale(shown.size(), bottom, top);
    var observed = new StringBuilder();
    var dots = new ArrayList<Dot>();
    var lines = new ArrayList<String>();
    var bands = new ArrayList<String>();
    var line = new StringBuilder();
    var upper = new ArrayList<String>();
    var lower = new ArrayList<String>();
    for (int i = 0; i < shown.size(); i++) {
      Point p = shown.get(i);
      double x = scale.x(i);
      observed.append(fmt(x)).append(',').append(fmt(scale.y(p.value()))).append(' ');
      dots.add(
          new Dot(
              x,
              scale.y(p.value()),
              DatasetView.result(p.check()),
              p.check().checkedAt(),
              p.check().runId(),
              Math.round(p.value())));
      if (p.mean() != null) {
        line.append(fmt(x)).append(',').append(fmt(scale.y(p.mean()))).append(' ');
        if (p.low() != null) {
          upper.add(fmt(x) + "," + fmt(scale.y(p.high())));
          lower.add(0, fmt(x) + "," + fmt(scale.y(p.low())));
        }
      } else {
        flush(line, upper, lower, lines, bands);
      }
    }
    flush(line, upper, lower, lines, bands);
    boolean anomaly = shown.stream().anyMatch(p -> "anomaly".equals(p.check().kind()));
    return new TrendChart(
        observed.toString().strip(),
        lines,
        bands,
        dots,
        label(bottom),
        label(top),
        shown.get(0).check().name(),
        anomaly,
        shown.size());
  }

  private static void flush(
      StringBuilder line,
      List<String> upper,
      List<String> lower,
      List<String> lines,
      List<String> bands) {
    if (!line.isEmpty()) {
      lines.add(line.toString().strip());
      line.setLength(0);
    }
    if (!upper.isEmpty()) {
      var all = new ArrayList<>(upper);
      all.addAll(lower);
      bands.add(String.join(" ", all));
      upper.clear();
      lower.clear();
    }
  }

  private record Scale(int n, double bottom, double top) {
    double x(int i) {
      return n == 1 ? WIDTH / 2.0 : PAD + (WIDTH - 2.0 * PAD) * i / (n - 1);
    }

    double y(double v) {
      return PAD + (HEIGHT - 2.0 * PAD) * (top - v) / (top - bottom);
    }
  }

  private static Double number(Pattern p, String text) {
    if (text == null) {
      return null;
    }
    Matcher m = p.matcher(text);
    return m.find() ? Double.valueOf(m.group(1)) : null;
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  private static String label(double v) {
    return String.format(Locale.ROOT, "%,d", Math.round(v));
  }
}
