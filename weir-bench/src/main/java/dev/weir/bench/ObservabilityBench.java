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
    for (String a : args) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      switch (kv[0]) {
        case "chain" -> chain = Integer.parseInt(kv[1]);
        case "fanout" -> fanout = Integer.parseInt(kv[1]);
        case "parallelism" -> parallelism = Integer.parseInt(kv[1]);
        case "warmup" -> warmup = Integer.parseInt(kv[1]);
        case "rounds" -> rounds = Integer.parseInt(kv[1]);
        case "dir" -> dir = Path.of(kv[1]);
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + a
                    + " (known: --chain, --fanout, --parallelism, --warmup, --rounds, --dir)");
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
    for (Observe o : List.of(Observe.OFF, Observe.ON)) {
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
        String extraFan = o == Observe.ON ? lineage(fanout) : "";
        System.out.printf(
            "%-8s %-3s chain overhead median %.3f ms, wall %.0f ms%s | fan-out %.0f tasks/s (drain"
                + " included)%s%n",
            label, o, g, c.wall() / 1e6, extra, tps, extraFan);
        if (r >= 0) {
          gap.get(o).add(g);
          chainWall.get(o).add((c.wall() + chainDrain) / 1e6);
          rate.get(o).add(tps);
        }
      }
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
