package dev.weir.bench;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.engine.StreamEvent;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.TaskRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Change data capture (issue 16): a PostgreSQL with {@code wal_level=logical} of the benchmark's
 * own is the source; a {@code cdc.postgres} flow runs on an in-process {@link Engine} (as {@code
 * weir run} does) into a second database of the same server and into a DuckDB file.
 *
 * <ul>
 *   <li><b>Sustained</b>: {@link ChangeLoad} writes inserts, updates and deletes in transactions of
 *       {@code --txn} changes over three tables at a stepped rate for {@code --seconds} each, while
 *       the stream applies them; per step the changes applied per second and the lag (source commit
 *       → target commit) p50/p99 over every change of the step, from the engine's {@link
 *       StreamEvent.BatchApplied} reports.
 *   <li><b>Catch-up</b>: {@code --catchup} changes written while no stream runs, then the flow
 *       started with {@code stopWhen: caughtUp}: changes/s.
 *   <li><b>Baselines, same run</b>: the load generator flat out with no slot at all (what the
 *       source takes), and Debezium's engine alone on the catch-up changes with a consumer that
 *       only counts (what the apply costs, by difference).
 * </ul>
 *
 * <p>Arguments: {@code --rates=5000,10000,20000,30000 --seconds=20 --txn=100 --rows=20000
 * --catchup=300000 --rounds=1 --targets=pg,duck --baseline=10 --warmup=5 --maxBatch=10000
 * --maxLatency=1s --work=/tmp/weir-cdcbench --pgSettings=fsync=off,...}
 */
public final class CdcBench {
  private final Map<String, String> args;
  private final Path work;
  private final int txn;
  private final int rows;
  private LogicalPostgres pg;
  private String src;
  private ChangeLoad load;
  private final List<String> results = new ArrayList<>();

  private CdcBench(Map<String, String> args) {
    this.args = args;
    this.work = Path.of(args.getOrDefault("work", "/tmp/weir-cdcbench"));
    this.txn = Integer.parseInt(args.getOrDefault("txn", "100"));
    this.rows = Integer.parseInt(args.getOrDefault("rows", "20000"));
  }

  public static void main(String[] argv) throws Exception {
    var args = new HashMap<String, String>();
    for (String a : argv) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      args.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    new CdcBench(args).run();
    System.exit(0); // Debezium leaves non-daemon threads behind
  }

  private void run() throws Exception {
    if (Files.exists(work)) {
      Machine.delete(work);
    }
    Files.createDirectories(work);
    String settings = args.getOrDefault("pgSettings", "");
    pg = LogicalPostgres.start(settings.isBlank() ? List.of() : List.of(settings.split(",")));
    try {
      src = pg.url("postgres");
      sql(src, "CREATE DATABASE target");
      System.out.printf(
          Locale.ROOT,
          "CdcBench: %d cores, max heap %d MB, PostgreSQL %s (own server, wal_level=logical%s),"
              + " load %s%n",
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20,
          pg.version(),
          settings.isBlank() ? "" : ", " + settings,
          Machine.loadAverage());
      ChangeLoad.createTables(src, rows);
      load = new ChangeLoad(src, txn).startingAt(rows);
      baseline("no slot");
      List<String> targets = List.of(args.getOrDefault("targets", "pg,duck").split(","));
      for (String t : targets) {
        sustained(t);
      }
      int rounds = Integer.parseInt(args.getOrDefault("rounds", "1"));
      long n = Long.parseLong(args.getOrDefault("catchup", "300000"));
      if (n > 0) {
        sql(src, "CREATE PUBLICATION bench_cu FOR TABLE bench.t0, bench.t1, bench.t2");
        var raw = new double[rounds];
        var weir = new HashMap<String, double[]>();
        for (int r = 0; r < rounds; r++) {
          // fresh slots, made just before the changes: each reader starts at the first of them
          var slots = new ArrayList<String>(List.of("bench_raw_" + r));
          for (String t : targets) {
            slots.add("bench_cu_" + t + "_" + r);
          }
          for (String slot : slots) {
            sql(src, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
          }
          long t0 = System.nanoTime();
          long written = load.run(0, 3600, n);
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf(
              Locale.ROOT,
              "catch-up round %d: %,d changes written in %.1f s (%,.0f changes/s, %d idle slots"
                  + " holding WAL), load %s%n",
              r + 1,
              written,
              s,
              written / s,
              1 + targets.size(),
              Machine.loadAverage());
          raw[r] = new RawDebezium(pg, work, "bench_raw_" + r).drain(written);
          for (String t : targets) {
            weir.computeIfAbsent(t, x -> new double[rounds])[r] = catchUp(t, r, written);
          }
          for (String slot : slots) {
            awaitSlotInactive(slot);
            sql(src, "SELECT pg_drop_replication_slot('" + slot + "')");
          }
        }
        results.add(
            String.format(
                Locale.ROOT,
                "RESULT catch-up %,d changes: Debezium alone, no-op consumer: median %,.0f"
                    + " changes/s %s",
                n,
                Stats.medianOf(raw),
                Arrays.toString(round(raw))));
        for (String t : targets) {
          double m = Stats.medianOf(weir.get(t));
          results.add(
              String.format(
                  Locale.ROOT,
                  "RESULT catch-up %,d changes: weir cdc.postgres → %s: median %,.0f changes/s %s"
                      + " = %.2fx Debezium alone",
                  n,
                  t,
                  m,
                  Arrays.toString(round(weir.get(t))),
                  m / Stats.medianOf(raw)));
        }
      }
      load.close();
      System.out.println();
      results.forEach(System.out::println);
      System.out.println("load at the end: " + Machine.loadAverage());
    } finally {
      pg.close();
    }
  }

  private static long[] round(double[] v) {
    return Arrays.stream(v).mapToLong(Math::round).toArray();
  }

  /** The load generator flat out. */
  private void baseline(String what) throws Exception {
    double seconds = Double.parseDouble(args.getOrDefault("baseline", "10"));
    long[] cpu0 = Machine.cpuTicks();
    long t0 = System.nanoTime();
    long written = load.run(0, seconds, Long.MAX_VALUE);
    double s = (System.nanoTime() - t0) / 1e9;
    String line =
        String.format(
            Locale.ROOT,
            "RESULT baseline: load generator flat out, %s: %,.0f changes/s (%,d in %.1f s, txn of"
                + " %d; machine %.0f%% busy)",
            what,
            written / s,
            written,
            s,
            txn,
            100 * Machine.busyFraction(cpu0, Machine.cpuTicks()));
    System.out.println(line);
    results.add(line);
  }

  private String targetUrl(String target) {
    return switch (target) {
      case "pg" -> pg.url("target");
      case "duck" -> "jdbc:duckdb:" + work.resolve("target.duckdb");
      default -> throw new IllegalArgumentException("--targets: pg or duck, not " + target);
    };
  }

  /**
   * The flow file of a target reading {@code slot}; {@code caughtUp}: with {@code stopWhen:
   * caughtUp} and the catch-up publication.
   */
  private Path flow(String target, String slot, boolean caughtUp) throws Exception {
    Path dir = work.resolve("flow-" + slot);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("weir.yaml"),
        "connections:\n  src: {url: '" + src + "'}\n  dst: {url: '" + targetUrl(target) + "'}\n");
    Path file = dir.resolve(caughtUp ? "catchup.yaml" : "stream.yaml");
    Files.writeString(
        file,
        "id: cdc_"
            + slot
            + "\ntasks:\n  - id: cdc\n    type: cdc.postgres\n    connection: src\n"
            + "    tables: [bench.t0, bench.t1, bench.t2]\n    slot: "
            + slot
            + (caughtUp ? "\n    publication: bench_cu" : "")
            + "\n    snapshot: never\n    target: {connection: dst}\n    maxBatch: "
            + args.getOrDefault("maxBatch", "10000")
            + "\n    maxLatency: "
            + args.getOrDefault("maxLatency", "1s")
            + "\n"
            + (caughtUp ? "    stopWhen: caughtUp\n" : ""));
    return file;
  }

  private Engine engine(JdbcStateStore store, Path home, RunListener listener) {
    return new Engine(
        store, TaskRegistry.load(), new EngineOptions(home, null, null, null, listener, null));
  }

  /** Streams into {@code target} while the load steps through the rates. */
  private void sustained(String target) throws Exception {
    double seconds = Double.parseDouble(args.getOrDefault("seconds", "20"));
    Path home = work.resolve("home-" + target);
    var batches = new Batches();
    long[] firstStreamed = new long[ChangeLoad.TABLES];
    try (var store = JdbcStateStore.h2(home);
        var engine = engine(store, home, batches)) {
      Path file = flow(target, "bench_" + target, false);
      RunHandle run = engine.start(engine.parser().parse(file), file, Map.of(), "bench");
      awaitSlotActive("bench_" + target, run);
      for (int t = 0; t < ChangeLoad.TABLES; t++) {
        firstStreamed[t] = load.nextId(t);
      }
      // JIT and the target's first tables and statements: not measured
      double warmup = Double.parseDouble(args.getOrDefault("warmup", "5"));
      if (warmup > 0) {
        var mark = batches.mark();
        long written = load.run(5000, warmup, Long.MAX_VALUE);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (batches.appliedSince(mark) < written && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      }
      for (String r : args.getOrDefault("rates", "5000,10000,20000,30000").split(",")) {
        double rate = Double.parseDouble(r);
        var mark = batches.mark();
        var cpu = Cpu.now();
        long t0 = System.nanoTime();
        long written = load.run(rate, seconds, Long.MAX_VALUE);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        // then wait for the stream to apply all of it (bounded)
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (batches.appliedSince(mark) < written && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        var step = batches.since(mark);
        var used = cpu.until(Cpu.now());
        double span = (step.lastNanos() - t0) / 1e9;
        long[] lags = step.lags();
        String line =
            String.format(
                Locale.ROOT,
                "RESULT sustained → %s, target %,.0f changes/s: offered %,.0f/s, applied %,.0f/s"
                    + " (%,d of %,d, last %.1f s after the load's end), lag p50 %,d ms, p99 %,d"
                    + " ms, max %,d ms; %d batches of median %,d; CPU: machine %.0f%%, this JVM"
                    + " %.2f cores (%s), postgres %.2f cores",
                target,
                rate,
                written / loadSeconds,
                step.changes() / span,
                step.changes(),
                written,
                span - loadSeconds,
                Stats.percentile(lags, 50),
                Stats.percentile(lags, 99),
                lags.length == 0 ? 0 : Arrays.stream(lags).max().getAsLong(),
                step.batches(),
                Stats.median(step.sizes()),
                used.machineBusy() * 100,
                used.jvmCores(),
                used.threads(),
                used.postgresCores());
        System.out.println(line + ", load " + Machine.loadAverage());
        results.add(line);
        if (step.changes() < written) {
          System.out.println("the stream did not catch up within 120 s; stopping the steps");
          break;
        }
        if (step.changes() / span < 0.8 * written / loadSeconds) {
          System.out.println("applied < 80% of offered: higher rates skipped for " + target);
          break;
        }
      }
      run.cancel("benchmark done");
      RunRecord end = run.await(Duration.ofSeconds(120));
      System.out.println(
          "stream run " + end.state() + ": " + outputs(store, end.id()).replace('\n', ' '));
    }
    checkEqual(target, firstStreamed);
    long t0 = System.nanoTime();
    awaitSlotInactive("bench_" + target);
    System.out.printf(
        Locale.ROOT,
        "slot bench_%s inactive %.1f s after the run ended%n",
        target,
        (System.nanoTime() - t0) / 1e9);
    sql(src, "SELECT pg_drop_replication_slot('bench_" + target + "')");
  }

  /** The flow with stopWhen: caughtUp, over {@code expected} changes written while it was off. */
  private double catchUp(String target, int round, long expected) throws Exception {
    String slot = "bench_cu_" + target + "_" + round;
    Path home = work.resolve("home-" + slot);
    var batches = new Batches();
    try (var store = JdbcStateStore.h2(home);
        var engine = engine(store, home, batches)) {
      Path file = flow(target, slot, true);
      var cpu = Cpu.now();
      long t0 = System.nanoTime();
      RunRecord end =
          engine
              .start(engine.parser().parse(file), file, Map.of(), "bench")
              .await(Duration.ofMinutes(10));
      double s = (System.nanoTime() - t0) / 1e9;
      var used = cpu.until(Cpu.now());
      var step = batches.since(batches.first());
      String out = outputs(store, end.id());
      double rate = step.changes() / s;
      System.out.printf(
          Locale.ROOT,
          "catch-up → %s: run %s in %.1f s, %,d of %,d changes = %,.0f changes/s start to end"
              + " (task's eventsPerSecond %s, applyMillis %s); CPU: JVM %.2f cores, postgres"
              + " %.2f cores; load %s%n",
          target,
          end.state(),
          s,
          step.changes(),
          expected,
          rate,
          field(out, "eventsPerSecond"),
          field(out, "applyMillis"),
          used.jvmCores(),
          used.postgresCores(),
          Machine.loadAverage());
      if (step.changes() != expected) {
        System.out.println("  (applied count differs from written: " + out + ")");
      }
      return rate;
    }
  }

  private static String outputs(JdbcStateStore store, String runId) {
    for (TaskRunRecord t : store.taskRuns(runId)) {
      if (t.taskId().equals("cdc")) {
        return t.outputs() != null ? t.outputs() : "error: " + t.error();
      }
    }
    return "";
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*([0-9.]+)").matcher(json);
    return m.find() ? m.group(1) : "?";
  }

  private void awaitSlotActive(String slot, RunHandle run) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (run.completion().isDone()) {
        throw new IllegalStateException("the stream ended: " + run.await().error());
      }
      try (Connection c = DriverManager.getConnection(src);
          var rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
        if (rs.next() && rs.getBoolean(1)) {
          Thread.sleep(1000);
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("slot " + slot + " did not become active in 60 s");
  }

  /** Source and target hold the same streamed rows (count and sums), or the bench stops. */
  private void checkEqual(String target, long[] firstStreamed) throws Exception {
    for (int t = 0; t < ChangeLoad.TABLES; t++) {
      // the rows inserted while the stream ran (snapshot: never, and the baseline wrote before
      // the slot existed: rows older than these reach the target only when updated)
      String q =
          "SELECT count(*), sum(id), sum(a), sum(length(b)), min(id), max(id) FROM %s WHERE id >= "
              + firstStreamed[t];
      String a = row(src, q.formatted("bench.t" + t));
      String b = row(targetUrl(target), q.formatted("t" + t));
      if (!a.equals(b)) {
        throw new IllegalStateException(
            "target " + target + " table t" + t + " differs from the source: " + b + " vs " + a);
      }
    }
    System.out.println("target " + target + ": the tables equal the source's (count and sums)");
  }

  private static String row(String url, String query) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        var rs = c.createStatement().executeQuery(query)) {
      rs.next();
      var sb = new StringBuilder();
      for (int i = 1; i <= 6; i++) {
        sb.append(i == 1 ? "" : "|").append(new java.math.BigDecimal(rs.getString(i)));
      }
      return sb.toString();
    }
  }

  private void awaitSlotInactive(String slot) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(src);
          var rs =
              c.createStatement()
                  .executeQuery(
                      "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("slot " + slot + " still active 90 s after its stream ended");
  }

  static void sql(String url, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        var st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  /** The batches the engine reported, as they came. */
  static final class Batches implements RunListener {
    private final List<long[]> lags = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final List<Long> at = new ArrayList<>();

    record Step(long changes, int batches, long[] lags, List<Long> sizes, long lastNanos) {}

    @Override
    public synchronized void streamed(StreamEvent event) {
      if (event instanceof StreamEvent.BatchApplied b && b.changes() > 0) {
        lags.add(b.lagMillis());
        sizes.add(b.changes());
        at.add(System.nanoTime());
      }
    }

    synchronized int mark() {
      return sizes.size();
    }

    int first() {
      return 0;
    }

    synchronized long appliedSince(int mark) {
      long n = 0;
      for (int i = mark; i < sizes.size(); i++) {
        n += sizes.get(i);
      }
      return n;
    }

    synchronized Step since(int mark) {
      long n = appliedSince(mark);
      long[] all = lags.subList(mark, lags.size()).stream().flatMapToLong(Arrays::stream).toArray();
      var s = new ArrayList<Long>();
      sizes.subList(mark, sizes.size()).forEach(x -> s.add((long) x));
      return new Step(
          n,
          s.size(),
          all,
          s,
          at.isEmpty() || at.size() == mark ? System.nanoTime() : at.getLast());
    }
  }

  /**
   * CPU used between two readings: the machine, this JVM (by thread group), the postgres processes.
   */
  record Cpu(long[] machine, double jvm, double postgres, Map<String, Long> threads, long nanos) {
    static Cpu now() {
      var threads = new TreeMap<String, Long>();
      var mx = ManagementFactory.getThreadMXBean();
      for (var info : mx.dumpAllThreads(false, false)) {
        long t = mx.getThreadCpuTime(info.getThreadId());
        if (t > 0) {
          threads.merge(group(info.getThreadName()), t, Long::sum);
        }
      }
      return new Cpu(
          Machine.cpuTicks(),
          Machine.ownCpuSeconds(),
          Machine.cpuSecondsOf("postgres"),
          threads,
          System.nanoTime());
    }

    private static String group(String name) {
      return name.replaceAll("[0-9]+", "#");
    }

    record Used(double machineBusy, double jvmCores, double postgresCores, String threads) {}

    Used until(Cpu later) {
      double s = (later.nanos - nanos) / 1e9;
      var top = new ArrayList<Map.Entry<String, Long>>();
      later.threads.forEach((k, v) -> {
        long d = v - threads.getOrDefault(k, 0L);
        if (d > 0) {
          top.add(Map.entry(k, d));
        }
      });
      top.sort(Map.Entry.<String, Long>comparingByValue().reversed());
      var sb = new StringBuilder();
      for (var e : top.subList(0, Math.min(4, top.size()))) {
        sb.append(sb.isEmpty() ? "" : ", ")
            .append(e.getKey())
            .append(String.format(Locale.ROOT, " %.2f", e.getValue() / 1e9 / s));
      }
      return new Used(
          Machine.busyFraction(machine, later.machine),
          (later.jvm - jvm) / s,
          (later.postgres - postgres) / s,
          sb.toString());
    }
  }
}
