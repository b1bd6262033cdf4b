package dev.weir.engine;

import dev.weir.flow.Dag;
import dev.weir.flow.Durations;
import dev.weir.flow.TaskDef;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.FencedOffException;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import java.time.Duration;
import java.time.Instant;
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
final class RunCoordinator implements Runnable, ForEachDriver.Hooks, AttemptOutcomes.Run {
  static final String INTERRUPTED = Interrupted.PREFIX;
  static final String RUN_TIMED_OUT = "run timed out after ";
  private static final Logger LOG = LoggerFactory.getLogger(RunCoordinator.class);

  private final EngineServices services;
  private final RunScope scope;
  private final Round round;
  private final Changes changes;
  private final TaskTable table;
  private final Dispatcher dispatcher;
  private final StoredRows stored;
  private final ForEachDriver forEach;
  private final AttemptOutcomes outcomes;
  private final BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<RunRecord> done = new CompletableFuture<>();
  private final Ownership owner;
  private RunRecord run;
  private Phase phase = Phase.MAIN;
  private boolean finished;
  private boolean cancelled;
  private String cancelReason;
  private volatile boolean cancelAsked;
  private volatile boolean abandoned;
  private boolean runTimedOut;
  private EngineTimer.Scheduled runTimer;

  RunCoordinator(
      EngineServices services,
      RunScope scope,
      RunRecord run,
      List<TaskRunRecord> rows,
      Ownership owner) {
    this.services = services;
    this.scope = scope;
    this.run = run;
    this.owner = owner;
    this.round = new Round(services, run, owner.fence(), this::log);
    this.changes = round.changes();
    this.runTimedOut = run.error() != null && run.error().startsWith(RUN_TIMED_OUT);
    var dags = new EnumMap<Phase, Dag>(Phase.class);
    dags.put(Phase.MAIN, new Dag(scope.flow.tasks()));
    dags.put(Phase.ON_FAILURE, new Dag(scope.flow.onFailure()));
    dags.put(Phase.FINALLY, new Dag(scope.flow.finallyTasks()));
    this.table = new TaskTable(dags, changes);
    this.dispatcher = new Dispatcher(services, scope, table, this::post, this::variables);
    this.stored = new StoredRows(rows, run.attempt());
    this.forEach = new ForEachDriver(table, scope, stored, run.attempt(), services.clock(), this);
    this.outcomes =
        new AttemptOutcomes(services, scope, table, dispatcher, changes, run.attempt(), this);
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
  @Override
  public Map<String, Object> variables(TaskSlot s) {
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
  void abandonNow(String reason, boolean resumable) {
    abandoned = true;
    post(new EngineEvent.Abandoned(reason, resumable));
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
  public boolean cancelAsked() {
    return cancelAsked;
  }

  @Override
  public boolean stopping(TaskSlot s) {
    return cancelled || (runTimedOut && s.def.phase() == Phase.MAIN);
  }

  @Override
  public List<Runnable> afterCommit() {
    return round.afterCommit();
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
    } catch (FencedOffException e) {
      // another claim took the run (this node was cut off past its lease): what this coordinator
      // still meant to write is dropped, its attempts stop, and their outputs are not used
      abandoned = true;
      stopAttempts();
      LOG.warn("{}", mask(e.getMessage()));
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
      done.complete(round.committedRun());
    }
  }

  // ---- start, resume and finish

  private void begin() {
    Instant now = now();
    Instant started = run.startedAt() == null ? now : run.startedAt();
    setRun(run.withOwner(RunState.RUNNING, started, owner.claimant().label()));
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
  @Override
  public void recover(TaskSlot s) {
    Instant now = now();
    switch (s.state()) {
      case RUNNING, QUEUED -> {
        if (s.def.isForEach() && s.is(TaskState.RUNNING)) {
          forEach.resume(s);
          return;
        }
        if (s.is(TaskState.RUNNING)) {
          round.interrupted(s.id(), s.attempt());
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
    stopAttempts();
    LOG.warn("run {} abandoned: {}; resume it with `weir resume {}`", run.id(), reason, run.id());
  }

  private void stopAttempts() {
    table
        .all()
        .forEach(s -> {
          if (s.control != null) {
            s.control.cancel();
          }
        });
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
      dispatcher.startReady(round.afterCommit());
      progressed = nextPhase();
    }
  }

  private void decide(TaskSlot s) {
    Readiness.Decision d =
        Readiness.decide(
            s.def,
            s.place.dag().upstream(s.def.id()),
            id -> table.get(s.place.prefix() + id).state(),
            template -> scope.render(template, variables(s), s.place),
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
      case EngineEvent.AttemptAdmitted ev -> outcomes.admitted(ev);
      case EngineEvent.AttemptSucceeded ev -> outcomes.succeeded(ev);
      case EngineEvent.AttemptFailed ev -> outcomes.failed(ev);
      case EngineEvent.AttemptWaiting ev -> outcomes.waiting(ev);
      case EngineEvent.AttemptTimedOut ev -> outcomes.timedOut(ev);
      case EngineEvent.RetryDue ev -> outcomes.retryDue(ev);
      case EngineEvent.CheckDue ev -> outcomes.checkDue(ev);
      case EngineEvent.CancelRequested ev -> onCancel(ev);
      case EngineEvent.RunTimedOut ev -> onRunTimedOut();
      case EngineEvent.OwnershipCheck ev -> checkOwnership();
      case EngineEvent.Abandoned ev -> {
        finished = true;
        if (ev.resumable()) {
          abandon(ev.reason());
        } else {
          stopAttempts();
          LOG.warn("run {} stopped here: {}", run.id(), ev.reason());
        }
      }
    }
  }

  // another node took the run over (a cancel or a forced resume there): stop now, not at the next
  // write, which a long task would put off until it ends
  private void checkOwnership() {
    boolean held;
    try {
      held = services.store().holds(owner.fence());
    } catch (RuntimeException e) {
      return; // the store will say at the next write
    }
    if (!held) {
      abandoned = true;
      finished = true;
      stopAttempts();
      LOG.warn("run {} was taken over by another node; it stops here", run.id());
    }
  }

  private void onCancel(EngineEvent.CancelRequested e) {
    cancelled = true;
    cancelReason = e.reason();
    Instant now = now();
    for (TaskSlot s : table.all()) {
      if (s.inFlight) {
        outcomes.stopped(s);
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
      outcomes.stopped(s);
      if (wasRunning) {
        table.timeOut(s, now, why);
      } else {
        table.cancel(s, now, why);
      }
    }
  }

  // ---- helpers

  // told to listeners too, as a task's own lines are: the log files and live streams need them
  @Override
  public void log(TaskSlot s, String level, String message) {
    log(s.id(), s.attempt(), level, message);
  }

  private void log(String taskId, int attempt, String level, String message) {
    var line = new LogLine(run.id(), taskId, attempt, now(), level, mask(message));
    services.logs().add(line);
    services.listener().logged(line);
  }

  @Override
  public String mask(String text) {
    return services.secrets().masker().mask(text);
  }

  private Instant now() {
    return services.clock().instant();
  }

  @Override
  public void restoreOutputs(TaskSlot s) {
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
    if (!abandoned) { // once the engine closed, the store keeps what the last round wrote
      round.commit();
    }
  }
}
