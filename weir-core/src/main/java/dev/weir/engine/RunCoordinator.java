package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.expr.ExpressionException;
import dev.weir.flow.Dag;
import dev.weir.flow.Durations;
import dev.weir.flow.RetryPolicy;
import dev.weir.flow.TaskDef;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one run: a single thread takes events (attempt finished, timer fired, cancel), changes the
 * task runs through the {@link TaskTable}, writes every change of one round to the store in one
 * transaction, and only then starts attempts ({@link Dispatcher}) and tells listeners. Attempts run
 * on virtual threads and never touch the coordinator's state.
 */
final class RunCoordinator implements Runnable {
  static final String INTERRUPTED = Interrupted.PREFIX;
  static final String RUN_TIMED_OUT = "run timed out after ";
  private static final Logger LOG = LoggerFactory.getLogger(RunCoordinator.class);

  private final EngineServices services;
  private final RunScope scope;
  private final Changes changes = new Changes();
  private final TaskTable table;
  private final Dispatcher dispatcher;
  private final StoredRows stored;
  private final ForEachDriver forEach;
  private final BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final CompletableFuture<RunRecord> done = new CompletableFuture<>();
  private RunRecord run;
  private RunRecord committedRun;
  private Phase phase = Phase.MAIN;
  private boolean finished;
  private boolean cancelled;
  private String cancelReason;
  private volatile boolean cancelAsked;
  private volatile boolean abandoned;
  private boolean runTimedOut;
  private EngineTimer.Scheduled runTimer;

  /** Attempts the stopped process was running (task run id → attempt), found on a resume. */
  private final Map<String, Integer> interrupted = new LinkedHashMap<>();

  RunCoordinator(EngineServices services, RunScope scope, RunRecord run, List<TaskRunRecord> rows) {
    this.services = services;
    this.scope = scope;
    this.run = run;
    this.committedRun = run;
    this.runTimedOut = run.error() != null && run.error().startsWith(RUN_TIMED_OUT);
    var dags = new EnumMap<Phase, Dag>(Phase.class);
    dags.put(Phase.MAIN, new Dag(scope.flow.tasks()));
    dags.put(Phase.ON_FAILURE, new Dag(scope.flow.onFailure()));
    dags.put(Phase.FINALLY, new Dag(scope.flow.finallyTasks()));
    this.table = new TaskTable(dags, changes);
    this.dispatcher = new Dispatcher(services, scope, table, this::post, this::taskVariables);
    this.stored = new StoredRows(rows, run.attempt());
    this.forEach =
        new ForEachDriver(
            table,
            scope,
            stored,
            run.attempt(),
            services.clock(),
            new ForEachDriver.Hooks() {
              @Override
              public void recover(TaskSlot s) {
                RunCoordinator.this.recover(s);
              }

              @Override
              public void restoreOutputs(TaskSlot s) {
                RunCoordinator.this.restoreOutputs(s);
              }

              @Override
              public void log(TaskSlot s, String level, String message) {
                RunCoordinator.this.log(s, level, message);
              }

              @Override
              public String mask(String text) {
                return RunCoordinator.this.mask(text);
              }

              @Override
              public Map<String, Object> variables(TaskSlot s) {
                return taskVariables(s);
              }
            });
    for (TaskDef def : scope.flow.allTasks()) {
      TaskRunRecord cur = stored.take(def.id());
      boolean fresh = cur == null;
      if (fresh) {
        cur = TaskRunRecord.pending(run.id(), def.id(), 1, run.attempt());
      }
      TaskSlot slot = table.add(def, cur, fresh);
      slot.failures = stored.failures(def.id());
      if (cur.state() == TaskState.SUCCEEDED) {
        restoreOutputs(slot);
      }
    }
  }

  /**
   * What a task's templates see besides the run's variables: {@code failedTask} in onFailure,
   * {@code item}, {@code itemIndex} (and {@code parent}) inside a forEach.
   */
  private Map<String, Object> taskVariables(TaskSlot s) {
    Map<String, Object> failed = FailedTaskVariable.of(s, table, runTimedOut);
    if (s.isTop()) {
      return failed;
    }
    var vars = new LinkedHashMap<String, Object>(failed);
    vars.putAll(s.group.variables(s.itemIndex));
    return vars;
  }

  CompletableFuture<RunRecord> completion() {
    return done;
  }

  void post(EngineEvent e) {
    events.add(e);
  }

  /**
   * The engine is closing: from now on nothing more of this run is stored (what an attempt reports
   * is dropped), as if the process had stopped; a resume continues it.
   */
  void abandonNow() {
    abandoned = true;
    post(new EngineEvent.Abandoned());
  }

  /**
   * Asks the run to stop. Marked before the event is queued: an attempt whose failure the
   * coordinator takes after this moment failed because of the cancel (its command saw the same
   * Ctrl-C, or was ended by it), and ends CANCELLED, not FAILED.
   */
  void cancel(String reason) {
    cancelAsked = true;
    post(new EngineEvent.CancelRequested(reason));
  }

  @Override
  public void run() {
    try {
      begin();
      commit();
      while (!finished) {
        handle(events.take());
        for (EngineEvent e = events.poll(); e != null && !finished; e = events.poll()) {
          handle(e);
        }
        if (!finished) {
          advance();
        }
        commit();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon("the engine was interrupted");
    } catch (Throwable t) {
      String why = mask(String.valueOf(t));
      LOG.error("run {} stopped on an internal error: {}", run.id(), why);
      abandon("internal error: " + why);
    } finally {
      if (runTimer != null) {
        runTimer.cancel();
      }
      table.all().forEach(TaskSlot::cancelTimers);
      services.logs().flush();
      // what the store holds, not what we meant to write: a failed last write is not success
      done.complete(committedRun);
    }
  }

  // ---- start, resume and finish

  private void begin() {
    Instant now = now();
    Instant started = run.startedAt() == null ? now : run.startedAt();
    setRun(run.withOwner(RunState.RUNNING, started, services.owner()));
    if (scope.flow.timeout() != null && !runTimedOut) {
      // on resume the limit counts from the run's first start, not from now
      Duration left = scope.flow.timeout().minus(Duration.between(started, now));
      runTimer = services.timer().schedule(left, () -> post(new EngineEvent.RunTimedOut()));
    }
    for (TaskSlot s : List.copyOf(table.all())) {
      recover(s);
    }
    activate(Phase.MAIN);
    advance();
  }

  /**
   * Brings a task run stored before this coordinator started to where it can go on: what was
   * running runs again (the try does not count), waits are timed again, a forEach goes on with its
   * items.
   */
  private void recover(TaskSlot s) {
    Instant now = now();
    switch (s.state()) {
      case RUNNING, QUEUED -> {
        if (s.def.isForEach() && s.is(TaskState.RUNNING)) {
          forEach.resume(s);
          return;
        }
        if (s.is(TaskState.RUNNING)) {
          interrupted.put(s.id(), s.attempt());
        }
        table.fail(s, TaskState.FAILED, now, Interrupted.MESSAGE, null);
        table.again(s, run.attempt());
      }
      case RETRY_WAIT ->
          dispatcher.wakeAt(s, s.current.retryAt(), new EngineEvent.RetryDue(s.id(), s.attempt()));
      case WAITING -> {
        // a sensor between checks: its next check and its timeout were stored
        dispatcher.startTimeout(s);
        dispatcher.wakeAt(s, s.current.retryAt(), new EngineEvent.CheckDue(s.id(), s.attempt()));
      }
      default -> {}
    }
  }

  private void activate(Phase p) {
    phase = p;
    for (TaskSlot s : table.all()) {
      if (s.def.phase() == p && s.is(TaskState.PENDING)) {
        table.consider(s);
      }
    }
  }

  private TaskSlot firstFailed() {
    for (TaskSlot s : table.all()) {
      if (s.isTop()
          && s.def.phase() == Phase.MAIN
          && (s.is(TaskState.FAILED) || s.is(TaskState.TIMED_OUT))) {
        return s;
      }
    }
    return null;
  }

  private boolean runFailed() {
    return runTimedOut || firstFailed() != null;
  }

  /** Moves to the next phase when the current one is done; finishes the run after the last. */
  private boolean nextPhase() {
    if (table.open(phase) > 0) {
      return false;
    }
    if (phase == Phase.MAIN) {
      if (!runFailed()) {
        Instant now = now();
        for (TaskSlot s : table.all()) {
          if (s.def.phase() == Phase.ON_FAILURE && !s.state().isTerminal()) {
            table.skip(s, now, "the run did not fail");
          }
        }
      }
      activate(Phase.ON_FAILURE);
    } else if (phase == Phase.ON_FAILURE) {
      activate(Phase.FINALLY);
    } else {
      finish();
    }
    return true;
  }

  private void finish() {
    RunState state;
    String error = null;
    if (cancelled) {
      state = RunState.CANCELLED;
      error = cancelReason;
    } else if (runFailed()) {
      state = RunState.FAILED;
      error = runTimedOut ? timedOutMessage() : failureMessage(firstFailed());
    } else {
      state = RunState.SUCCEEDED;
      commitTaskState();
    }
    setRun(run.ended(state, now(), error));
    finished = true;
  }

  /**
   * Keeps the state (watermarks) that succeeded tasks proposed, before the run is marked done: a
   * crash in between resumes the run, which finishes and writes the same values again.
   */
  private void commitTaskState() {
    for (TaskSlot s : table.all()) {
      if (s.is(TaskState.SUCCEEDED) && s.current.stateUpdates() != null) {
        DatasetCodec.decodeOutputs(s.current.stateUpdates())
            .forEach((k, v) ->
                services
                    .store()
                    .putState(
                        scope.flow.namespace(), scope.flow.id(), s.id(), k, String.valueOf(v)));
      }
    }
  }

  private static String failureMessage(TaskSlot s) {
    if (s == null) {
      return "a task failed";
    }
    String how = s.is(TaskState.TIMED_OUT) ? "timed out" : "failed";
    return "task '" + s.id() + "' " + how + ": " + s.current.error();
  }

  private void abandon(String reason) {
    // Leave the run as stored; `weir resume` continues it. Stop what still runs.
    table
        .all()
        .forEach(s -> {
          if (s.control != null) {
            s.control.cancel();
          }
        });
    LOG.warn("run {} abandoned: {}; resume it with `weir resume {}`", run.id(), reason, run.id());
  }

  // ---- deciding what runs next

  private void advance() {
    boolean progressed = true;
    while (progressed && !finished) {
      boolean changed = true;
      while (changed) {
        changed = false;
        for (TaskSlot s = table.nextCandidate(); s != null; s = table.nextCandidate()) {
          if (s.def.phase() == phase && s.is(TaskState.PENDING)) {
            decide(s);
          }
        }
        for (TaskSlot s : table.takeEndedItemTasks()) {
          forEach.itemTaskEnded(s);
          changed = true;
        }
      }
      dispatcher.startReady(afterCommit);
      progressed = nextPhase();
    }
  }

  private void decide(TaskSlot s) {
    Readiness.Decision d =
        Readiness.decide(
            s.def,
            s.place.dag().upstream(s.def.id()),
            id -> table.get(s.place.prefix() + id).state(),
            template -> scope.render(template, taskVariables(s), s.place),
            this::mask);
    Instant now = now();
    switch (d) {
      case Readiness.NotYet n -> {}
      case Readiness.Run r -> {
        if (s.def.isForEach()) {
          forEach.start(s); // the engine runs a group itself: its items' tasks are the work
        } else {
          table.queue(s, now);
          dispatcher.ready(s);
        }
      }
      case Readiness.Skip k -> table.skip(s, now, k.why());
      case Readiness.UpstreamFailed u -> table.upstreamFailed(s, now, u.why());
      case Readiness.Fail f -> table.fail(s, TaskState.FAILED, now, f.why(), null);
    }
  }

  // ---- event handlers

  private void handle(EngineEvent e) {
    switch (e) {
      case EngineEvent.AttemptAdmitted ev -> onAdmitted(ev);
      case EngineEvent.AttemptSucceeded ev -> onSucceeded(ev);
      case EngineEvent.AttemptFailed ev -> onFailed(ev);
      case EngineEvent.AttemptWaiting ev -> onWaiting(ev);
      case EngineEvent.AttemptTimedOut ev -> onTimedOut(ev);
      case EngineEvent.RetryDue ev -> onRetryDue(ev);
      case EngineEvent.CheckDue ev -> onCheckDue(ev);
      case EngineEvent.CancelRequested ev -> onCancel(ev);
      case EngineEvent.RunTimedOut ev -> onRunTimedOut();
      case EngineEvent.Abandoned ev -> {
        finished = true;
        abandon("the engine was closed");
      }
    }
  }

  /** The slot of a report, or null for a late one (its attempt timed out or was cancelled). */
  private TaskSlot reporting(String taskId, int attempt) {
    TaskSlot s = table.get(taskId);
    return s == null || s.attempt() != attempt || !s.inFlight ? null : s;
  }

  private void onAdmitted(EngineEvent.AttemptAdmitted e) {
    TaskSlot s = reporting(e.taskId(), e.attempt());
    if (s != null && s.is(TaskState.QUEUED)) {
      dispatcher.admitted(s, afterCommit);
    } // else cancelled while it waited: its thread was interrupted and gives the permit back
  }

  private void onSucceeded(EngineEvent.AttemptSucceeded e) {
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

  private void onFailed(EngineEvent.AttemptFailed e) {
    TaskSlot s = reporting(e.taskId(), e.attempt());
    if (s == null || cancelAsked) {
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
      log(s, "ERROR", sw.toString());
    }
    failed(s, TaskState.FAILED, mask(describe(t)), retryable, outputs);
  }

  private void onWaiting(EngineEvent.AttemptWaiting e) {
    TaskSlot s = reporting(e.taskId(), e.attempt());
    if (s == null || cancelAsked) {
      return;
    }
    dispatcher.stopped(s); // its timeout goes on while it waits
    Instant next = now().plus(e.recheckIn());
    table.waitUntil(s, next);
    log(s, "INFO", mask(e.why()) + "; next check in " + Durations.format(e.recheckIn()));
    dispatcher.wakeAt(s, next, new EngineEvent.CheckDue(s.id(), s.attempt()));
  }

  private void onTimedOut(EngineEvent.AttemptTimedOut e) {
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
    failed(s, TaskState.TIMED_OUT, why, true, Map.of());
  }

  private void onRetryDue(EngineEvent.RetryDue e) {
    TaskSlot s = table.get(e.taskId());
    if (s != null && s.attempt() == e.attempt() && s.is(TaskState.RETRY_WAIT)) {
      s.wake = null;
      table.queue(s, now());
      dispatcher.ready(s);
    }
  }

  private void onCheckDue(EngineEvent.CheckDue e) {
    TaskSlot s = table.get(e.taskId());
    if (s != null && s.attempt() == e.attempt() && s.is(TaskState.WAITING)) {
      s.wake = null;
      dispatcher.ready(s);
    }
  }

  private void onCancel(EngineEvent.CancelRequested e) {
    cancelled = true;
    cancelReason = e.reason();
    Instant now = now();
    for (TaskSlot s : table.all()) {
      if (s.inFlight) {
        stopped(s);
        s.control.cancel();
      }
      s.cancelTimers();
      if (!s.state().isTerminal()) {
        table.cancel(s, now, e.reason());
      }
    }
    finish();
  }

  private String timedOutMessage() {
    return RUN_TIMED_OUT + Durations.format(scope.flow.timeout()) + " (flow timeout)";
  }

  private void onRunTimedOut() {
    if (phase != Phase.MAIN || runTimedOut) {
      return; // the limit is for the main tasks; onFailure and finally run to the end
    }
    runTimedOut = true;
    // stored with the run so that a resume still knows the run failed
    setRun(run.withError(timedOutMessage()));
    Instant now = now();
    String why = "the run timed out after " + Durations.format(scope.flow.timeout());
    for (TaskSlot s : table.all()) {
      if (s.def.phase() != Phase.MAIN || s.state().isTerminal()) {
        continue;
      }
      boolean wasRunning = s.is(TaskState.RUNNING) || s.is(TaskState.WAITING);
      if (s.inFlight) {
        s.control.cancel();
      }
      stopped(s);
      if (wasRunning) {
        table.timeOut(s, now, why);
      } else {
        table.cancel(s, now, why);
      }
    }
  }

  // ---- helpers

  /** The attempt no longer runs: it frees its parallelism slot and its timers stop. */
  private void stopped(TaskSlot s) {
    dispatcher.stopped(s);
    s.cancelTimers();
  }

  private void failed(
      TaskSlot s, TaskState how, String message, boolean retryable, Map<String, Object> outputs) {
    Instant now = now();
    RetryPolicy policy = s.def.retry() != null ? s.def.retry() : scope.flow.retry();
    s.failures++;
    Map<String, Dataset> read = s.context == null ? Map.of() : s.context.datasetsRead();
    audit(s, AuditFacts.ofFailure(scope, read, outputs));
    String outJson = mask(DatasetCodec.encodeOutputs(outputs));
    boolean stopping = cancelled || (runTimedOut && s.def.phase() == Phase.MAIN);
    switch (FailurePolicy.after(
        policy, s.failures, retryable, stopping, s.attempt(), message, now, services.random())) {
      case FailurePolicy.Retry retry -> {
        table.fail(s, how, now, message, outJson);
        log(s, "WARN", retry.note());
        table.retryAt(s, run.attempt(), retry.at());
        dispatcher.wakeAt(s, retry.at(), new EngineEvent.RetryDue(s.id(), s.attempt()));
      }
      case FailurePolicy.GiveUp end -> table.fail(s, how, now, message + end.suffix(), outJson);
    }
  }

  // an attempt with nothing known (a no-op task) gets no row: it reads back as unknown either way,
  // and a flow of a thousand such tasks does not pay a thousand INSERTs
  private void audit(TaskSlot s, dev.weir.task.Audit facts) {
    var record = AuditFacts.record(run.id(), s.id(), s.attempt(), facts, this::mask);
    if (!record.isEmpty()) {
      changes.audit(record);
    }
  }

  // told to listeners too, as a task's own lines are: the log files and live streams need them
  private void log(TaskSlot s, String level, String message) {
    log(s.id(), s.attempt(), level, message);
  }

  private void log(String taskId, int attempt, String level, String message) {
    var line = new LogLine(run.id(), taskId, attempt, now(), level, mask(message));
    services.logs().add(line);
    services.listener().logged(line);
  }

  private String mask(String text) {
    return services.secrets().masker().mask(text);
  }

  private Instant now() {
    return services.clock().instant();
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

  private void restoreOutputs(TaskSlot s) {
    scope.outputs.put(s.id(), DatasetCodec.decodeOutputs(s.current.outputs()));
    Dataset d = DatasetCodec.decode(s.current.dataset());
    if (d != null) {
      scope.datasets.put(s.id(), d);
    }
  }

  private void setRun(RunRecord next) {
    run = next;
    changes.run(next);
  }

  private void commit() {
    if (abandoned) {
      return; // the engine closed: the store keeps what the last round wrote
    }
    if (!changes.isEmpty()) {
      StateStore.Batch batch = changes.batch();
      services.store().write(batch);
      if (!batch.updateRuns().isEmpty()) {
        committedRun = batch.updateRuns().get(batch.updateRuns().size() - 1);
      }
      changes.published(services.listener());
      changes.clear();
    }
    if (!interrupted.isEmpty()) {
      // stored (listeners know the run is RUNNING again), and before any attempt starts
      var attempts = new LinkedHashMap<>(interrupted);
      interrupted.clear();
      Interrupted.endLeftovers(services.store(), run.id(), attempts, this::log);
    }
    for (Runnable r : afterCommit) {
      r.run();
    }
    afterCommit.clear();
  }
}
