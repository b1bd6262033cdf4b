package dev.weir.server.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter by label values. Adding takes no lock once a label set exists (a map read and a {@link
 * LongAdder}); label values must come from bounded sets (flow, task, state names, never run ids).
 */
final class CounterFamily {
  private final String name;
  private final String help;
  private final List<String> labels;
  private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();

  CounterFamily(String name, String help, String... labels) {
    this.name = name;
    this.help = help;
    this.labels = List.of(labels);
  }

  void add(long n, String... values) {
    adder(values).add(n);
  }

  /** The counter of these label values, made on first use; callers may keep it and add to it. */
  LongAdder adder(String... values) {
    List<String> key = List.of(values);
    LongAdder a = series.get(key);
    return a != null ? a : series.computeIfAbsent(key, k -> new LongAdder());
  }

  void inc(String... values) {
    add(1, values);
  }

  long get(String... values) {
    LongAdder a = series.get(List.of(values));
    return a == null ? 0 : a.sum();
  }

  void write(PromText out) {
    out.header(name, "counter", help);
    var sorted = new TreeMap<String, Map.Entry<List<String>, LongAdder>>();
    series.entrySet().forEach(e -> sorted.put(String.join("\u0000", e.getKey()), e));
    sorted.values().forEach(e -> out.sample(name, labels, e.getKey(), e.getValue().sum()));
  }
}
