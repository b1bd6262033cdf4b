package dev.weir.server.metrics;

import dev.weir.expr.Masker;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Masks label values of a scrape: a label holds names from flows and config, but a secret must not
 * show even if one got there, nor one the masker learned after the series was made (a webhook key,
 * the SMTP password). A scrape whose labels hold no secret (all of them, normally) is served as it
 * is; otherwise the families that do are copied with masked labels. Weir's families are counters,
 * gauges, classic histograms and an info; other kinds (the JVM's summaries) are left as they are.
 * Two series that masking makes alike are served as the first of them: a family may not repeat a
 * label set, and a secret in a flow's names is a mistake to fix, not a figure to add up.
 */
final class MaskedSnapshots {
  private MaskedSnapshots() {}

  static MetricSnapshots of(MetricSnapshots scrape, Masker masker) {
    List<MetricSnapshot> out = null;
    for (int i = 0; i < scrape.size(); i++) {
      MetricSnapshot s = scrape.get(i);
      MetricSnapshot masked = needsMask(s, masker) ? mask(s, masker) : s;
      if (masked != s && out == null) {
        out = new ArrayList<>(scrape.size());
        for (int j = 0; j < i; j++) {
          out.add(scrape.get(j));
        }
      }
      if (out != null) {
        out.add(masked);
      }
    }
    return out == null ? scrape : new MetricSnapshots(out);
  }

  private static boolean needsMask(MetricSnapshot s, Masker masker) {
    for (DataPointSnapshot p : s.getDataPoints()) {
      Labels l = p.getLabels();
      for (int i = 0; i < l.size(); i++) {
        String v = l.getValue(i);
        if (!v.equals(masker.mask(v))) {
          return true;
        }
      }
    }
    return false;
  }

  private static MetricSnapshot mask(MetricSnapshot s, Masker m) {
    return switch (s) {
      case CounterSnapshot c ->
          new CounterSnapshot(
              c.getMetadata(),
              each(
                  c.getDataPoints(),
                  m,
                  (p, l) ->
                      new CounterDataPointSnapshot(p.getValue(), l, p.getExemplar(), created(p))));
      case GaugeSnapshot g ->
          new GaugeSnapshot(
              g.getMetadata(),
              each(
                  g.getDataPoints(),
                  m,
                  (p, l) -> new GaugeDataPointSnapshot(p.getValue(), l, p.getExemplar())));
      case HistogramSnapshot h
          when h.getDataPoints().stream().noneMatch(p -> p.hasNativeHistogramData()) ->
          new HistogramSnapshot(
              h.isGaugeHistogram(),
              h.getMetadata(),
              each(
                  h.getDataPoints(),
                  m,
                  (p, l) ->
                      new HistogramDataPointSnapshot(
                          p.getClassicBuckets(), p.getSum(), l, p.getExemplars(), created(p))));
      case InfoSnapshot info ->
          new InfoSnapshot(
              info.getMetadata(),
              each(info.getDataPoints(), m, (p, l) -> new InfoDataPointSnapshot(l)));
      default -> s;
    };
  }

  private static <P extends DataPointSnapshot> List<P> each(
      List<P> points, Masker masker, BiFunction<P, Labels, P> copy) {
    var out = new ArrayList<P>(points.size());
    var seen = new HashSet<Labels>();
    for (P p : points) {
      Labels l = masked(p.getLabels(), masker);
      if (seen.add(l)) {
        out.add(copy.apply(p, l));
      }
    }
    return out;
  }

  private static Labels masked(Labels l, Masker masker) {
    String[] names = new String[l.size()];
    String[] values = new String[l.size()];
    for (int i = 0; i < l.size(); i++) {
      names[i] = l.getName(i);
      values[i] = masker.mask(l.getValue(i));
    }
    return Labels.of(names, values);
  }

  private static long created(DataPointSnapshot p) {
    return p.hasCreatedTimestamp() ? p.getCreatedTimestampMillis() : 0L;
  }
}
