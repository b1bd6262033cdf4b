package dev.weir.bench;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.flow.Flow;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.task.TaskRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * End-to-end engine overhead on the durable H2 store (or, with {@code --store=JDBC_URL}, on
 * PostgreSQL with its durable commits): a chain of no-op tasks (time from one task's end to the
 * next one's start) and a fan-out of independent no-op tasks (tasks per second). Each run gets a
 * fresh store in a temp dir (a fresh schema on PostgreSQL). Run it with {@code
 * weir-bench/run-engine-bench.sh}.
 *
 * <p>Arguments (all optional): {@code --chain=1000 --fanout=10000 --parallelism=64 --warmup=1
 * --runs=5 --baseline=2000 --dir=/tmp --store=jdbc:postgresql://…}.
 */
public final class EngineOverheadBench {
  /**
   * @param store null for the durable H2 store in a temp dir; else the JDBC URL of a PostgreSQL
   *     database in which each run gets a fresh schema (dropped after it)
   */
  record Options(
      int chain,
      int fanout,
      int parallelism,
      int warmup,
      int runs,
      int baseline,
      Path dir,
      String store) {
    static Options parse(String[] args) {
      var given = new java.util.HashMap<String, String>();
      for (String a : args) {
        String[] kv = a.replaceFirst("^--", "").split("=", 2);
        if (kv.length != 2) {
          throw new IllegalArgumentException("expected --name=value, got " + a);
        }
        if (!List.of("chain", "fanout", "parallelism", "warmup", "runs", "baseline", "dir", "store")
            .contains(kv[0])) {
          throw new IllegalArgumentException(
              "unknown option --"
                  + kv[0]
                  + " (known: chain, fanout, parallelism, warmup, runs, baseline, dir, store)");
        }
        given.put(kv[0], kv[1]);
      }
      java.util.function.BiFunction<String, Integer, Integer> n =
          (k, d) -> given.containsKey(k) ? Integer.parseInt(given.get(k)) : d;
      return new Options(
          n.apply("chain", 1000),
          n.apply("fanout", 10_000),
          n.apply("parallelism", 64),
          n.apply("warmup", 1),
          n.apply("runs", 5),
          n.apply("baseline", 2000),
          Path.of(given.getOrDefault("dir", System.getProperty("java.io.tmpdir"))),
          given.get("store"));
    }
  }

  /** One run of a flow: its timeline, the store's writes, and the wall time. */
  record Measured(Timeline timeline, TimedStore.Writes writes, long begin, long end, long parse) {
    long wall() {
      return end - begin;
    }
  }

  private EngineOverheadBench() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    System.out.printf(
        "weir engine overhead benchmark: java %s, %d cpus, load %s%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage());
    System.out.printf(
        "chain=%d fanout=%d parallelism=%d warmup=%d runs=%d store=%s%n%n",
        o.chain,
        o.fanout,
        o.parallelism,
        o.warmup,
        o.runs,
        o.store == null ? "durable H2 in a temp dir" : o.store + " (a fresh schema per run)");

    String db = o.store == null ? "H2" : "PostgreSQL";
    Path base = Files.createTempDirectory(o.dir, "weir-bench-baseline-");
    StoreBaseline.Samples b;
    try {
      b = StoreBaseline.measure(base, o.store, o.baseline);
    } finally {
      delete(base);
    }
    System.out.printf(
        "baseline  %s single-row UPDATE+COMMIT (plain JDBC):     median %s  p99 %s  (%d samples)%n",
        db,
        Stats.us(Stats.median(b.raw())),
        Stats.us(Stats.percentile(b.raw(), 99)),
        b.raw().length);
    System.out.printf(
        "baseline  JdbcStateStore.write, 2 task-run UPDATEs:      median %s  p99 %s  (%d samples)%n",
        Stats.us(Stats.median(b.write())),
        Stats.us(Stats.percentile(b.write(), 99)),
        b.write().length);
    System.out.printf(
        "reference 4 KiB write + fsync on the same disk (%s): median %s  p99 %s  (%d samples)%n%n",
        o.store == null ? "H2 commits do not fsync" : "a PostgreSQL commit fsyncs its WAL",
        Stats.us(Stats.median(b.fsync())),
        Stats.us(Stats.percentile(b.fsync(), 99)),
        b.fsync().length);

    var chain = new ChainReport();
    for (int r = -o.warmup; o.chain > 1 && r < o.runs; r++) {
      Measured m = run(o.dir, chainYaml(o.chain), o.chain, Observe.DEFAULT, o.store);
      String label = r < 0 ? "warm-up" : "run " + (r + 1);
      chain.add(m, r >= 0, label);
    }
    if (o.chain > 1) {
      chain.print(o.chain);
    }

    var fan = new ArrayList<Measured>();
    for (int r = -o.warmup; o.fanout > 0 && r < o.runs; r++) {
      Measured m =
          run(o.dir, fanoutYaml(o.fanout, o.parallelism), o.fanout, Observe.DEFAULT, o.store);
      String label = r < 0 ? "warm-up" : "run " + (r + 1);
      printFanout(label, m, o.fanout);
      if (r >= 0) {
        fan.add(m);
      }
    }
    if (!fan.isEmpty()) {
      double[] rates = fan.stream().mapToDouble(m -> o.fanout / (m.wall() / 1e9)).toArray();
      System.out.printf(
          "fan-out   %d tasks, parallelism %d: median %.0f tasks/s (min %.0f, max %.0f over %d runs)%n",
          o.fanout,
          o.parallelism,
          Stats.medianOf(rates),
          Stats.min(rates),
          Stats.max(rates),
          rates.length);
    }
    System.out.printf("%nload at the end: %s%n", loadAverage());
  }

  /** Chain figures, pooled over the measured runs. */
  private static final class ChainReport {
    final List<long[]> gaps = new ArrayList<>();
    final List<long[]> toWrite = new ArrayList<>();
    final List<long[]> inWrite = new ArrayList<>();
    final List<long[]> afterWrite = new ArrayList<>();
    final List<Double> runMedians = new ArrayList<>();
    final List<Double> walls = new ArrayList<>();

    void add(Measured m, boolean measured, String label) {
      Timeline t = m.timeline();
      long[] g = t.gaps();
      long[] before = new long[g.length];
      long[] in = new long[g.length];
      long[] after = new long[g.length];
      int oneWrite = 0;
      var w = m.writes();
      for (int i = 0; i < g.length; i++) {
        int k = w.firstBeginningAt(t.ends[i]);
        if (k >= 0 && w.ends()[k] <= t.starts[i + 1]) {
          before[i] = w.begins()[k] - t.ends[i];
          in[i] = w.ends()[k] - w.begins()[k];
          after[i] = t.starts[i + 1] - w.ends()[k];
          boolean more = k + 1 < w.count() && w.begins()[k + 1] < t.starts[i + 1];
          oneWrite += more ? 0 : 1;
        }
      }
      System.out.printf(
          "chain     %-8s wall %7.0f ms  overhead median %s  p99 %s  | wake→write %s, write %s,"
              + " write→next start %s  | %d writes, %d/%d gaps with exactly one (parse %.0f ms, not"
              + " counted)%n",
          label,
          m.wall() / 1e6,
          Stats.ms(Stats.median(g)),
          Stats.ms(Stats.percentile(g, 99)),
          Stats.us(Stats.median(before)),
          Stats.us(Stats.median(in)),
          Stats.us(Stats.median(after)),
          w.count(),
          oneWrite,
          g.length,
          m.parse() / 1e6);
      if (measured) {
        gaps.add(g);
        toWrite.add(before);
        inWrite.add(in);
        afterWrite.add(after);
        runMedians.add(Stats.median(g) / 1e6);
        walls.add(m.wall() / 1e6);
      }
    }

    void print(int n) {
      long[] all = Stats.concat(gaps.toArray(long[][]::new));
      double[] meds = runMedians.stream().mapToDouble(Double::doubleValue).toArray();
      double[] w = walls.stream().mapToDouble(Double::doubleValue).toArray();
      System.out.printf(
          "chain     %d tasks: overhead median %s  p99 %s  over %d gaps of %d runs"
              + " (per-run medians %.3f..%.3f ms)%n",
          n,
          Stats.ms(Stats.median(all)),
          Stats.ms(Stats.percentile(all, 99)),
          all.length,
          gaps.size(),
          Stats.min(meds),
          Stats.max(meds));
      System.out.printf(
          "          median parts: task end→store write begins %s, store write %s,"
              + " write ends→next task starts %s; wall median %.0f ms = %.0f tasks/s%n",
          Stats.us(Stats.median(Stats.concat(toWrite.toArray(long[][]::new)))),
          Stats.us(Stats.median(Stats.concat(inWrite.toArray(long[][]::new)))),
          Stats.us(Stats.median(Stats.concat(afterWrite.toArray(long[][]::new)))),
          Stats.medianOf(w),
          n / (Stats.medianOf(w) / 1e3));
      System.out.printf(
          "          p99 parts:    task end→store write begins %s, store write %s,"
              + " write ends→next task starts %s%n%n",
          Stats.us(Stats.percentile(Stats.concat(toWrite.toArray(long[][]::new)), 99)),
          Stats.us(Stats.percentile(Stats.concat(inWrite.toArray(long[][]::new)), 99)),
          Stats.us(Stats.percentile(Stats.concat(afterWrite.toArray(long[][]::new)), 99)));
    }
  }

  private static void printFanout(String label, Measured m, int n) {
    var w = m.writes();
    long first = Long.MAX_VALUE;
    for (long s : m.timeline().starts) {
      first = Math.min(first, s);
    }
    long inStore = 0;
    int biggest = 0;
    for (int i = 0; i < w.count(); i++) {
      inStore += w.durations()[i];
      biggest = w.rows()[i] > w.rows()[biggest] ? i : biggest;
    }
    System.out.printf(
        "fan-out   %-8s wall %7.0f ms = %6.0f tasks/s  | first task after %4.0f ms (largest write: %d"
            + " rows in %.0f ms), %d writes of %.1f rows on average, %.0f%% of the wall in store"
            + " writes (parse %.0f ms, not counted)%n",
        label,
        m.wall() / 1e6,
        n / (m.wall() / 1e9),
        (first - m.begin()) / 1e6,
        w.rows()[biggest],
        w.durations()[biggest] / 1e6,
        w.count(),
        (double) w.totalRows() / w.count(),
        100.0 * inStore / m.wall(),
        m.parse() / 1e6);
  }

  /** Runs one flow on a fresh engine and store; the wall time covers start to completion. */
  /**
   * What watches the run: as {@code weir run} does by default (audit rows, nothing else), nothing
   * at all (audit rows dropped before the store), or everything a server adds (audit, metrics,
   * OpenLineage events to a file, JSON log files).
   */
  enum Observe {
    DEFAULT,
    OFF,
    ON
  }

  // what the last run with Observe.ON left behind, for the observability benchmark to report
  static volatile long lastDrainNanos;
  static volatile long lastLineageEvents;
  // CPU time of the whole process from the run's start until its lineage and log files are written
  static volatile long lastCpuNanos;
  // a server's metrics live as long as it does: their series (one per flow, task and state) are
  // made by a flow's first run, not by each run
  private static final dev.weir.server.metrics.RunMetrics METRICS =
      new dev.weir.server.metrics.RunMetrics();
  // -Dweir.bench.threads=true: note the CPU of each thread group per run (in 10 ms ticks)
  static final boolean THREADS = Boolean.getBoolean("weir.bench.threads");

  /** CPU ticks of each live thread of this process by name, from /proc (Linux only). */
  static Map<String, Long> threadTicks() {
    var out = new java.util.HashMap<String, Long>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
          String group = name.replaceAll("[0-9#]+", "N").replaceAll("weir-run-.*", "weir-run");
          out.merge(group, ticks, Long::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  static volatile Map<String, Long> lastThreadTicks = Map.of();

  static volatile long lastAllocatedBytes;

  static long allocatedBytes() {
    return java.lang.management.ManagementFactory.getThreadMXBean()
            instanceof com.sun.management.ThreadMXBean sun
        ? sun.getTotalThreadAllocatedBytes()
        : -1;
  }

  private static long processCpuNanos() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  static Measured run(Path tmp, String yaml, int tasks) throws IOException {
    return run(tmp, yaml, tasks, Observe.DEFAULT);
  }

  static Measured run(Path tmp, String yaml, int tasks, Observe observe) throws IOException {
    return run(tmp, yaml, tasks, observe, null);
  }

  /**
   * @param pg null for the durable H2 store in the run's temp dir; else a PostgreSQL JDBC URL in
   *     whose database the run gets a fresh schema, dropped after it
   */
  static Measured run(Path tmp, String yaml, int tasks, Observe observe, String pg)
      throws IOException {
    Path dir = Files.createTempDirectory(tmp, "weir-bench-");
    String schema = null;
    long cpu0 = -1;
    long alloc0 = -1;
    Map<String, Long> ticks0 = Map.of();
    try {
      Path home = dir.resolve(".weir");
      if (pg != null) {
        try {
          schema = PgSchemas.create(pg, "weir_engine_bench");
        } catch (java.sql.SQLException e) {
          throw new IOException("cannot make a schema on " + pg, e);
        }
      }
      var store =
          new TimedStore(
              schema == null
                  ? JdbcStateStore.h2(home)
                  : JdbcStateStore.open(schema, null, null, "bench PostgreSQL store"),
              observe == Observe.OFF
                  || (observe == Observe.ON
                      && !System.getProperty("weir.bench.observe", "audit").contains("audit")));
      var listeners = new dev.weir.engine.RunListeners();
      var closing = new ArrayList<AutoCloseable>();
      try (var engine =
          new Engine(
              store, TaskRegistry.load(), new EngineOptions(home, null, null, null, listeners))) {
        String parts = System.getProperty("weir.bench.observe", "metrics,lineage,logs");
        if (observe == Observe.ON && parts.contains("listener")) {
          listeners.add(new dev.weir.engine.RunListener() {}); // the cost of having any listener
        }
        if (observe == Observe.ON && parts.contains("metrics")) {
          listeners.add(
              Boolean.getBoolean("weir.bench.freshMetrics")
                  ? new dev.weir.server.metrics.RunMetrics()
                  : METRICS);
        }
        if (observe == Observe.ON && parts.contains("lineage")) {
          var lineage =
              dev.weir.lineage.LineageEmitter.start(
                  dev.weir.lineage.LineageConfig.toFile(dir.resolve("lineage.jsonl")),
                  store,
                  engine.masker()::mask);
          listeners.add(lineage);
          closing.add(lineage);
        }
        if (observe == Observe.ON && parts.contains("logs")) {
          var logs = new dev.weir.logs.JsonLogFiles(dir.resolve("logs"), store, engine.masker());
          listeners.add(logs);
          closing.add(logs);
        }
        Path file = dir.resolve("flow.yaml");
        Files.writeString(file, yaml);
        long p0 = System.nanoTime();
        Flow flow = engine.parser().parse(file);
        long parse = System.nanoTime() - p0;
        Timeline timeline = Timeline.reset(tasks);
        if (observe != Observe.DEFAULT) {
          // each mode starts from a collected heap, so a collection left over from the run
          // before does not land in this one (what each mode allocates is reported apart)
          System.gc();
        }
        ticks0 = THREADS ? threadTicks() : Map.of();
        cpu0 = processCpuNanos();
        alloc0 = allocatedBytes();
        long begin = System.nanoTime();
        RunRecord done = engine.start(flow, file, Map.of(), "bench").await(Duration.ofMinutes(10));
        long end = System.nanoTime();
        if (THREADS) { // before the listeners' threads end
          var diff = new java.util.TreeMap<String, Long>();
          Map<String, Long> before = ticks0;
          threadTicks().forEach((k, v) -> diff.put(k, v - before.getOrDefault(k, 0L)));
          diff.values().removeIf(v -> v == 0);
          lastThreadTicks = diff;
        }
        if (done.state() != RunState.SUCCEEDED || !timeline.complete()) {
          throw new IllegalStateException(
              "benchmark run " + done.id() + " ended " + done.state() + ": " + done.error());
        }
        return new Measured(timeline, store.writes(), begin, end, parse);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("benchmark run did not finish in 10 minutes", e);
      } finally {
        long drain = 0;
        for (AutoCloseable c : closing) {
          long c0 = System.nanoTime();
          try {
            c.close(); // after the measurement: queued lineage events and log lines are written
          } catch (Exception e) {
            System.out.println("closing " + c + " failed: " + e);
          }
          // the lineage backlog is work the run caused; the log writer's shutdown is a poll
          if (c instanceof dev.weir.lineage.LineageEmitter) {
            drain = System.nanoTime() - c0;
          }
        }
        lastCpuNanos = cpu0 < 0 ? -1 : processCpuNanos() - cpu0;
        lastAllocatedBytes = alloc0 < 0 ? -1 : allocatedBytes() - alloc0;
        if (observe == Observe.ON) {
          lastDrainNanos = drain;
          Path events = dir.resolve("lineage.jsonl");
          try (var lines = Files.lines(events)) {
            lastLineageEvents = Files.exists(events) ? lines.count() : 0;
          } catch (IOException e) {
            lastLineageEvents = -1;
          }
        }
        store.close();
      }
    } finally {
      if (schema != null) {
        PgSchemas.drop(pg, schema);
      }
      delete(dir);
    }
  }

  /** {@code n} tasks, each after the one above it. */
  static String chainYaml(int n) {
    var sb = new StringBuilder("id: bench_chain\nnamespace: bench\ntasks:\n");
    for (int i = 0; i < n; i++) {
      sb.append("  - id: ").append(Timeline.taskId(i)).append("\n    type: bench.noop\n");
    }
    return sb.toString();
  }

  /** {@code n} independent tasks, at most {@code parallelism} at once. */
  static String fanoutYaml(int n, int parallelism) {
    var sb =
        new StringBuilder("id: bench_fanout\nnamespace: bench\nparallelism: ")
            .append(parallelism)
            .append("\ntasks:\n");
    for (int i = 0; i < n; i++) {
      sb.append("  - id: ")
          .append(Timeline.taskId(i))
          .append("\n    type: bench.noop\n    dependsOn: []\n");
    }
    return sb.toString();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(p -> {
            try {
              Files.delete(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
