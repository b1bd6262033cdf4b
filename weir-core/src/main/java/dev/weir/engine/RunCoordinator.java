package dev.weir.engine;

import dev.weir.flow.Dag;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.FencedOffException;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
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

  private static final Logger LOG = LoggerFactory.getLogger(RunCoordinator.class);

  private final EngineServices services;
  private final RunScope scope;
  private final Round round;
  private final Changes changes;
  private final TaskTable table;
  private final Dispatcher dispatcher;
  private final ForEachDriver forEach;
  private final AttemptOutcomes outcomes;
  private final RunStops stops;
  private final RunPhases phases;
  private final TaskRecovery recovery;
  private final BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<RunRecord> done = new CompletableFuture<>();
  private final Ownership owner;
  private RunRecord run;
  private boolean finished;
  private volatile boolean abandoned;

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
    var dags = new EnumMap<Phase, Dag>(Phase.class);
    dags.put(Phase.MAIN, new Dag(scope.flow.tasks()));
    dags.put(Phase.ON_FAILURE, new Dag(scope.flow.onFailure()));
    dags.put(Phase.FINALLY, new Dag(scope.flow.finallyTasks()));
    this.table = new TaskTable(dags, changes);
    this.dispatcher = new Dispatcher(services, scope, table, this::post, this::variables);
    var stored = new StoredRows(rows, run.attempt());
    this.forEach = new ForEachDriver(table, scope, stored, run.attempt(), services.clock(), this);
    this.outcomes =
        new AttemptOutcomes(services, scope, table, dispatcher, changes, run.attempt(), this);
    this.stops = new RunStops(run, scope.flow.timeout(), table, outcomes, services.clock());
    this.phases = new RunPhases(services, scope.flow, table, stops);
    this.recovery =
        new TaskRecovery(services, scope, table, stored, round, dispatcher, forEach, run.attempt());
    recovery.placeTasks();
    outcomes.endLeftoverSteps(rows);
  }

  /**
   * What a task's templates see besides the run's variables: {@code failedTask} in onFailure,
   * {@code item}, {@code itemIndex} (and {@code parent}) inside a forEach.
   */
  @Override
  public Map<String, Object> variables(TaskSlot s) {
    Map<String, Object> failed = FailedTaskVariable.of(s, table, stops.timedOut());
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
    stops.askCancel();
    post(new EngineEvent.CancelRequested(reason));
  }

  @Override
  public boolean cancelAsked() {
    return stops.cancelAsked();
  }

  @Override
  public boolean stopping(TaskSlot s) {
    return stops.stopping(s);
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
      var stepWrites = new StepWriteWindow();
      while (!finished) {
        EngineEvent first = stepWrites.next(events);
        if (first != null) {
          handle(first);
        }
        for (EngineEvent e = events.poll(); e != null && !finished; e = events.poll()) {
          handle(e);
        }
        if (!finished) {
          advance();
        }
        if (!finished && stepWrites.holds(round.onlyStepRows())) {
          continue; // steps ending close together share one write
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
      stops.stopTimer();
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
    stops.startTimer(services.timer(), started, now, () -> post(new EngineEvent.RunTimedOut()));
    for (TaskSlot s : List.copyOf(table.all())) {
      recover(s);
    }
    phases.activate(Phase.MAIN);
    advance();
  }

  @Override
  public void recover(TaskSlot s) {
    recovery.recover(s);
  }

  /** Moves to the next phase when the current one is done; finishes the run after the last. */
  private boolean nextPhase() {
    if (phases.open()) {
      return false;
    }
    if (!phases.moveOn()) {
      finish();
    }
    return true;
  }

  private void finish() {
    setRun(phases.ended(run));
    finished = true;
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
          if (s.def.phase() == phases.current() && s.is(TaskState.PENDING)) {
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
      case EngineEvent.StepChanged ev -> outcomes.stepChanged(ev);
      case EngineEvent.CancelRequested ev -> {
        stops.cancel(ev.reason());
        finish();
      }
      case EngineEvent.RunTimedOut ev -> {
        if (stops.timeOut(phases.current())) {
          // stored with the run so that a resume still knows the run failed
          setRun(run.withError(stops.timedOutMessage()));
        }
      }
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
    recovery.restoreOutputs(s);
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
