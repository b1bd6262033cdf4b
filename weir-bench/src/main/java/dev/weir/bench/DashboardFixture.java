package dev.weir.bench;

import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The stored history the overview, flows and datasets benchmarks read (issue 12): {@code runs} runs
 * of 200 flows ({@code ns0..ns19} × {@code flow0..flow9}) over the 90 days before {@link #NOW}, the
 * runs list bench's pattern; each run has a task {@code notify}, and the runs of the first 25 flows
 * also tasks {@code extract} and {@code load} that stage a dataset: 50 datasets, about 150,000 task
 * runs for 100,000 runs. Only ended runs, so that a server opened on the store adopts none.
 */
final class DashboardFixture {
  static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  static final int NAMESPACES = 20;
  static final int FLOWS_PER_NAMESPACE = 10;
  static final int DATASET_FLOWS = 25;

  private DashboardFixture() {}

  static boolean writesDatasets(int namespace, int flow) {
    return namespace * FLOWS_PER_NAMESPACE + flow < DATASET_FLOWS;
  }

  /** Writes the runs and task runs, 1,000 runs a transaction. */
  static void fill(StateStore store, int runs) {
    var rnd = new Random(42);
    var batch = new ArrayList<RunRecord>();
    var tasks = new ArrayList<TaskRunRecord>();
    for (int i = 0; i < runs; i++) {
      Instant created = NOW.minusMillis((long) (rnd.nextDouble() * Duration.ofDays(90).toMillis()));
      int p = rnd.nextInt(100);
      RunState state = p < 86 ? RunState.SUCCEEDED : p < 96 ? RunState.FAILED : RunState.CANCELLED;
      Instant started = created.plusMillis(rnd.nextInt(2000));
      Instant ended = started.plusMillis((long) Math.exp(7 + rnd.nextDouble() * 8.9));
      int ns = rnd.nextInt(NAMESPACES);
      int flow = rnd.nextInt(FLOWS_PER_NAMESPACE);
      String id = "run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
      batch.add(
          new RunRecord(
              id,
              "ns" + ns,
              "flow" + flow,
              "rev0123456789abc",
              null,
              state,
              "{}",
              null,
              "schedule",
              1,
              created,
              started,
              ended,
              state == RunState.FAILED ? "task 'load' failed" : null,
              null));
      TaskState taskState = state == RunState.SUCCEEDED ? TaskState.SUCCEEDED : TaskState.FAILED;
      if (writesDatasets(ns, flow)) {
        for (String task : List.of("extract", "load")) {
          tasks.add(
              TaskRunRecord.pending(id, task, 1, 1)
                  .ended(
                      taskState, ended, null, "{}", "{\"path\": \"" + task + ".parquet\"}", 1000));
        }
      }
      tasks.add(
          TaskRunRecord.pending(id, "notify", 1, 1).ended(taskState, ended, null, "{}", null, -1));
      if (batch.size() == 1000) {
        store.write(new StateStore.Batch(batch, List.of(), tasks, List.of()));
        batch.clear();
        tasks.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.write(new StateStore.Batch(batch, List.of(), tasks, List.of()));
    }
  }

  /** One flow file per flow, in {@code dir}; the dataset flows' tasks stage a table. */
  static void writeFlows(Path dir) throws java.io.IOException {
    Files.createDirectories(dir);
    for (int ns = 0; ns < NAMESPACES; ns++) {
      for (int f = 0; f < FLOWS_PER_NAMESPACE; f++) {
        var yaml = new StringBuilder();
        yaml.append("id: flow").append(f).append("\nnamespace: ns").append(ns).append("\ntasks:\n");
        if (writesDatasets(ns, f)) {
          yaml.append("  - {id: extract, type: shell, command: \"true\"}\n");
          yaml.append("  - {id: load, type: shell, command: \"true\"}\n");
        }
        yaml.append("  - {id: notify, type: shell, command: \"true\"}\n");
        Files.writeString(dir.resolve("ns" + ns + "_flow" + f + ".yaml"), yaml);
      }
    }
  }

  static void deleteTree(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
