package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.flow.Dag;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import dev.weir.util.Suggest;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Some main tasks of a flow, run on their own — the development loop's {@code weir run --task ID}
 * and {@code --from ID}. The tasks before them do not run again: their outputs and staged datasets
 * are taken over from the latest earlier run of the flow (succeeded or failed) in which they all
 * succeeded, so every reused dataset comes from one run. The other tasks, {@code onFailure} and
 * {@code finally} included, are skipped.
 */
public final class TaskSelection {
  /** How far back to look for a run that has every dataset needed. */
  private static final int RUNS_LOOKED_AT = 50;

  /** Which tasks run. */
  public enum Mode {
    /** The task alone. */
    TASK("--task"),
    /** The task and every task after it. */
    FROM("--from");

    private final String option;

    Mode(String option) {
      this.option = option;
    }

    public String option() {
      return option;
    }
  }

  private final Mode mode;
  private final String taskId;
  private final Set<String> selected;
  private final RunRecord source;
  private final Map<String, TaskRunRecord> reused;

  private TaskSelection(
      Mode mode,
      String taskId,
      Set<String> selected,
      RunRecord source,
      Map<String, TaskRunRecord> reused) {
    this.mode = mode;
    this.taskId = taskId;
    this.selected = selected;
    this.source = source;
    this.reused = reused;
  }

  /**
   * Picks the tasks to run and the earlier run to reuse.
   *
   * @throws WeirException for an unknown task (with the closest ids), or when no earlier run in
   *     {@code store} produced what the tasks before the selection made
   */
  public static TaskSelection choose(Flow flow, Mode mode, String taskId, StateStore store) {
    List<String> main = flow.tasks().stream().map(TaskDef::id).toList();
    if (!main.contains(taskId)) {
      throw unknownTask(flow, mode, taskId, main);
    }
    Dag dag = new Dag(flow.tasks());
    var picked = new LinkedHashSet<String>();
    picked.add(taskId);
    if (mode == Mode.FROM) {
      var todo = new ArrayDeque<>(dag.downstream(taskId));
      while (!todo.isEmpty()) {
        String t = todo.pop();
        if (picked.add(t)) {
          todo.addAll(dag.downstream(t));
        }
      }
    }
    Set<String> selected = inFlowOrder(main, picked);
    var before = new LinkedHashSet<String>();
    selected.forEach(s -> before.addAll(dag.ancestors(s)));
    before.removeAll(selected);
    List<String> needed = List.copyOf(inFlowOrder(main, before));
    if (needed.isEmpty()) {
      return new TaskSelection(mode, taskId, selected, null, Map.of());
    }
    String firstMissing = needed.get(0);
    List<RunRecord> runs =
        store.listRuns(new StateStore.RunQuery(flow.namespace(), flow.id(), null, RUNS_LOOKED_AT));
    boolean newest = true;
    for (RunRecord run : runs) {
      if (run.state() != RunState.SUCCEEDED && run.state() != RunState.FAILED) {
        continue;
      }
      Map<String, TaskRunRecord> latest = latestAttempts(store.taskRuns(run.id()));
      Optional<String> missing =
          needed.stream()
              .filter(n -> latest.get(n) == null || !latest.get(n).state().isSuccessful())
              .findFirst();
      if (missing.isEmpty()) {
        var reused = new LinkedHashMap<String, TaskRunRecord>();
        needed.forEach(n -> reused.put(n, latest.get(n)));
        var chosen = new TaskSelection(mode, taskId, selected, run, reused);
        chosen.requireStagedData(flow, dag);
        return chosen;
      }
      if (newest) {
        firstMissing = missing.get();
        newest = false;
      }
    }
    throw new WeirException(
        "task "
            + needing(dag, selected, firstMissing)
            + " needs the dataset of "
            + firstMissing
            + ", which no earlier run of "
            + flow.id()
            + " produced; run the flow once without "
            + mode.option());
  }

  private static WeirException unknownTask(Flow flow, Mode mode, String taskId, List<String> main) {
    Optional<TaskDef> other = flow.task(taskId);
    if (other.isPresent()) {
      return new WeirException(
          mode.option()
              + " picks one of the main tasks of "
              + flow.id()
              + " ("
              + String.join(", ", main)
              + "); '"
              + taskId
              + "' is in "
              + other.get().phase().yamlKey());
    }
    return new WeirException(
        "flow "
            + flow.id()
            + " has no task '"
            + taskId
            + "'"
            + Suggest.didYouMean(taskId, main)
            + " (its tasks: "
            + String.join(", ", main)
            + ")");
  }

  /** A reused dataset whose staged file is gone (cleaned up) cannot feed anything. */
  private void requireStagedData(Flow flow, Dag dag) {
    for (TaskRunRecord r : reused.values()) {
      Dataset d = DatasetCodec.decode(r.dataset());
      if (d != null && !Files.exists(d.path())) {
        throw new WeirException(
            "task "
                + needing(dag, selected, r.taskId())
                + " needs the dataset of "
                + r.taskId()
                + ", which run "
                + source.id()
                + " of "
                + flow.id()
                + " staged in "
                + d.path()
                + "; that file is gone, so run the flow once without "
                + mode.option());
      }
    }
  }

  private static String needing(Dag dag, Set<String> selected, String ancestor) {
    return selected.stream()
        .filter(s -> dag.ancestors(s).contains(ancestor))
        .findFirst()
        .orElseThrow();
  }

  private static Set<String> inFlowOrder(List<String> order, Set<String> ids) {
    var out = new LinkedHashSet<String>();
    order.stream().filter(ids::contains).forEach(out::add);
    return out;
  }

  private static Map<String, TaskRunRecord> latestAttempts(List<TaskRunRecord> rows) {
    var latest = new LinkedHashMap<String, TaskRunRecord>();
    rows.forEach(r -> latest.merge(r.taskId(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b));
    return latest;
  }

  /** The tasks that run, in flow order. */
  public Set<String> selected() {
    return selected;
  }

  /** The run whose results are reused; empty when the selection needs nothing before it. */
  public Optional<RunRecord> source() {
    return Optional.ofNullable(source);
  }

  /** The tasks whose outputs and datasets are taken over, in flow order. */
  public List<String> reused() {
    return List.copyOf(reused.keySet());
  }

  /**
   * The rows a new run starts with, in flow order: reused attempts, pending ones for the selected
   * tasks, and skipped ones for the tasks that neither run nor are reused.
   */
  List<TaskRunRecord> rows(Flow flow, String runId, Instant now) {
    var rows = new ArrayList<TaskRunRecord>();
    for (TaskDef def : flow.allTasks()) {
      TaskRunRecord r = reused.get(def.id());
      if (r != null) {
        rows.add(r.reusedIn(runId));
      } else if (selected.contains(def.id())) {
        rows.add(TaskRunRecord.pending(runId, def.id(), 1, 1));
      } else {
        rows.add(
            TaskRunRecord.pending(runId, def.id(), 1, 1)
                .ended(
                    TaskState.SKIPPED,
                    now,
                    "not selected (" + mode.option() + " " + taskId + ")",
                    null,
                    null,
                    -1));
      }
    }
    return rows;
  }
}
