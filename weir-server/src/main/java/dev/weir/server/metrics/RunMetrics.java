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
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what runs do, as the engine tells it: run and task-run endings by final state, their
 * durations, retries and rows. Cheap on the engine's threads: each run holds its flow's series, and
 * each task's counters are found once per flow and kept, so a change costs a small map read and an
 * adder; no lock once a label set has been seen.
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

  private record FlowKey(String namespace, String flowId) {}

  /** A flow's task series, by task id: found once, then kept (flows and tasks are few). */
  private final class Flow {
    final String namespace;
    final String flowId;
    final Map<String, TaskSeries> tasks = new ConcurrentHashMap<>();

    Flow(FlowKey k) {
      this.namespace = k.namespace();
      this.flowId = k.flowId();
    }

    TaskSeries task(String taskId) {
      TaskSeries t = tasks.get(taskId);
      return t != null ? t : tasks.computeIfAbsent(taskId, id -> new TaskSeries(this, id));
    }
  }

  /** The counters of one task of one flow, each taken from its family on first use. */
  private final class TaskSeries {
    private static final int STATES = TaskState.values().length;
    final Flow flow;
    final String taskId;
    final LongAdder[] ended = new LongAdder[STATES];
    final HistogramFamily.Series[] durations = new HistogramFamily.Series[STATES];
    volatile LongAdder rows;
    volatile LongAdder retries;

    TaskSeries(Flow flow, String taskId) {
      this.flow = flow;
      this.taskId = taskId;
    }

    // a race makes two threads fetch the same adder from the family: both get the one it holds
    LongAdder ended(TaskState s) {
      var a = ended[s.ordinal()];
      if (a == null) {
        a = taskRuns.adder(flow.namespace, flow.flowId, taskId, s.name());
        ended[s.ordinal()] = a;
      }
      return a;
    }

    HistogramFamily.Series duration(TaskState s) {
      var h = durations[s.ordinal()];
      if (h == null) {
        h = taskDuration.series(flow.namespace, flow.flowId, taskId, s.name());
        durations[s.ordinal()] = h;
      }
      return h;
    }

    LongAdder rows() {
      var a = rows;
      if (a == null) {
        a = RunMetrics.this.rows.adder(flow.namespace, flow.flowId, taskId);
        rows = a;
      }
      return a;
    }

    LongAdder retries() {
      var a = retries;
      if (a == null) {
        a = RunMetrics.this.retries.adder(flow.namespace, flow.flowId, taskId);
        retries = a;
      }
      return a;
    }
  }

  private final Map<FlowKey, Flow> flows = new ConcurrentHashMap<>();
  // runs going now → their flow: task changes carry only the run id
  private final Map<String, Flow> going = new ConcurrentHashMap<>();
  // task runs QUEUED now → since when
  private final Map<Attempt, Instant> queued = new ConcurrentHashMap<>();

  // a key made of the record's own strings (their hashes are cached): no string built per change
  private record Attempt(String runId, String taskId, int attempt) {}

  @Override
  public void runChanged(RunRecord run) {
    if (!run.state().isTerminal()) {
      if (!going.containsKey(run.id())) {
        going.put(
            run.id(), flows.computeIfAbsent(new FlowKey(run.namespace(), run.flowId()), Flow::new));
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
    // a task leaves the queue by starting, or by ending without having started (cancelled,
    // skipped); an end after RUNNING has left it already and costs no lookup
    if ((s == TaskState.RUNNING || r.startedAt() == null) && !queued.isEmpty()) {
      queued.remove(key(r));
    }
    if (s == TaskState.RUNNING) {
      return;
    }
    Flow f = going.get(r.runId());
    if (f == null) {
      return; // not a run of this engine's (cannot happen: runs are told before their tasks)
    }
    if (s == TaskState.RETRY_WAIT) {
      f.task(r.taskId()).retries().increment();
    } else if (s.isTerminal()) {
      TaskSeries t = f.task(r.taskId());
      t.ended(s).increment();
      Duration d = r.duration();
      if (d != null) {
        taskDuration.observe(t.duration(s), seconds(d));
      }
      if (s == TaskState.SUCCEEDED && r.rows() >= 0) {
        t.rows().add(r.rows());
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

  private static Attempt key(TaskRunRecord r) {
    return new Attempt(r.runId(), r.taskId(), r.attempt());
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
