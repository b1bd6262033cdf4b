package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.expr.ExpressionException;
import dev.weir.flow.Durations;
import dev.weir.flow.RetryPolicy;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the coordinator does with what an attempt reports (admitted, succeeded, failed, waiting,
 * timed out) and with its timers (a retry or a sensor's next check is due): the task run's next
 * state, the retry decision of the {@link FailurePolicy}, the audit facts.
 */
final class AttemptOutcomes {
  /** What the outcomes need from the run around them. */
  interface Run {
    /** A cancel was asked: a failure reported now is the cancel's doing. */
    boolean cancelAsked();

    /** The run is being cancelled or timed out for {@code s}'s phase: nothing more starts. */
    boolean stopping(TaskSlot s);

    void log(TaskSlot s, String level, String message);

    /** What runs once the round is stored. */
    List<Runnable> afterCommit();
  }

  private final EngineServices services;
  private final RunScope scope;
  private final TaskTable table;
  private final Dispatcher dispatcher;
  private final Changes changes;
  private final int runAttempt;
  private final Run run;
  private final StepRows steps;

  AttemptOutcomes(
      EngineServices services,
      RunScope scope,
      TaskTable table,
      Dispatcher dispatcher,
      Changes changes,
      int runAttempt,
      Run run) {
    this.services = services;
    this.scope = scope;
    this.table = table;
    this.dispatcher = dispatcher;
    this.changes = changes;
    this.runAttempt = runAttempt;
    this.run = run;
    this.steps = new StepRows(changes);
  }

  /** The slot of a report, or null for a late one (its attempt timed out or was cancelled). */
  private TaskSlot reporting(String taskId, int attempt) {
    TaskSlot s = table.get(taskId);
    return s == null || s.attempt() != attempt || !s.inFlight ? null : s;
  }

  void admitted(EngineEvent.AttemptAdmitted e) {
    TaskSlot s = reporting(e.taskId(), e.attempt());
    if (s != null && s.is(TaskState.QUEUED)) {
      dispatcher.admitted(s, run.afterCommit());
    } // else cancelled while it waited: its thread was interrupted and gives the permit back
  }

  void succeeded(EngineEvent.AttemptSucceeded e) {
    TaskSlot s = reporting(e.taskId(), e.attempt());
    if (s == null) {
      return;
    }
    stopped(s);
    TaskResult r = e.result();
    Map<String, Object> outputs = new LinkedHashMap<>(r.outputs());
    if (r.dataset() != null) {
      scope.datasets.put(s.id(), r.dataset());
    }
    scope.outputs.put(s.id(), outputs);
    String stateUpdates =
        r.state().isEmpty() ? null : DatasetCodec.encodeOutputs(Map.copyOf(r.state()));
    table.succeed(
        s,
        now(),
        mask(DatasetCodec.encodeOutputs(outputs)),
        DatasetCodec.encode(r.dataset()),
        r.rows(),
        stateUpdates);
    audit(s, r.audit());
  }

  void failed(EngineEvent.AttemptFailed e) {
    TaskSlot s = reporting(e.taskId(), e.attempt());
    if (s == null || run.cancelAsked()) {
      return; // a cancel is queued behind this: it ends the attempt CANCELLED
    }
    stopped(s);
    Throwable t = e.error();
    boolean retryable =
        !(t instanceof TaskFailedException tf && !tf.retryable())
            && !(t instanceof ExpressionException);
    Map<String, Object> outputs = t instanceof TaskFailedException tf ? tf.outputs() : Map.of();
    if (!(t instanceof WeirException)) {
      var sw = new StringWriter();
      t.printStackTrace(new PrintWriter(sw));
      run.log(s, "ERROR", sw.toString());
    }
    ended(s, TaskState.FAILED, mask(describe(t)), retryable, outputs);
  }

  void waiting(EngineEvent.AttemptWaiting e) {
    TaskSlot s = reporting(e.taskId(), e.attempt());
    if (s == null || run.cancelAsked()) {
      return;
    }
    dispatcher.stopped(s); // its timeout goes on while it waits
    Instant next = now().plus(e.recheckIn());
    table.waitUntil(s, next);
    run.log(s, "INFO", mask(e.why()) + "; next check in " + Durations.format(e.recheckIn()));
    dispatcher.wakeAt(s, next, new EngineEvent.CheckDue(s.id(), s.attempt()));
  }

  void timedOut(EngineEvent.AttemptTimedOut e) {
    TaskSlot s = table.get(e.taskId());
    boolean live = s != null && s.attempt() == e.attempt();
    if (!live || !(s.inFlight || s.is(TaskState.WAITING))) {
      return;
    }
    stopped(s);
    if (s.control != null) {
      s.control.cancel();
    }
    String why = "timed out after " + Durations.format(s.def.timeout()) + " (task timeout)";
    ended(s, TaskState.TIMED_OUT, why, true, Map.of());
  }

  void retryDue(EngineEvent.RetryDue e) {
    TaskSlot s = table.get(e.taskId());
    if (s != null && s.attempt() == e.attempt() && s.is(TaskState.RETRY_WAIT)) {
      s.wake = null;
      table.queue(s, now());
      dispatcher.ready(s);
    }
  }

  void stepChanged(EngineEvent.StepChanged e) {
    StepChange c = e.change();
    TaskSlot s = reporting(c.parentId(), c.attempt());
    steps.changed(
        c,
        s,
        () -> run.log(s, "WARN", "step " + c.stepId() + " " + c.state() + " again; not stored"));
  }

  /** Ends the steps a stopped process left RUNNING (see {@link StepRows#endLeftovers}). */
  void endLeftoverSteps(List<TaskRunRecord> stored) {
    steps.endLeftovers(stored, now(), id -> table.defOf(id, scope.flow));
  }

  void checkDue(EngineEvent.CheckDue e) {
    TaskSlot s = table.get(e.taskId());
    if (s != null && s.attempt() == e.attempt() && s.is(TaskState.WAITING)) {
      s.wake = null;
      dispatcher.ready(s);
    }
  }

  /** The attempt no longer runs: it frees its parallelism slot and its timers stop. */
  void stopped(TaskSlot s) {
    dispatcher.stopped(s);
    s.cancelTimers();
    steps.parentStopped(s, now());
  }

  private void ended(
      TaskSlot s, TaskState how, String message, boolean retryable, Map<String, Object> outputs) {
    Instant now = now();
    RetryPolicy policy = s.def.retry() != null ? s.def.retry() : scope.flow.retry();
    s.failures++;
    Map<String, Dataset> read = s.context == null ? Map.of() : s.context.datasetsRead();
    audit(s, AuditFacts.ofFailure(scope, read, outputs));
    String outJson = mask(DatasetCodec.encodeOutputs(outputs));
    boolean stopping = run.stopping(s);
    switch (FailurePolicy.after(
        policy, s.failures, retryable, stopping, s.attempt(), message, now, services.random())) {
      case FailurePolicy.Retry retry -> {
        table.fail(s, how, now, message, outJson);
        run.log(s, "WARN", retry.note());
        table.retryAt(s, runAttempt, retry.at());
        dispatcher.wakeAt(s, retry.at(), new EngineEvent.RetryDue(s.id(), s.attempt()));
      }
      case FailurePolicy.GiveUp end -> table.fail(s, how, now, message + end.suffix(), outJson);
    }
  }

  // an attempt with nothing known (a no-op task) gets no row: it reads back as unknown either way,
  // and a flow of a thousand such tasks does not pay a thousand INSERTs
  private void audit(TaskSlot s, dev.weir.task.Audit facts) {
    var record = AuditFacts.record(scope.runId, s.id(), s.attempt(), facts, this::mask);
    if (!record.isEmpty()) {
      changes.audit(record);
    }
  }

  static String describe(Throwable t) {
    if (t instanceof WeirException) {
      return t.getMessage();
    }
    if (t instanceof InterruptedException) {
      return "interrupted";
    }
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private String mask(String text) {
    return services.secrets().masker().mask(text);
  }

  private Instant now() {
    return services.clock().instant();
  }
}
