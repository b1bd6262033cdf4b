package dev.weir.server.metrics;

import dev.weir.engine.RunListener;
import dev.weir.flow.TaskDef;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts what runs do, as the engine tells it: run and task-run endings by final state, their
 * durations, retries and rows, in client_java counters and histograms of the server's registry.
 * Cheap on the engine's threads: each run holds its flow's series, and each task's data points are
 * found once per flow and kept, so a change costs a small map read and an atomic add; no lock once
 * a label set has been seen.
 */
public final class RunMetrics implements RunListener {
  static final double[] RUN_BUCKETS = {
    1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400
  };
  static final double[] TASK_BUCKETS = {
    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200
  };

  private final Counter runs;
  private final Counter taskRuns;
  private final Histogram runDuration;
  private final Histogram taskDuration;
  private final Counter retries;
  private final Counter rows;

  /** Metrics of their own registry (a benchmark's, a test's). */
  public RunMetrics() {
    this(new PrometheusRegistry());
  }

  /** Registers the run and task families in {@code registry}, the one {@code /metrics} serves. */
  public RunMetrics(PrometheusRegistry registry) {
    runs =
        counter(
            registry,
            "weir_runs_total",
            "Runs that ended, by final state (a retried run counts each time it ends).",
            "namespace",
            "flow",
            "state");
    taskRuns =
        counter(
            registry,
            "weir_task_runs_total",
            "Task attempts that ended, by final state (a failed attempt that is retried counts"
                + " too).",
            "namespace",
            "flow",
            "task",
            "state");
    runDuration =
        histogram(
            registry,
            "weir_run_duration_seconds",
            "Time from a run's start to its end, by final state.",
            RUN_BUCKETS,
            "namespace",
            "flow",
            "state");
    taskDuration =
        histogram(
            registry,
            "weir_task_duration_seconds",
            "Time a task attempt ran (RUNNING to its end; waiting at a pool is not counted).",
            TASK_BUCKETS,
            "namespace",
            "flow",
            "task",
            "state");
    retries =
        counter(
            registry,
            "weir_task_retries_total",
            "Task attempts that failed and were scheduled to run again.",
            "namespace",
            "flow",
            "task");
    rows =
        counter(
            registry,
            "weir_rows_total",
            "Rows produced by task attempts that succeeded (their dataset's or their 'rows'"
                + " output).",
            "namespace",
            "flow",
            "task");
  }

  // no exemplars: they would look up a trace on every add, and runs are not traced
  private static Counter counter(
      PrometheusRegistry registry, String name, String help, String... labels) {
    return Counter.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .withoutExemplars()
        .register(registry);
  }

  // classic buckets only: a native histogram's buckets would be kept too, and Weir's are fixed
  private static Histogram histogram(
      PrometheusRegistry registry, String name, String help, double[] bounds, String... labels) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .classicOnly()
        .classicUpperBounds(bounds)
        .withoutExemplars()
        .register(registry);
  }

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

  /** The data points of one task of one flow, each taken from its metric on first use. */
  private final class TaskSeries {
    private static final int STATES = TaskState.values().length;
    final Flow flow;
    final String taskId;
    final CounterDataPoint[] ended = new CounterDataPoint[STATES];
    final DistributionDataPoint[] durations = new DistributionDataPoint[STATES];
    volatile CounterDataPoint rows;
    volatile CounterDataPoint retries;

    TaskSeries(Flow flow, String taskId) {
      this.flow = flow;
      this.taskId = taskId;
    }

    // a race makes two threads fetch the same data point from the metric: both get the one it holds
    CounterDataPoint ended(TaskState s) {
      var a = ended[s.ordinal()];
      if (a == null) {
        a = taskRuns.labelValues(flow.namespace, flow.flowId, taskId, s.name());
        ended[s.ordinal()] = a;
      }
      return a;
    }

    DistributionDataPoint duration(TaskState s) {
      var h = durations[s.ordinal()];
      if (h == null) {
        h = taskDuration.labelValues(flow.namespace, flow.flowId, taskId, s.name());
        durations[s.ordinal()] = h;
      }
      return h;
    }

    CounterDataPoint rows() {
      var a = rows;
      if (a == null) {
        a = RunMetrics.this.rows.labelValues(flow.namespace, flow.flowId, taskId);
        rows = a;
      }
      return a;
    }

    CounterDataPoint retries() {
      var a = retries;
      if (a == null) {
        a = RunMetrics.this.retries.labelValues(flow.namespace, flow.flowId, taskId);
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
  // sensors WAITING now, between two checks
  private final java.util.Set<Attempt> waiting = ConcurrentHashMap.newKeySet();

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
    runs.labelValues(run.namespace(), run.flowId(), state).inc();
    if (run.startedAt() != null && run.endedAt() != null) {
      runDuration
          .labelValues(run.namespace(), run.flowId(), state)
          .observe(seconds(Duration.between(run.startedAt(), run.endedAt())));
    }
  }

  @Override
  public void taskChanged(TaskDef task, TaskRunRecord r) {
    if (TaskRunRecord.isStepId(r.taskId())) {
      return; // a step (a model of sql.models): its task's own attempt is what the series count
    }
    TaskState s = r.state();
    if (s == TaskState.WAITING) {
      waiting.add(key(r));
      return;
    }
    if (!waiting.isEmpty()) {
      waiting.remove(key(r)); // checking again, or ended (cancelled, timed out)
    }
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
    // labelled by the task as written: a forEach's item task runs (group[key]/task) share it, so
    // a group of 10,000 items makes one series, not 10,000
    if (s == TaskState.RETRY_WAIT) {
      f.task(task.id()).retries().inc();
    } else if (s.isTerminal()) {
      TaskSeries t = f.task(task.id());
      t.ended(s).inc();
      Duration d = r.duration();
      if (d != null) {
        t.duration(s).observe(seconds(d));
      }
      if (s == TaskState.SUCCEEDED && r.rows() >= 0) {
        t.rows().inc(r.rows());
      }
    }
  }

  /** Task runs waiting now (for the flow's parallelism, a pool or an open circuit). */
  public int tasksQueued() {
    return queued.size();
  }

  /**
   * Sensors between two checks now (state WAITING). One waiting when the server started is counted
   * from its first check after the start.
   */
  public int tasksWaiting() {
    return waiting.size();
  }

  /** Since when the task run waiting longest has waited. */
  public Optional<Instant> oldestQueuedTask() {
    return queued.values().stream().filter(t -> t != Instant.MAX).min(Instant::compareTo);
  }

  private static Attempt key(TaskRunRecord r) {
    return new Attempt(r.runId(), r.taskId(), r.attempt());
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
