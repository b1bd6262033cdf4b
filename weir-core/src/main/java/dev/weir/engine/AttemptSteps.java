package dev.weir.engine;

import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Audit;
import dev.weir.task.Step;
import dev.weir.task.Steps;
import dev.weir.task.TaskLogger;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The {@link Steps} of one attempt: each start and end becomes a {@link StepChange}, masked here,
 * for the coordinator to store ({@link StepRows}) — told at once on the node that runs the run, or
 * with the attempt's result from a worker. A step's log lines go to the log sink as its own task
 * run's.
 */
final class AttemptSteps implements Steps {
  private final String runId;
  private final String parentId;
  private final int attempt;
  private final EngineServices services;
  private final Consumer<StepChange> sink;
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private Set<String> earlier; // succeededEarlier(), once read

  AttemptSteps(
      String runId,
      String parentId,
      int attempt,
      EngineServices services,
      Consumer<StepChange> sink) {
    this.runId = runId;
    this.services = services;
    this.parentId = parentId;
    this.attempt = attempt;
    this.sink = sink;
  }

  @Override
  public Step start(String name) {
    String id = claim(name);
    sink.accept(change(id, TaskState.RUNNING, null, null, -1, null));
    return new Running(id);
  }

  @Override
  public void skipped(String name, String why, boolean upstreamFailed) {
    String id = claim(name);
    TaskState s = upstreamFailed ? TaskState.UPSTREAM_FAILED : TaskState.SKIPPED;
    sink.accept(
        change(
            id,
            s,
            mask(why == null ? s.name().toLowerCase(java.util.Locale.ROOT) : why),
            null,
            -1,
            null));
  }

  @Override
  public synchronized Set<String> succeededEarlier() {
    if (earlier == null) {
      earlier = attempt <= 1 ? Set.of() : readEarlier();
    }
    return earlier;
  }

  // read once an attempt, when the task asks: no store query on the path of tasks without steps
  private Set<String> readEarlier() {
    StateStore store = services.store();
    RunRecord run = store.findRun(runId).orElse(null);
    if (run == null || newerRunOfTheFlow(store, run)) {
      return Set.of(); // what those steps built may have been built again since, by another run
    }
    String prefix = parentId + "/";
    var latest = new java.util.HashMap<String, TaskRunRecord>();
    for (TaskRunRecord r : store.taskRuns(runId)) {
      if (r.attempt() < attempt
          && r.taskId().startsWith(prefix)
          && r.taskId().indexOf('/', prefix.length()) < 0) {
        latest.merge(r.taskId(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b);
      }
    }
    return latest.values().stream()
        .filter(r -> r.state() == TaskState.SUCCEEDED)
        .map(r -> r.taskId().substring(prefix.length()))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  private static boolean newerRunOfTheFlow(StateStore store, RunRecord run) {
    var since =
        new StateStore.RunQuery(run.namespace(), run.flowId(), null, run.createdAt(), null, 2);
    return store.listRuns(since).stream().anyMatch(r -> !r.id().equals(run.id()));
  }

  private String claim(String name) {
    String id = StepIds.of(parentId, name);
    if (!used.add(id)) {
      throw new IllegalArgumentException(
          "step '" + name + "' of task '" + parentId + "' was recorded already in this attempt");
    }
    return id;
  }

  private StepChange change(
      String id,
      TaskState state,
      String error,
      String outputs,
      long rows,
      dev.weir.store.TaskAuditRecord audit) {
    return new StepChange(
        parentId, attempt, id, state, services.clock().instant(), error, outputs, rows, audit);
  }

  private String mask(String text) {
    return services.secrets().masker().mask(text);
  }

  private final class Running implements Step {
    private final String id;
    private final TaskLogger logger;
    private final AtomicBoolean ended = new AtomicBoolean();

    Running(String id) {
      this.id = id;
      this.logger =
          new AttemptLogger(
              runId,
              id,
              attempt,
              services.secrets().masker(),
              services.clock(),
              services.logs(),
              services.listener());
    }

    @Override
    public String taskId() {
      return id;
    }

    @Override
    public TaskLogger logger() {
      return logger;
    }

    @Override
    public void succeed(Map<String, Object> outputs, Audit audit) {
      end(TaskState.SUCCEEDED, null, outputs, audit);
    }

    @Override
    public void fail(String error, Map<String, Object> outputs, Audit audit) {
      end(TaskState.FAILED, error == null ? "failed" : error, outputs, audit);
    }

    private void end(TaskState state, String error, Map<String, Object> outputs, Audit audit) {
      if (!ended.compareAndSet(false, true)) {
        throw new IllegalStateException("step '" + id + "' ended already");
      }
      Audit a = audit == null ? Audit.NONE : audit;
      var record = AuditFacts.record(runId, id, attempt, a, AttemptSteps.this::mask);
      String json = DatasetCodec.encodeOutputs(outputs == null ? Map.of() : outputs);
      sink.accept(
          change(
              id,
              state,
              error == null ? null : mask(error),
              mask(json),
              a.rowsWritten(),
              record.isEmpty() ? null : record));
    }
  }
}
