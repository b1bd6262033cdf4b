package dev.weir.bench;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code sql.models}' {@code resume} saves on a retry: the generated project of {@link
 * ModelsBench} with one more model at its end that fails; after the fix, {@code weir retry} of the
 * run, timed as the retried attempt of the task, with {@code resume} (only the failed model runs)
 * and with {@code resume: false} (the whole project runs again), each in a fresh directory, DuckDB
 * file and H2 store. Medians over {@code --runs}.
 */
public final class ModelsRetryBench {
  private static final String SCHEMA = "analytics";
  private static final String LATE = "models/zz_late.sql";

  private ModelsRetryBench() {}

  public static void main(String[] args) throws Exception {
    var o = BenchOptions.parse(args, "models", "rows", "runs", "threads", "dir");
    int models = o.number("models", 200);
    int rows = o.number("rows", 100);
    int runs = o.number("runs", 5);
    int threads = o.number("threads", 4);
    Path dir = o.dir();
    System.out.printf(
        "weir sql.models retry benchmark: java %s, %d cpus, load %s%n",
        Runtime.version(), Runtime.getRuntime().availableProcessors(), Machine.loadAverage());
    Path work = Files.createTempDirectory(dir, "weir-models-retry-bench-");
    try {
      var first = new ArrayList<Long>();
      var resumed = new ArrayList<Long>();
      var full = new ArrayList<Long>();
      for (int r = -1; r < runs; r++) { // one warm-up
        long[] yes = retry(work, models, rows, threads, true);
        long[] no = retry(work, models, rows, threads, false);
        System.out.printf(
            Locale.ROOT,
            "%-8s first attempt %6.0f ms | retry with resume %6.0f ms (%d nodes run) |"
                + " retry with resume: false %6.0f ms (%d nodes run)%n",
            r < 0 ? "warm-up" : "run " + (r + 1),
            yes[0] / 1e6,
            yes[1] / 1e6,
            yes[2],
            no[1] / 1e6,
            no[2]);
        if (r >= 0) {
          first.add(yes[0]);
          resumed.add(yes[1]);
          full.add(no[1]);
        }
      }
      long f = Stats.median(first);
      long y = Stats.median(resumed);
      long n = Stats.median(full);
      System.out.printf(
          Locale.ROOT,
          "%nmedians of %d runs (threads %d): first attempt %.0f ms; retry with resume %.0f ms,"
              + " with resume: false %.0f ms; resume takes %.1f%% of the full retry (%.1fx faster)%n",
          runs,
          threads,
          f / 1e6,
          y / 1e6,
          n / 1e6,
          100.0 * y / n,
          (double) n / y);
    } finally {
      Machine.delete(work);
    }
  }

  /**
   * A run that fails at its last model, then the fix and {@code weir retry}: {first attempt's task
   * time, retried attempt's task time, nodes the retry ran}.
   */
  private static long[] retry(Path work, int models, int rows, int threads, boolean resume)
      throws Exception {
    Path dir = Files.createTempDirectory(work, "weir-run-");
    try {
      var written = GeneratedProject.write(dir.resolve("project"), models, rows);
      String last =
          "m_%03d".formatted(models - GeneratedProject.SOURCES - GeneratedProject.STAGING - 2);
      Path late = written.root().resolve(LATE);
      Files.writeString(
          late,
          "select * from {{ ref('" + last + "') }} where id in (select id from not_there_yet)\n");
      Files.writeString(
          dir.resolve("weir.yaml"),
          "connections:\n  warehouse: {url: 'jdbc:duckdb:" + dir.resolve("target.duckdb") + "'}\n");
      Path file = dir.resolve("flow.yaml");
      Files.writeString(
          file,
          "id: bench_models\nnamespace: bench\ntasks:\n  - id: models\n    type: sql.models\n"
              + "    project: '"
              + written.root()
              + "'\n    target: {connection: warehouse, schema: "
              + SCHEMA
              + "}\n    threads: "
              + threads
              + "\n    resume: "
              + resume
              + "\n");
      Path home = dir.resolve(".weir");
      try (var store = JdbcStateStore.h2(home);
          var engine =
              new Engine(
                  store, TaskRegistry.load(), new EngineOptions(home, null, null, null, null))) {
        var flow = engine.parser().parse(file);
        RunRecord failed =
            engine.start(flow, file, Map.of(), "bench").await(Duration.ofMinutes(10));
        if (failed.state() != RunState.FAILED) {
          throw new IllegalStateException("the first attempt ended " + failed.state());
        }
        Files.writeString(late, "select * from {{ ref('" + last + "') }}\n");
        RunRecord done = engine.retry(failed.id()).await(Duration.ofMinutes(10));
        if (done.state() != RunState.SUCCEEDED) {
          throw new IllegalStateException("the retry ended " + done.state() + ": " + done.error());
        }
        List<TaskRunRecord> attempts =
            store.taskRuns(done.id()).stream().filter(t -> t.taskId().equals("models")).toList();
        TaskRunRecord one = attempts.getFirst();
        TaskRunRecord two = attempts.getLast();
        long ran =
            store.taskRuns(done.id()).stream()
                .filter(t -> t.taskId().startsWith("models/") && t.attempt() == two.attempt())
                .count();
        return new long[] {took(one), took(two), ran};
      }
    } finally {
      Machine.delete(dir);
    }
  }

  private static long took(TaskRunRecord t) {
    return Duration.between(t.startedAt(), t.endedAt()).toNanos();
  }
}
