package dev.weir.server.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A histogram of seconds by label values, with fixed buckets. Observing takes no lock: one atomic
 * increment of its bucket, summed into Prometheus' cumulative buckets only when scraped.
 */
final class HistogramFamily {
  private final String name;
  private final String help;
  private final List<String> labels;
  private final double[] bounds;
  private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

  // one array for the buckets (not an adder each): a server may hold a series per task of every
  // flow, and a task's series is rarely updated from two threads at once
  static final class Series {
    final AtomicLongArray buckets; // observations in (bound[i-1], bound[i]]; the last is +Inf
    final DoubleAdder sum = new DoubleAdder();

    Series(int n) {
      buckets = new AtomicLongArray(n + 1);
    }
  }

  HistogramFamily(String name, String help, double[] bounds, String... labels) {
    this.name = name;
    this.help = help;
    this.bounds = bounds.clone();
    this.labels = List.of(labels);
  }

  void observe(double seconds, String... values) {
    observe(series(values), seconds);
  }

  /** The series of these label values, made on first use; callers may keep it and observe it. */
  Series series(String... values) {
    List<String> key = List.of(values);
    Series s = series.get(key);
    return s != null ? s : series.computeIfAbsent(key, k -> new Series(bounds.length));
  }

  void observe(Series s, double seconds) {
    int i = 0;
    while (i < bounds.length && seconds > bounds[i]) {
      i++;
    }
    s.buckets.incrementAndGet(i);
    s.sum.add(seconds);
  }

  /** Observations so far for these label values. */
  long count(String... values) {
    Series s = series.get(List.of(values));
    if (s == null) {
      return 0;
    }
    long n = 0;
    for (int i = 0; i < s.buckets.length(); i++) {
      n += s.buckets.get(i);
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
        cumulative += s.buckets.get(i);
        String le = i < bounds.length ? PromText.number(bounds[i]) : "+Inf";
        out.sample(name + "_bucket", labels, e.getKey(), "le", le, cumulative);
      }
      out.sample(name + "_sum", labels, e.getKey(), s.sum.sum());
      out.sample(name + "_count", labels, e.getKey(), cumulative);
    }
  }
}
