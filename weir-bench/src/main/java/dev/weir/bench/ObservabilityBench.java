package dev.weir.bench;

import dev.weir.bench.EngineOverheadBench.Measured;
import dev.weir.bench.EngineOverheadBench.Observe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The cost of observability: the engine-overhead benchmark (a chain of no-op tasks, a fan-out of
 * independent ones, durable H2 store) with the audit trail, metrics, OpenLineage events to a file
 * and JSON log files all on, against all off. The two modes alternate within each round (and swap
 * order every round) so that machine noise falls on both. Run it with {@code
 * weir-bench/run-observability-bench.sh}.
 *
 * <p>Arguments (all optional): {@code --chain=1000 --fanout=10000 --parallelism=64 --warmup=1
 * --rounds=5 --dir=/tmp}.
 */
public final class ObservabilityBench {
  private ObservabilityBench() {}

  public static void main(String[] args) throws Exception {
    int chain = 1000;
    int fanout = 10_000;
    int parallelism = 64;
    int warmup = 1;
    int rounds = 5;
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    String only = null; // "on" or "off": one mode alone (to profile it)
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "chain" -> chain = Integer.parseInt(kv[1]);
        case "fanout" -> fanout = Integer.parseInt(kv[1]);
        case "parallelism" -> parallelism = Integer.parseInt(kv[1]);
        case "warmup" -> warmup = Integer.parseInt(kv[1]);
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "dir" -> dir = Path.of(kv[1]);
        case "only" -> only = kv[1].toUpperCase(java.util.Locale.ROOT);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + a
                    + " (known: --chain, --fanout, --parallelism, --warmup, --rounds, --dir, --only)");
      }
    }
    System.out.printf(
        "weir observability overhead: java %s, %d cpus; chain=%d fanout=%d parallelism=%d"
            + " warmup=%d rounds=%d%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        chain,
        fanout,
        parallelism,
        warmup,
        rounds);
    Map<Observe, List<Double>> gap = new EnumMap<>(Observe.class);
    Map<Observe, List<Double>> chainWall = new EnumMap<>(Observe.class);
    Map<Observe, List<Double>> rate = new EnumMap<>(Observe.class);
    Map<Observe, List<Double>> cpu = new EnumMap<>(Observe.class);
    for (Observe o : List.of(Observe.OFF, Observe.ON)) {
      cpu.put(o, new ArrayList<>());
      gap.put(o, new ArrayList<>());
      chainWall.put(o, new ArrayList<>());
      rate.put(o, new ArrayList<>());
    }
    for (int r = -warmup; r < rounds; r++) {
      List<Observe> order =
          Math.floorMod(r, 2) == 0
              ? List.of(Observe.OFF, Observe.ON)
              : List.of(Observe.ON, Observe.OFF);
      String label = r < 0 ? "warm-up" : "round " + (r + 1);
      for (Observe o : order) {
        if (only != null && !o.name().equals(only)) {
          continue;
        }
        Measured c = EngineOverheadBench.run(dir, EngineOverheadBench.chainYaml(chain), chain, o);
        double g = Stats.median(c.timeline().gaps()) / 1e6;
        String extra = o == Observe.ON ? lineage(chain) : "";
        long chainDrain = o == Observe.ON ? EngineOverheadBench.lastDrainNanos : 0;
        Measured f =
            EngineOverheadBench.run(
                dir, EngineOverheadBench.fanoutYaml(fanout, parallelism), fanout, o);
        // lineage events still queued when the run ends are part of the cost: count their drain
        long drain = o == Observe.ON ? EngineOverheadBench.lastDrainNanos : 0;
        double tps = fanout / ((f.wall() + drain) / 1e9);
        // CPU of the whole process (engine, store, listeners, writers) per task, drain included
        double cpuPerTask = EngineOverheadBench.lastCpuNanos / 1e3 / fanout;
        String extraFan =
            String.format(
                    ", %.0f B allocated per task",
                    EngineOverheadBench.lastAllocatedBytes / (double) fanout)
                + (o == Observe.ON ? lineage(fanout) : "")
                + (EngineOverheadBench.THREADS ? " " + EngineOverheadBench.lastThreadTicks : "");
        System.out.printf(
            "%-8s %-3s chain overhead median %.3f ms, wall %.0f ms%s | fan-out %.0f tasks/s, %.1f us"
                + " CPU per task (drain included)%s%n",
            label, o, g, c.wall() / 1e6, extra, tps, cpuPerTask, extraFan);
        if (r >= 0) {
          gap.get(o).add(g);
          chainWall.get(o).add((c.wall() + chainDrain) / 1e6);
          rate.get(o).add(tps);
          cpu.get(o).add(cpuPerTask);
        }
      }
    }
    if (only != null) {
      return;
    }
    double gOff = median(gap.get(Observe.OFF));
    double gOn = median(gap.get(Observe.ON));
    double wOff = median(chainWall.get(Observe.OFF));
    double wOn = median(chainWall.get(Observe.ON));
    double rOff = median(rate.get(Observe.OFF));
    double rOn = median(rate.get(Observe.ON));
    System.out.printf(
        "RESULT chain %d tasks: overhead median off %.3f ms, on %.3f ms (%+.1f%%); wall median"
            + " (lineage drain included) off %.0f ms, on %.0f ms (%+.1f%%)%n",
        chain, gOff, gOn, 100 * (gOn / gOff - 1), wOff, wOn, 100 * (wOn / wOff - 1));
    System.out.printf(
        "RESULT fan-out %d tasks: median off %.0f tasks/s, on %.0f tasks/s, lineage drain included"
            + " (%+.1f%% time per task)%n",
        fanout, rOff, rOn, 100 * (rOff / rOn - 1));
    double cOff = median(cpu.get(Observe.OFF));
    double cOn = median(cpu.get(Observe.ON));
    System.out.printf(
        "RESULT fan-out %d tasks: CPU per task (all threads, drain included) median off %.1f us,"
            + " on %.1f us (%+.1f%%)%n",
        fanout, cOff, cOn, 100 * (cOn / cOff - 1));
    // The two modes of a round ran back to back, so a slow spell of the machine falls on both:
    // the ratio within each round, and its median over the rounds, is the steadier figure.
    System.out.println(
        "RESULT paired (on/off within each round; median and quartiles over "
            + rounds
            + " rounds):");
    paired("chain overhead median", gap, false);
    paired("chain wall (drain included)", chainWall, false);
    paired("fan-out time per task (drain included)", rate, true);
    paired("fan-out CPU per task (drain included)", cpu, false);
  }

  private static void paired(String what, Map<Observe, List<Double>> values, boolean rate) {
    List<Double> off = values.get(Observe.OFF);
    List<Double> on = values.get(Observe.ON);
    double[] ratios = new double[off.size()];
    for (int i = 0; i < ratios.length; i++) {
      // a rate (tasks/s) is inverted so that every figure reads as "slower by"
      ratios[i] = rate ? off.get(i) / on.get(i) : on.get(i) / off.get(i);
    }
    java.util.Arrays.sort(ratios);
    System.out.printf(
        "RESULT   %-40s %+6.1f%%  (quartiles %+.1f%% .. %+.1f%%)%n",
        what,
        100 * (Stats.medianOf(ratios) - 1),
        100 * (quantile(ratios, 0.25) - 1),
        100 * (quantile(ratios, 0.75) - 1));
  }

  private static double quantile(double[] sorted, double q) {
    double at = q * (sorted.length - 1);
    int lo = (int) Math.floor(at);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
  }

  private static String lineage(int tasks) {
    return String.format(
        " (lineage: %d events for %d tasks, %.0f ms to drain after the run)",
        EngineOverheadBench.lastLineageEvents, tasks, EngineOverheadBench.lastDrainNanos / 1e6);
  }

  private static double median(List<Double> xs) {
    return Stats.medianOf(xs.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
