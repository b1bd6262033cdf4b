package dev.weir.bench;

import dev.weir.bench.AttemptTimes.Step;
import dev.weir.flow.Flow;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Task attempts routed to workers (issue 15). Three questions, on the local PostgreSQL, each
 * measurement in a fresh schema, the nodes in this JVM ({@link InProcessNodes}):
 *
 * <ol>
 *   <li>What routing costs per task: a chain of {@code bench.noop} tasks run by a node of role
 *       {@code all} executing them itself, and by a {@code scheduler} node handing each to one
 *       worker, alternated in the same invocation; the time from one task's end to the next one's
 *       start, and where it goes (result stored → seen by the coordinator → next attempt queued →
 *       claimed → started).
 *   <li>Claim latency (enqueue → a worker's claim) under a steady load of two-task runs, and
 *       runs/min of closed-loop clients, with 1, 2, 3 workers, against the same load on a node of
 *       role {@code all} ({@link WorkerLoad}).
 *   <li>The queue table's rows and size during and after that load.
 * </ol>
 *
 * <pre>
 * weir-bench/run-worker-bench.sh [--pg=JDBC_URL] [--chain=50] [--rounds=4] [--workers=0,1,2,3]
 *     [--rate=10] [--steady=10] [--clients=16] [--warmup=5] [--seconds=20] [--attempts=10000]
 *     [--slots=8]
 * </pre>
 *
 * {@code --chain=0} or {@code --workers=} (empty) skips that part; {@code --attempts} is how many
 * attempts the last configuration routes at least before the queue is read after the load.
 */
public final class WorkerBench {
  private WorkerBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    String pg = a.getOrDefault("pg", PgSchemas.DEFAULT_URL);
    int chain = Integer.parseInt(a.getOrDefault("chain", "50"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "4"));
    int slots = Integer.parseInt(a.getOrDefault("slots", "8"));
    var load =
        new WorkerLoad.Settings(
            pg,
            Double.parseDouble(a.getOrDefault("rate", "10")),
            Integer.parseInt(a.getOrDefault("steady", "10")),
            Integer.parseInt(a.getOrDefault("clients", "16")),
            Integer.parseInt(a.getOrDefault("warmup", "5")),
            Integer.parseInt(a.getOrDefault("seconds", "20")),
            Integer.parseInt(a.getOrDefault("attempts", "10000")),
            slots);
    List<Integer> workers =
        Arrays.stream(a.getOrDefault("workers", "0,1,2,3").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(Integer::parseInt)
            .toList();
    System.out.printf(
        "WorkerBench: java %s, %d cpus, load %s; PostgreSQL %s; chain of %d, %d rounds (+1"
            + " warm-up); load: workers %s, steady %.0f runs/s for %d s, then %d clients, %d s"
            + " warm-up + %d s measured; %d slots per worker%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        Machine.loadAverage(),
        pg,
        chain,
        rounds,
        workers,
        load.rate(),
        load.steady(),
        load.clients(),
        load.warmup(),
        load.seconds(),
        slots);
    long t0 = System.nanoTime();
    commitBaseline(pg, "start");
    if (chain > 1) {
      chains(pg, chain, rounds, slots);
    }
    if (!workers.isEmpty()) {
      WorkerLoad.run(load, workers);
    }
    commitBaseline(pg, "end");
    System.out.printf(
        "%nload at the end: %s; %.0f s in all%n",
        Machine.loadAverage(), (System.nanoTime() - t0) / 1e9);
    System.exit(0);
  }

  /** What one durable commit costs now: the unit every part of the routing pays in. */
  static void commitBaseline(String pg, String when) throws Exception {
    String url = PgSchemas.create(pg, "weir_worker_baseline");
    try {
      long[] c = StoreBaseline.rawCommit(url, 50, 300);
      System.out.printf(
          "BASELINE at the %s: one single-row UPDATE + COMMIT on plain JDBC, median %s p99 %s"
              + " (%d samples); load %s%n%n",
          when,
          Stats.ms(Stats.median(c)),
          Stats.ms(Stats.percentile(c, 99)),
          c.length,
          Machine.loadAverage());
    } finally {
      PgSchemas.drop(pg, url);
    }
  }

  /** One chain run: its tasks' timeline, its attempts' steps (routed only), its wall time. */
  record ChainRun(
      boolean routed,
      Timeline timeline,
      Map<String, AttemptTimes.Attempt> byTask,
      List<long[]> claimLoop,
      long wall) {
    long[] gaps() {
      return timeline.gaps();
    }

    /**
     * Gap i split at the steps of the queue, for a routed chain: [result stored, seen by the
     * coordinator, next attempt queued, claimed, started]; they add up to the gap.
     */
    long[][] parts() {
      long[] g = gaps();
      long[][] p = new long[5][g.length];
      for (int i = 0; i < g.length; i++) {
        var done = byTask.get(Timeline.taskId(i));
        var next = byTask.get(Timeline.taskId(i + 1));
        p[0][i] = done.at(Step.FINISHED) - timeline.ends[i];
        p[1][i] = done.between(Step.FINISHED, Step.SEEN);
        p[2][i] = next.at(Step.ENQUEUED) - done.at(Step.SEEN);
        p[3][i] = next.between(Step.ENQUEUED, Step.CLAIMED);
        p[4][i] = timeline.starts[i + 1] - next.at(Step.CLAIMED);
      }
      return p;
    }
  }

  static final String[] PARTS = {
    "task end → result stored",
    "stored → coordinator reads it DONE",
    "read → next attempt queued",
    "queued → claimed by the worker",
    "claimed → next task starts"
  };

  /** Local and routed chains alternated, the first of each pair swapped every round. */
  static void chains(String pg, int n, int rounds, int slots) throws Exception {
    var local = new ArrayList<ChainRun>();
    var routed = new ArrayList<ChainRun>();
    for (int r = -1; r < rounds; r++) {
      boolean routedFirst = Math.floorMod(r, 2) == 1;
      for (boolean route :
          routedFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
        ChainRun run = chain(pg, n, route, slots);
        print(r < 0 ? "warm-up" : "round " + (r + 1), run, n);
        if (r >= 0) {
          (route ? routed : local).add(run);
        }
      }
    }
    double l = summary("local (role all)", local, n);
    double w = summary("routed (scheduler + 1 worker)", routed, n);
    System.out.printf(
        "CHAIN routing cost per task: %.3f ms (routed %.3f − local %.3f ms, medians of the rounds'"
            + " medians) = %.0f× the local gap%n",
        w - l, w, l, w / l);
    long[][] parts = new long[5][];
    for (int k = 0; k < 5; k++) {
      final int part = k;
      parts[k] = Stats.concat(routed.stream().map(c -> c.parts()[part]).toArray(long[][]::new));
    }
    for (int k = 0; k < 5; k++) {
      System.out.printf(
          "CHAIN routed part %-38s median %8s  mean %8s  p99 %8s%n",
          PARTS[k],
          Stats.ms(Stats.median(parts[k])),
          Stats.ms((long) Arrays.stream(parts[k]).average().orElse(0)),
          Stats.ms(Stats.percentile(parts[k], 99)));
    }
    var loop = routed.stream().flatMap(c -> c.claimLoop().stream()).toList();
    System.out.printf(
        "CHAIN routed worker's %s (one attempt at a time: the attempt's preparation)%n%n",
        WorkerLoad.claimLoop(
            loop.stream().mapToLong(c -> c[0]).toArray(),
            loop.stream().mapToLong(c -> c[1]).toArray(),
            loop.stream().mapToLong(c -> c[2]).toArray()));
  }

  static ChainRun chain(String pg, int n, boolean routed, int slots) throws Exception {
    String url = PgSchemas.create(pg, "weir_worker_bench");
    Path dir = Files.createTempDirectory("weir-workerbench-");
    var times = new AttemptTimes();
    try (var nodes = InProcessNodes.start(url, dir, routed ? 1 : 0, slots, times)) {
      Path file = dir.resolve("chain.yaml");
      Files.writeString(file, EngineOverheadBench.chainYaml(n));
      Flow flow = nodes.coordinator().parser().parse(file);
      Timeline timeline = Timeline.reset(n);
      long begin = System.nanoTime();
      RunRecord done =
          nodes.coordinator().start(flow, file, Map.of(), "bench").await(Duration.ofMinutes(5));
      long wall = System.nanoTime() - begin;
      if (done.state() != RunState.SUCCEEDED || !timeline.complete()) {
        throw new IllegalStateException(
            "chain run " + done.id() + " ended " + done.state() + ": " + done.error());
      }
      var byTask = new HashMap<String, AttemptTimes.Attempt>();
      times.all().forEach(t -> byTask.put(t.taskId(), t));
      if (routed && byTask.size() != n) {
        throw new IllegalStateException(n + " tasks but " + byTask.size() + " routed attempts");
      }
      return new ChainRun(routed, timeline, byTask, times.claimLoop(), wall);
    } finally {
      PgSchemas.drop(pg, url);
      Machine.delete(dir);
    }
  }

  private static void print(String label, ChainRun c, int n) {
    long[] g = c.gaps();
    String parts = "";
    if (c.routed()) {
      long[][] p = c.parts();
      var sb = new StringBuilder("  | medians:");
      for (long[] part : p) {
        sb.append(' ').append(Stats.ms(Stats.median(part))).append(',');
      }
      parts = sb.substring(0, sb.length() - 1);
    }
    System.out.printf(
        "chain %-7s %-6s wall %7.0f ms = %6.3f ms per task; gap median %s p99 %s%s%n",
        label,
        c.routed() ? "routed" : "local",
        c.wall() / 1e6,
        c.wall() / 1e6 / n,
        Stats.ms(Stats.median(g)),
        Stats.ms(Stats.percentile(g, 99)),
        parts);
  }

  /** Prints the runs' figures; returns the median of the runs' gap medians, in ms. */
  private static double summary(String what, List<ChainRun> runs, int n) {
    double[] medians = runs.stream().mapToDouble(c -> Stats.median(c.gaps()) / 1e6).toArray();
    double[] perTask = runs.stream().mapToDouble(c -> c.wall() / 1e6 / n).toArray();
    long[] all = Stats.concat(runs.stream().map(ChainRun::gaps).toArray(long[][]::new));
    double m = Stats.medianOf(medians);
    System.out.printf(
        "CHAIN %-30s gap (task end → next start) median %.3f ms (rounds %.3f..%.3f), pooled p99"
            + " %s; wall per task median %.3f ms (%.3f..%.3f)%n",
        what,
        m,
        Stats.min(medians),
        Stats.max(medians),
        Stats.ms(Stats.percentile(all, 99)),
        Stats.medianOf(perTask),
        Stats.min(perTask),
        Stats.max(perTask));
    return m;
  }
}
