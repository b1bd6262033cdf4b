package dev.weir.server.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram of seconds by label values, with fixed buckets. Observing takes no lock: one adder
 * per bucket, summed into Prometheus' cumulative buckets only when scraped.
 */
final class HistogramFamily {
  private final String name;
  private final String help;
  private final List<String> labels;
  private final double[] bounds;
  private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

  private static final class Series {
    final LongAdder[] buckets; // observations in (bound[i-1], bound[i]]; the last is +Inf
    final DoubleAdder sum = new DoubleAdder();

    Series(int n) {
      buckets = new LongAdder[n + 1];
      for (int i = 0; i <= n; i++) {
        buckets[i] = new LongAdder();
      }
    }
  }

  HistogramFamily(String name, String help, double[] bounds, String... labels) {
    this.name = name;
    this.help = help;
    this.bounds = bounds.clone();
    this.labels = List.of(labels);
  }

  void observe(double seconds, String... values) {
    List<String> key = List.of(values);
    Series s = series.get(key);
    if (s == null) {
      s = series.computeIfAbsent(key, k -> new Series(bounds.length));
    }
    int i = 0;
    while (i < bounds.length && seconds > bounds[i]) {
      i++;
    }
    s.buckets[i].increment();
    s.sum.add(seconds);
  }

  /** Observations so far for these label values. */
  long count(String... values) {
    Series s = series.get(List.of(values));
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (LongAdder b : s.buckets) {
      n += b.sum();
    }
    return n;
  }

  void write(PromText out) {
    out.header(name, "histogram", help);
    var sorted = new TreeMap<String, Map.Entry<List<String>, Series>>();
    series.entrySet().forEach(e -> sorted.put(String.join("\u0000", e.getKey()), e));
    for (var e : sorted.values()) {
      Series s = e.getValue();
      long cumulative = 0;
      for (int i = 0; i <= bounds.length; i++) {
        cumulative += s.buckets[i].sum();
        String le = i < bounds.length ? PromText.number(bounds[i]) : "+Inf";
        out.sample(name + "_bucket", labels, e.getKey(), "le", le, cumulative);
      }
      out.sample(name + "_sum", labels, e.getKey(), s.sum.sum());
      out.sample(name + "_count", labels, e.getKey(), cumulative);
    }
  }
}
