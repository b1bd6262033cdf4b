package dev.weir.server.metrics;

import dev.weir.engine.RunListener;
import dev.weir.flow.TaskDef;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what runs do, as the engine tells it: run and task-run endings by final state, their
 * durations, retries and rows. Cheap on the engine's threads: a map read and an adder per change,
 * no lock once a label set has been seen.
 */
public final class RunMetrics implements RunListener {
  static final double[] RUN_BUCKETS = {
    1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400
  };
  static final double[] TASK_BUCKETS = {
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200
  };

  final CounterFamily runs =
      new CounterFamily(
          "weir_runs_total",
          "Runs that ended, by final state (a retried run counts each time it ends).",
          "namespace",
          "flow",
          "state");
  final CounterFamily taskRuns =
      new CounterFamily(
          "weir_task_runs_total",
          "Task attempts that ended, by final state (a failed attempt that is retried counts too).",
          "namespace",
          "flow",
          "task",
          "state");
  final HistogramFamily runDuration =
      new HistogramFamily(
          "weir_run_duration_seconds",
          "Time from a run's start to its end, by final state.",
          RUN_BUCKETS,
          "namespace",
          "flow",
          "state");
  final HistogramFamily taskDuration =
      new HistogramFamily(
          "weir_task_duration_seconds",
          "Time a task attempt ran (RUNNING to its end; waiting at a pool is not counted).",
          TASK_BUCKETS,
          "namespace",
          "flow",
          "task",
          "state");
  final CounterFamily retries =
      new CounterFamily(
          "weir_task_retries_total",
          "Task attempts that failed and were scheduled to run again.",
          "namespace",
          "flow",
          "task");
  final CounterFamily rows =
      new CounterFamily(
          "weir_rows_total",
          "Rows produced by task attempts that succeeded (their dataset's or their 'rows' output).",
          "namespace",
          "flow",
          "task");

  private record Flow(String namespace, String flowId) {}

  // runs going now → their flow: task changes carry only the run id
  private final Map<String, Flow> going = new ConcurrentHashMap<>();
  // task runs QUEUED now ("run/task/attempt") → since when
  private final Map<String, Instant> queued = new ConcurrentHashMap<>();

  @Override
  public void runChanged(RunRecord run) {
    if (!run.state().isTerminal()) {
      if (!going.containsKey(run.id())) {
        going.put(run.id(), new Flow(run.namespace(), run.flowId()));
      }
      return;
    }
    going.remove(run.id());
    String state = run.state().name();
    runs.inc(run.namespace(), run.flowId(), state);
    if (run.startedAt() != null && run.endedAt() != null) {
      runDuration.observe(
          seconds(Duration.between(run.startedAt(), run.endedAt())),
          run.namespace(),
          run.flowId(),
          state);
    }
  }

  @Override
  public void taskChanged(TaskDef task, TaskRunRecord r) {
    TaskState s = r.state();
    if (s == TaskState.QUEUED) {
      queued.put(key(r), r.queuedAt() == null ? Instant.MAX : r.queuedAt());
      return;
    }
    queued.remove(key(r));
    if (s == TaskState.RUNNING) {
      return;
    }
    Flow f = going.get(r.runId());
    if (f == null) {
      return; // not a run of this engine's (cannot happen: runs are told before their tasks)
    }
    if (s == TaskState.RETRY_WAIT) {
      retries.inc(f.namespace(), f.flowId(), r.taskId());
    } else if (s.isTerminal()) {
      taskRuns.inc(f.namespace(), f.flowId(), r.taskId(), s.name());
      Duration d = r.duration();
      if (d != null) {
        taskDuration.observe(seconds(d), f.namespace(), f.flowId(), r.taskId(), s.name());
      }
      if (s == TaskState.SUCCEEDED && r.rows() >= 0) {
        rows.add(r.rows(), f.namespace(), f.flowId(), r.taskId());
      }
    }
  }

  /** Task runs waiting now (for the flow's parallelism, a pool or an open circuit). */
  public int tasksQueued() {
    return queued.size();
  }

  /** Since when the task run waiting longest has waited. */
  public Optional<Instant> oldestQueuedTask() {
    return queued.values().stream().filter(t -> t != Instant.MAX).min(Instant::compareTo);
  }

  void write(PromText out) {
    runs.write(out);
    taskRuns.write(out);
    runDuration.write(out);
    taskDuration.write(out);
    retries.write(out);
    rows.write(out);
  }

  private static String key(TaskRunRecord r) {
    return r.runId() + "/" + r.taskId() + "/" + r.attempt();
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
