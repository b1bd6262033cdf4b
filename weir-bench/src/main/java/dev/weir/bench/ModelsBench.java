package dev.weir.bench;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.engine.RunListeners;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.TaskRegistry;
import dev.weir.tasks.models.DbtProject;
import dev.weir.tasks.models.GraphNode;
import dev.weir.tasks.models.ModelCompiler;
import dev.weir.tasks.models.NodeResult;
import dev.weir.tasks.models.ProjectRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weir's overhead per node of a {@code sql.models} run (issue 17: ≤ 20 ms per model beyond the
 * SQL's own time), on a generated project ({@link GeneratedProject}: 200 models by default) and
 * DuckDB files. Each round, interleaved so the machine's drift hits all alike, each on a fresh
 * DuckDB file:
 *
 * <ul>
 *   <li><b>baseline</b>: the nodes' SQL compiled beforehand by Weir's library ({@link
 *       ModelCompiler}, as {@code weir models compile}), run as plain {@code CREATE TABLE|VIEW …
 *       AS}, {@code read_csv} seeds and {@code SELECT count(*)} tests over one JDBC connection;
 *   <li><b>library</b>: {@link DbtProject#load} + {@link ProjectRunner} on one connection, no
 *       engine (what the task does, minus the engine and the store);
 *   <li><b>weir</b>: a flow of one {@code sql.models} task ({@code threads: 1}) on an in-process
 *       {@link Engine} with the durable H2 store, as {@code weir run} runs it: the task run's
 *       stored start → end, and the run's wall time;
 *   <li><b>weir, threads N</b>: the same with {@code threads: N} (default 4).
 * </ul>
 *
 * Then compile-only: load + parse + compile every model and test, warm. Arguments: {@code
 * --models=200 --rows=100 --runs=5 --warmup=1 --threads=4 --dir=/tmp --keep=false}.
 */
public final class ModelsBench {
  private static final String SCHEMA = "analytics";

  private ModelsBench() {}

  public static void main(String[] args) throws Exception {
    var o = BenchOptions.parse(args, "models", "rows", "runs", "warmup", "threads", "dir", "keep");
    int models = o.number("models", 200);
    int rows = o.number("rows", 100);
    int runs = o.number("runs", 5);
    int warmup = o.number("warmup", 1);
    int threads = o.number("threads", 4);
    Path dir = o.dir();
    System.out.printf(
        "weir sql.models benchmark: java %s, %d cpus, load %s%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), Machine.loadAverage());

    Path work = Files.createTempDirectory(dir, "weir-models-bench-");
    try {
      var written = GeneratedProject.write(work.resolve("project"), models, rows);
      DbtProject project = DbtProject.load(written.root());
      var nodes = CompiledNodes.of(project, SCHEMA);
      int n = written.nodes();
      System.out.printf(
          "project: %d models (%d ephemeral, inlined), %d seeds, %d tests = %d nodes run;"
              + " %d rows per source table, %d per seed; %s%n%n",
          written.models(),
          written.ephemeral(),
          written.seeds(),
          written.tests(),
          n,
          rows,
          GeneratedProject.SEED_ROWS,
          written.root());
      if (nodes.size() != n) {
        throw new IllegalStateException(
            "the baseline has " + nodes.size() + " statements for " + n + " nodes");
      }
      var base = new ArrayList<Long>();
      var lib = new ArrayList<Long>();
      var task1 = new ArrayList<Long>();
      var wall1 = new ArrayList<Long>();
      var taskN = new ArrayList<Long>();
      var wallN = new ArrayList<Long>();
      for (int r = -warmup; r < runs; r++) {
        String label = r < 0 ? "warm-up" : "run " + (r + 1);
        long b = nodes.run(work.resolve("baseline-" + (r + warmup) + ".duckdb"));
        double c0 = Machine.ownCpuSeconds();
        long l = library(project, work.resolve("library-" + (r + warmup) + ".duckdb"), n);
        double c1 = Machine.ownCpuSeconds();
        long[] w1 = weir(work, written.root(), 1, n);
        double c2 = Machine.ownCpuSeconds();
        System.out.printf(
            Locale.ROOT,
            "         CPU of this process: library %.0f ms, weir threads 1 %.0f ms%n",
            (c1 - c0) * 1e3,
            (c2 - c1) * 1e3);
        long[] wn = weir(work, written.root(), threads, n);
        System.out.printf(
            Locale.ROOT,
            "%-8s baseline %6.0f ms | library %6.0f ms | weir threads 1: task %6.0f ms, run %6.0f"
                + " ms | threads %d: task %6.0f ms, run %6.0f ms | overhead %.2f ms/node%n",
            label,
            b / 1e6,
            l / 1e6,
            w1[0] / 1e6,
            w1[1] / 1e6,
            threads,
            wn[0] / 1e6,
            wn[1] / 1e6,
            (w1[0] - b) / 1e6 / n);
        if (r >= 0) {
          base.add(b);
          lib.add(l);
          task1.add(w1[0]);
          wall1.add(w1[1]);
          taskN.add(wn[0]);
          wallN.add(wn[1]);
        }
      }
      long[] compile = compileOnly(written.root(), warmup, runs);
      var baseTimed = new TimedConnection();
      long bt = nodes.run(work.resolve("baseline-timed.duckdb"), baseTimed::wrap);
      var libTimed = new TimedConnection();
      long lt = library(project, work.resolve("library-timed.duckdb"), n, libTimed::wrap);

      var over = new double[base.size()];
      for (int i = 0; i < over.length; i++) {
        over[i] = (task1.get(i) - base.get(i)) / 1e6 / n;
      }
      long mb = Stats.median(base);
      long mt = Stats.median(task1);
      System.out.printf(
          Locale.ROOT,
          "%nmedians over %d runs (%d nodes: %d seeds, %d built models, %d tests):%n",
          base.size(),
          n,
          written.seeds(),
          written.models() - written.ephemeral(),
          written.tests());
      System.out.printf(
          Locale.ROOT,
          "baseline (the SQL's own time, plain JDBC)  %7.0f ms  (%.2f ms/node; min %.0f, max %.0f)%n",
          mb / 1e6,
          mb / 1e6 / n,
          min(base) / 1e6,
          max(base) / 1e6);
      System.out.printf(
          Locale.ROOT,
          "library (load + ProjectRunner, no engine) %7.0f ms  (%.2f ms/node over the baseline)%n",
          Stats.median(lib) / 1e6,
          (Stats.median(lib) - mb) / 1e6 / n);
      System.out.printf(
          Locale.ROOT,
          "weir threads 1: task run (stored)          %7.0f ms  (min %.0f, max %.0f); whole run %.0f"
              + " ms%n",
          mt / 1e6,
          min(task1) / 1e6,
          max(task1) / 1e6,
          Stats.median(wall1) / 1e6);
      System.out.printf(
          Locale.ROOT,
          "OVERHEAD per node (task − baseline) / %d: median %.2f ms (per-run %.2f..%.2f);"
              + " %.2f× the baseline; target ≤ 20 ms/model: %s%n",
          n,
          Stats.medianOf(over),
          Stats.min(over),
          Stats.max(over),
          (double) mt / mb,
          Stats.medianOf(over) <= 20 ? "MET" : "NOT MET");
      System.out.printf(
          Locale.ROOT,
          "  same per model (/ %d models): %.2f ms%n",
          written.models(),
          (mt - mb) / 1e6 / written.models());
      System.out.printf(
          Locale.ROOT,
          "compile only (load %.0f ms + parse & graph %.0f ms + compile %d models and %d tests %.0f"
              + " ms, warm): %.2f ms/model%n",
          compile[0] / 1e6,
          compile[1] / 1e6,
          written.models(),
          written.tests(),
          compile[2] / 1e6,
          (compile[0] + compile[1] + compile[2]) / 1e6 / written.models());
      System.out.printf(
          Locale.ROOT,
          "weir threads %d: task run %.0f ms, whole run %.0f ms; speed-up vs threads 1: %.2f×%n",
          threads,
          Stats.median(taskN) / 1e6,
          Stats.median(wallN) / 1e6,
          (double) mt / Stats.median(taskN));
      System.out.printf(
          Locale.ROOT,
          "%nwhere the time goes, one more run of each with every statement timed:%n"
              + "baseline %.0f ms:%n",
          bt / 1e6);
      printTallies(baseTimed);
      System.out.printf(Locale.ROOT, "library (the task's runner) %.0f ms:%n", lt / 1e6);
      printTallies(libTimed);
      System.out.printf("%nload at the end: %s%n", Machine.loadAverage());
    } finally {
      if (!Boolean.parseBoolean(o.text("keep", "false"))) {
        Machine.delete(work);
      }
    }
  }

  /** The task's work without the engine: load, compile, run every node on a fresh file. */
  private static long library(DbtProject given, Path file, int nodes) throws Exception {
    return library(given, file, nodes, c -> c);
  }

  private static long library(
      DbtProject given, Path file, int nodes, java.util.function.UnaryOperator<Connection> wrap)
      throws Exception {
    long t0 = System.nanoTime();
    DbtProject project = DbtProject.load(given.root());
    List<NodeResult> results;
    try (var c = wrap.apply(DriverManager.getConnection("jdbc:duckdb:" + file))) {
      results =
          new ProjectRunner(project, CompiledNodes.options(project, SCHEMA), c).run(null, null);
    }
    long t = System.nanoTime() - t0;
    var bad = results.stream().filter(r -> r.status() != NodeResult.Status.SUCCESS).toList();
    if (!bad.isEmpty() || results.size() != nodes) {
      throw new IllegalStateException(
          "library run: " + results.size() + " results for " + nodes + " nodes; not ok: " + bad);
    }
    return t;
  }

  /**
   * One run of a flow with one {@code sql.models} task on a fresh engine, H2 store and DuckDB file:
   * {task run's stored start → end, the run's wall time}, in nanoseconds.
   */
  private static long[] weir(Path work, Path project, int threads, int nodes) throws Exception {
    Path dir = Files.createTempDirectory(work, "weir-run-");
    TimedStore store; // notes the engine's writes and log appends, for EngineShare
    try {
      Path home = dir.resolve(".weir");
      Files.writeString(
          dir.resolve("weir.yaml"),
          "connections:\n  warehouse: {url: 'jdbc:duckdb:" + dir.resolve("target.duckdb") + "'}\n");
      Path file = dir.resolve("flow.yaml");
      Files.writeString(
          file,
          "id: bench_models\nnamespace: bench\ntasks:\n  - id: models\n    type: sql.models\n"
              + "    project: '"
              + project
              + "'\n    target: {connection: warehouse, schema: "
              + SCHEMA
              + "}\n    threads: "
              + threads
              + "\n");
      var cpu = new TaskCpu("models");
      try (var jdbc = JdbcStateStore.h2(home);
          var engine =
              new Engine(
                  store = new TimedStore(jdbc),
                  TaskRegistry.load(),
                  new EngineOptions(home, null, null, null, new RunListeners().add(cpu)))) {
        var flow = engine.parser().parse(file);
        long begin = System.nanoTime();
        RunRecord done = engine.start(flow, file, Map.of(), "bench").await(Duration.ofMinutes(10));
        long wall = System.nanoTime() - begin;
        if (done.state() != RunState.SUCCEEDED) {
          throw new IllegalStateException(
              "benchmark run " + done.id() + " ended " + done.state() + ": " + done.error());
        }
        TaskRunRecord t =
            store.taskRuns(done.id()).stream()
                .filter(x -> x.taskId().equals("models") && x.endedAt() != null)
                .reduce((a, b) -> b)
                .orElseThrow();
        if (!t.outputs().contains("\"failed\":0") || !t.outputs().contains("\"skipped\":0")) {
          throw new IllegalStateException("the task's outputs: " + t.outputs());
        }
        System.out.println(
            "         threads " + threads + ": " + EngineShare.of(store, done.id(), t));
        System.out.println("         " + cpu.summary());
        return new long[] {Duration.between(t.startedAt(), t.endedAt()).toNanos(), wall};
      }
    } finally {
      Machine.delete(dir);
    }
  }

  /** Medians of {load, parse + graph, compile every model and test} in nanoseconds, warm. */
  private static long[] compileOnly(Path root, int warmup, int runs) {
    var load = new ArrayList<Long>();
    var parse = new ArrayList<Long>();
    var compile = new ArrayList<Long>();
    for (int r = -warmup - 2; r < runs; r++) {
      long t0 = System.nanoTime();
      DbtProject project = DbtProject.load(root);
      long t1 = System.nanoTime();
      var compiler = new ModelCompiler(project, CompiledNodes.options(project, SCHEMA));
      var graph = compiler.graph();
      long t2 = System.nanoTime();
      int chars = 0;
      for (GraphNode n : graph.inOrder()) {
        if (n.type() == GraphNode.Type.MODEL) {
          chars += compiler.compile(n.name()).sql().length();
        } else if (n.type() == GraphNode.Type.TEST) {
          chars += compiler.compileTestNamed(n.name()).length();
        }
      }
      long t3 = System.nanoTime();
      if (chars == 0) {
        throw new IllegalStateException("nothing compiled");
      }
      if (r >= 0) {
        load.add(t1 - t0);
        parse.add(t2 - t1);
        compile.add(t3 - t2);
      }
    }
    return new long[] {Stats.median(load), Stats.median(parse), Stats.median(compile)};
  }

  private static void printTallies(TimedConnection timed) {
    long total = 0;
    for (var e : timed.tallies().entrySet()) {
      total += e.getValue().nanos;
      System.out.printf(
          Locale.ROOT,
          "  %6d × %-62s %7.1f ms  (%.2f ms each)%n",
          e.getValue().calls,
          e.getKey(),
          e.getValue().nanos / 1e6,
          e.getValue().nanos / 1e6 / e.getValue().calls);
    }
    System.out.printf(Locale.ROOT, "  all statements and commits: %.0f ms%n", total / 1e6);
  }

  private static long min(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).min().orElse(0);
  }

  private static long max(List<Long> v) {
    return v.stream().mapToLong(Long::longValue).max().orElse(0);
  }
}
