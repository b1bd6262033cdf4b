package dev.weir.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A forEach of many items on the durable H2 store, one {@code bench.noop} per item, against a chain
 * of top-level no-op tasks in the same JVM.
 *
 * <ul>
 *   <li><b>Sequential</b> ({@code concurrency: 1}): engine overhead per item = the time from one
 *       item's task ending to the next item's task starting (median, p99), which covers the item's
 *       end, the window moving, the next item's task runs being made, decided, stored and started.
 *   <li><b>Windowed</b> ({@code concurrency: 64}): items per second for the whole group.
 *   <li><b>Memory</b>: the live heap's peak during one more sequential run (a full collection and a
 *       reading every 50 ms), for {@code --small} items and for {@code --items}: flat means about
 *       the same for both.
 * </ul>
 *
 * <p>Arguments: {@code --items=10000 --small=1000 --runs=3 --warmup=1 --chain=1000 --dir=/tmp}.
 */
public final class ForEachBench {
  private ForEachBench() {}

  public static void main(String[] args) throws Exception {
    int items = 10_000;
    int small = 1_000;
    int runs = 3;
    int warmup = 1;
    int chain = 1_000;
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "items" -> items = Integer.parseInt(kv[1]);
        case "small" -> small = Integer.parseInt(kv[1]);
        case "runs" -> runs = Integer.parseInt(kv[1]);
        case "warmup" -> warmup = Integer.parseInt(kv[1]);
        case "chain" -> chain = Integer.parseInt(kv[1]);
        case "dir" -> dir = Path.of(kv[1]);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    System.out.printf(
        "weir forEach benchmark: java %s, %d cpus, load %s%n%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip());

    // the same-run baseline: top-level tasks in a chain, the engine-overhead benchmark's figure
    var chainGaps = new ArrayList<long[]>();
    for (int r = -warmup; r < runs; r++) {
      var m = EngineOverheadBench.run(dir, EngineOverheadBench.chainYaml(chain), chain);
      if (r >= 0) {
        chainGaps.add(m.timeline().gaps());
      }
    }
    long[] chainAll = Stats.concat(chainGaps.toArray(long[][]::new));
    System.out.printf(
        "baseline  chain of %d top-level tasks: overhead median %s  p99 %s%n%n",
        chain, Stats.ms(Stats.median(chainAll)), Stats.ms(Stats.percentile(chainAll, 99)));

    long smallPeak = sequential(dir, small, warmup, runs, chainAll);
    long bigPeak = sequential(dir, items, warmup, runs, chainAll);
    System.out.printf(
        "memory    live heap peak: %d items %.1f MiB, %d items %.1f MiB (ratio %.2f, %.0f bytes"
            + " per extra item)%n%n",
        small,
        smallPeak / 1048576.0,
        items,
        bigPeak / 1048576.0,
        (double) bigPeak / smallPeak,
        (double) (bigPeak - smallPeak) / (items - small));

    var rates = new ArrayList<Double>();
    for (int r = -warmup; r < runs; r++) {
      var m = EngineOverheadBench.run(dir, yaml(items, 64), items);
      double rate = items / (m.wall() / 1e9);
      System.out.printf(
          "windowed  %-8s %d items, concurrency 64: wall %.0f ms = %.0f items/s%n",
          r < 0 ? "warm-up" : "run " + (r + 1), items, m.wall() / 1e6, rate);
      if (r >= 0) {
        rates.add(rate);
      }
    }
    System.out.printf(
        "windowed  median %.0f items/s over %d runs%n",
        Stats.medianOf(rates.stream().mapToDouble(Double::doubleValue).toArray()), rates.size());
  }

  /** Runs the sequential forEach; prints the overhead per item; returns the peak heap seen. */
  private static long sequential(Path dir, int n, int warmup, int runs, long[] chainAll)
      throws Exception {
    var gaps = new ArrayList<long[]>();
    for (int r = -warmup; r < runs; r++) {
      EngineOverheadBench.Measured m = EngineOverheadBench.run(dir, yaml(n, 1), n);
      long[] g = m.timeline().gaps();
      System.out.printf(
          "sequential %-8s %d items: wall %.0f ms, overhead per item median %s  p99 %s%n",
          r < 0 ? "warm-up" : "run " + (r + 1),
          n,
          m.wall() / 1e6,
          Stats.ms(Stats.median(g)),
          Stats.ms(Stats.percentile(g, 99)));
      if (r >= 0) {
        gaps.add(g);
      }
    }
    // one more run for memory only: the sampler's collections would distort the times above
    System.gc();
    var sampler = new HeapSampler();
    try {
      EngineOverheadBench.run(dir, yaml(n, 1), n);
    } finally {
      sampler.stop();
    }
    long peak = sampler.peak();
    System.out.printf("sequential %d items: live heap peak %.1f MiB%n", n, peak / 1048576.0);
    long[] all = Stats.concat(gaps.toArray(long[][]::new));
    System.out.printf(
        "sequential %d items: overhead per item median %s  p99 %s; %.2f× the chain's median%n%n",
        n,
        Stats.ms(Stats.median(all)),
        Stats.ms(Stats.percentile(all, 99)),
        (double) Stats.median(all) / Stats.median(chainAll));
    return peak;
  }

  /**
   * One forEach over {@code n} items, one no-op each. The items come from an expression, as from an
   * upstream task's output: a literal list of 10,000 would weigh on the parsed flow, not on the
   * engine.
   */
  static String yaml(int n, int concurrency) {
    return "id: bench_foreach\nnamespace: bench\nparallelism: "
        + Math.max(8, concurrency)
        + "\ntasks:\n  - id: g\n    type: forEach\n    concurrency: "
        + concurrency
        + "\n    items: \"{{ range(0, "
        + (n - 1)
        + ") }}\"\n    tasks:\n      - {id: t, type: bench.noop}\n";
  }

  /**
   * The most heap the run keeps live: every 50 ms a full collection, then the heap in use (what is
   * left is live). Only for the memory runs: the collections slow the run.
   */
  private static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    HeapSampler() {
      var memory = ManagementFactory.getMemoryMXBean();
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(() -> {
                while (running) {
                  System.gc();
                  peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }

    long peak() {
      return peak.get();
    }
  }
}
