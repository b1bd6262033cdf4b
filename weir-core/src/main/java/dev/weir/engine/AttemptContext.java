package dev.weir.engine;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link TaskContext} of one attempt. */
final class AttemptContext implements TaskContext {
  private final RunScope scope;
  private final String taskId;
  private final int attempt;
  private final TaskLogger logger;
  private final AttemptControl control;
  private final Place place;
  private final dev.weir.flow.TaskDef.Phase phase;
  private final InstantSource clock;
  // where check results go: the store, or (on a worker) the attempt's result for its coordinator
  private volatile java.util.function.Consumer<java.util.List<dev.weir.store.CheckRecord>> checks;
  private Path stagingDir;
  private volatile dev.weir.deadletter.DeadLetters deadLetters =
      dev.weir.deadletter.DeadLetters.NONE;
  // what the task asked for: its inputs in the audit trail and lineage
  private final Map<String, Dataset> read = new LinkedHashMap<>();
  // who hears a continuous task's batches (the engine's listeners); nobody until told
  private volatile RunListener streamListener = RunListener.NONE;
  // where the attempt's steps go (see AttemptSteps); until told, they are only logged
  private volatile java.util.function.Supplier<AttemptSteps> stepsTo;
  private dev.weir.task.Steps steps;

  AttemptContext(
      RunScope scope,
      String taskId,
      int attempt,
      TaskLogger logger,
      AttemptControl control,
      Place place,
      dev.weir.flow.TaskDef.Phase phase,
      InstantSource clock) {
    this.scope = scope;
    this.taskId = taskId;
    this.attempt = attempt;
    this.logger = logger;
    this.control = control;
    this.place = place;
    this.phase = phase;
    this.clock = clock;
  }

  /** Sends what the task reports through {@link #stream()} to {@code listener}. */
  void streamTo(RunListener listener) {
    this.streamListener = listener;
  }

  @Override
  public dev.weir.task.StreamProgress stream() {
    return new dev.weir.task.StreamProgress() {
      @Override
      public void batchApplied(int changes, long[] lagMillis) {
        streamListener.streamed(
            new StreamEvent.BatchApplied(
                runId(), namespace(), flowId(), taskId, changes, lagMillis));
      }

      @Override
      public void waiting(int changes, long oldestLagMillis) {
        streamListener.streamed(
            new StreamEvent.Waiting(
                runId(), namespace(), flowId(), taskId, changes, oldestLagMillis));
      }

      @Override
      public void positionLost(String detail, boolean resnapshotting) {
        streamListener.streamed(
            new StreamEvent.PositionLost(
                runId(), namespace(), flowId(), taskId, detail, resnapshotting));
      }
    };
  }

  @Override
  public String runId() {
    return scope.runId;
  }

  @Override
  public String flowId() {
    return scope.flow.id();
  }

  @Override
  public String namespace() {
    return scope.flow.namespace();
  }

  @Override
  public String taskId() {
    return taskId;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public TaskLogger logger() {
    return logger;
  }

  @Override
  public Path workDir() {
    return scope.workDir;
  }

  @Override
  public synchronized Path stagingDir() {
    // per attempt: an attempt that timed out but ignores interrupts cannot clobber the next one
    if (stagingDir == null) {
      Path dir = scope.stagingDir(taskId).resolve(scope.staging.attemptDir(attempt));
      // an earlier attempt may have left half-written files: every attempt starts empty
      Staging.clear(dir);
      stagingDir = dir;
    }
    return stagingDir;
  }

  @Override
  public Dataset dataset(String name) {
    // inside a forEach item, a name means the task of the same item first
    String id = place.resolve(name, scope.datasets::containsKey);
    Dataset staged = scope.datasets.get(id);
    if (staged == null) {
      throw TaskFailedException.permanent(
          "task '"
              + id
              + "' has no dataset in this run (tasks with datasets: "
              + (scope.datasets.isEmpty() ? "none" : String.join(", ", scope.datasets.keySet()))
              + "); name a task that reads or transforms data");
    }
    Dataset d = here(id, staged);
    synchronized (read) {
      read.put(id, d);
    }
    return d;
  }

  @Override
  public Map<String, Dataset> upstreamDatasets() {
    var out = new LinkedHashMap<String, Dataset>();
    for (String a : place.ancestorRunIds()) {
      Dataset d = scope.datasets.get(a);
      if (d != null) {
        // by task id, as the flow names it
        out.put(a.substring(a.lastIndexOf('/') + 1), here(a, d));
      }
    }
    // onFailure and finally tasks see every dataset of the run
    if (phase != dev.weir.flow.TaskDef.Phase.MAIN) {
      scope.datasets.forEach((id, d) -> {
        if (!out.containsKey(id)) {
          out.put(id, here(id, d));
        }
      });
    }
    synchronized (read) {
      read.putAll(out);
    }
    return out;
  }

  // a dataset another node of a cluster staged is copied here first (see DatasetStaging)
  private Dataset here(String id, Dataset staged) {
    return scope.staging.local(scope.runId, id, staged, logger);
  }

  /** The datasets this attempt asked for so far, by task id. */
  Map<String, Dataset> datasetsRead() {
    synchronized (read) {
      return new LinkedHashMap<>(read);
    }
  }

  @Override
  public ConnectionConfig connection(String name) {
    try {
      return scope.project.connection(name, t -> scope.render(t, Map.of()));
    } catch (RuntimeException e) {
      throw TaskFailedException.permanent(e.getMessage());
    }
  }

  @Override
  public java.util.Optional<String> state(String key) {
    return scope.store.getState(namespace(), flowId(), taskId(), key);
  }

  @Override
  public void saveChecks(java.util.List<dev.weir.store.CheckRecord> checks) {
    var sink = this.checks;
    if (sink != null) {
      sink.accept(java.util.List.copyOf(checks));
    } else {
      scope.store.saveChecks(runId(), taskId, attempt, checks);
    }
  }

  /**
   * Check results go to {@code sink} instead of the store: a worker sends them with the attempt's
   * result, and the coordinator stores them, so a worker whose claim was lost writes none.
   */
  void keepChecks(java.util.function.Consumer<java.util.List<dev.weir.store.CheckRecord>> sink) {
    this.checks = sink;
  }

  @Override
  public java.util.List<Long> pastRowCounts(String taskId, int runs) {
    return scope.store.rowCountHistory(namespace(), flowId(), taskId, runId(), runs);
  }

  @Override
  public Map<String, String> environment() {
    return scope.childEnvironment;
  }

  @Override
  public String mask(String text) {
    return scope.services.secrets().masker().mask(text);
  }

  @Override
  public void onCancel(Runnable hook) {
    control.onCancel(hook);
  }

  @Override
  public boolean isCancelled() {
    return control.isCancelled();
  }

  @Override
  public void processStarted(ProcessHandle process, boolean ownGroup) {
    var record =
        new dev.weir.store.TaskProcess(
            runId(),
            taskId,
            attempt,
            process.pid(),
            ownGroup ? process.pid() : null,
            process.info().startInstant().orElse(null),
            Engine.host());
    try {
      scope.store.recordProcess(record);
    } catch (RuntimeException e) {
      logger.warn(
          "could not record process "
              + process.pid()
              + " in the state store ("
              + e.getMessage()
              + "); should Weir be killed while it runs, end it by hand before resuming the run");
    }
  }

  @Override
  public dev.weir.deadletter.DeadLetters deadLetters() {
    return deadLetters;
  }

  /** The dead letters of this attempt (the task's deadLetter: setting), opened by the engine. */
  void useDeadLetters(dev.weir.deadletter.DeadLetters sink) {
    this.deadLetters = sink;
  }

  @Override
  public dev.weir.task.StreamMode streamMode() {
    return scope.streamMode;
  }

  @Override
  public dev.weir.task.StreamOffsets streamOffsets() {
    var key = new dev.weir.store.StreamOffsetStore.StreamKey(namespace(), flowId(), taskId);
    var store = scope.store.streamOffsets();
    return new dev.weir.task.StreamOffsets() {
      @Override
      public Map<String, String> load() {
        return store.offsets(key);
      }

      @Override
      public void save(Map<String, String> entries) {
        store.saveOffsets(key, entries);
      }

      @Override
      public java.util.List<String> history() {
        return store.history(key);
      }

      @Override
      public void appendHistory(java.util.List<String> records) {
        store.appendHistory(key, records);
      }

      @Override
      public void clear() {
        store.clear(key);
      }
    };
  }

  @Override
  public InstantSource clock() {
    return clock;
  }

  /** Stores this attempt's steps: each start and end goes to {@code sink} for the coordinator. */
  void recordSteps(EngineServices services, java.util.function.Consumer<StepChange> sink) {
    this.stepsTo = () -> new AttemptSteps(scope.runId, taskId, attempt, services, sink);
  }

  @Override
  public synchronized dev.weir.task.Steps steps() {
    // one per attempt: a step name is used once in it however often the task asks
    if (steps == null) {
      var to = stepsTo;
      steps = to == null ? dev.weir.task.Steps.loggingTo(logger) : to.get();
    }
    return steps;
  }

  @Override
  public dev.weir.task.Subflows subflows() {
    return new AttemptSubflows(scope.subflows, scope, taskId, attempt, logger, clock);
  }
}
