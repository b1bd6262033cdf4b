package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.flow.Flow;
import dev.weir.store.RunParent;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.ChildRun;
import dev.weir.task.Subflows;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The {@link Subflows} of one attempt: finds the child flow through the {@link SubflowHost},
 * refuses a cycle, starts the child with this attempt as its parent and records the link.
 */
final class AttemptSubflows implements Subflows {
  static final String TRIGGER = "subflow";

  private final SubflowHost host;
  private final StateStore store;
  private final RunScope scope;
  private final String taskId;
  private final int attempt;
  private final TaskLogger logger;
  private final InstantSource clock;

  AttemptSubflows(
      SubflowHost host,
      RunScope scope,
      String taskId,
      int attempt,
      TaskLogger logger,
      InstantSource clock) {
    this.host = host;
    this.store = scope.store;
    this.scope = scope;
    this.taskId = taskId;
    this.attempt = attempt;
    this.logger = logger;
    this.clock = clock;
  }

  @Override
  public ChildRun start(Request request) {
    RunRecord parent = parentRun();
    SubflowChain.check(store, parent, request.key());
    SubflowHost.Found found = resolve(request);
    var triggerData = new LinkedHashMap<String, Object>();
    triggerData.put("parentRunId", parent.id());
    triggerData.put("parentFlow", parent.namespace() + "." + parent.flowId());
    triggerData.put("parentTaskId", taskId);
    RunRecord child;
    try {
      child =
          host.start(
              new Engine.StartRequest(
                  found.flow(),
                  found.file(),
                  request.inputs(),
                  TRIGGER,
                  parent.logicalDate(),
                  triggerData));
    } catch (WeirException e) {
      throw TaskFailedException.permanent(
          "subflow " + request.key() + " was not started: " + e.getMessage());
    }
    // after the child is stored: a crash just before this leaves a child that interrupted() finds
    // by its trigger data instead
    store.recordParent(new RunParent(child.id(), parent.id(), taskId, attempt, clock.instant()));
    return new StoredChildRun(child.id(), store, host, logger);
  }

  @Override
  public Optional<ChildRun> interrupted(Request request) {
    var attempts = new LinkedHashMap<Integer, TaskRunRecord>();
    store.taskRuns(scope.runId).stream()
        .filter(t -> t.taskId().equals(taskId))
        .forEach(t -> attempts.put(t.attempt(), t));
    int previous = attempt - 1;
    TaskRunRecord before = attempts.get(previous);
    if (before == null
        || before.error() == null
        || !before.error().startsWith(RunCoordinator.INTERRUPTED)) {
      return Optional.empty(); // the attempt before ended on its own: a retry starts afresh
    }
    List<RunParent> linked =
        store.children(scope.runId, taskId).stream()
            .filter(p -> p.parentAttempt() == previous)
            .toList();
    if (!linked.isEmpty()) {
      return Optional.of(child(linked.get(linked.size() - 1).runId()));
    }
    return unlinked(request, previous);
  }

  // Weir stopped between storing the child and linking it: the child's trigger data names us
  private Optional<ChildRun> unlinked(Request request, int previous) {
    var query =
        new StateStore.RunQuery(
            request.namespace(), request.flowId(), null, parentRun().createdAt(), null, 50);
    for (RunRecord r : store.listRuns(query)) {
      String data = r.triggerData();
      if (TRIGGER.equals(r.trigger())
          && data != null
          && SubflowChain.parentId(store, r).filter(scope.runId::equals).isPresent()
          && data.contains("\"parentTaskId\":\"" + taskId + "\"")
          && store.parentOf(r.id()).isEmpty()) {
        store.recordParent(new RunParent(r.id(), scope.runId, taskId, previous, clock.instant()));
        return Optional.of(child(r.id()));
      }
    }
    return Optional.empty();
  }

  private ChildRun child(String runId) {
    return new StoredChildRun(runId, store, host, logger);
  }

  private RunRecord parentRun() {
    return store
        .findRun(scope.runId)
        .orElseThrow(() -> new WeirException("run " + scope.runId + " is missing from the store"));
  }

  private SubflowHost.Found resolve(Request request) {
    Path near = scope.workDir;
    Optional<SubflowHost.Found> current;
    try {
      current = host.find(request.namespace(), request.flowId(), near);
    } catch (WeirException e) {
      throw TaskFailedException.permanent("subflow: " + e.getMessage());
    }
    if (request.revision() == null) {
      return current.orElseThrow(() -> unknown(request, near));
    }
    String text =
        store
            .revisionText(request.revision())
            .orElseThrow(() ->
                TaskFailedException.permanent(
                    "subflow "
                        + request.key()
                        + ": no revision '"
                        + request.revision()
                        + "' is stored; give the full hash a run of that flow shows as its"
                        + " revision (`weir runs show RUN`), or leave revision: out to run the"
                        + " current one"));
    Path file =
        current.map(SubflowHost.Found::file).orElse(near.resolve(request.flowId() + ".yaml"));
    Flow flow = host.parser().parse(file.toString(), text);
    if (!flow.namespace().equals(request.namespace()) || !flow.id().equals(request.flowId())) {
      throw TaskFailedException.permanent(
          "subflow "
              + request.key()
              + ": revision "
              + request.revision()
              + " is of flow "
              + flow.namespace()
              + "."
              + flow.id()
              + ", not of "
              + request.key());
    }
    return new SubflowHost.Found(flow, file);
  }

  private TaskFailedException unknown(Request request, Path near) {
    List<String> known = host.known(request.namespace(), near);
    String hint = dev.weir.util.Suggest.didYouMean(request.flowId(), known);
    return TaskFailedException.permanent(
        "subflow: no flow '"
            + request.flowId()
            + "' in namespace '"
            + request.namespace()
            + "' (known there: "
            + (known.isEmpty() ? "none" : String.join(", ", known))
            + ")"
            + hint);
  }
}
