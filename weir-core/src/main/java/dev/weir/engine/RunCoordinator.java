package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.expr.ExpressionException;
import dev.weir.flow.Dag;
import dev.weir.flow.Durations;
import dev.weir.flow.RetryPolicy;
import dev.weir.flow.RunIf;
import dev.weir.flow.TaskDef;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import dev.weir.task.ProcessTree;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one run: a single thread takes events (attempt finished, timer fired, cancel), updates the
 * task states, writes every change of one round to the store in one transaction, and only then
 * starts attempts and tells listeners. Attempts run on virtual threads and never touch the
 * coordinator's state.
 */
final class RunCoordinator implements Runnable {
  static final String INTERRUPTED = "interrupted:";
  static final String RUN_TIMED_OUT = "run timed out after ";
  private static final Logger LOG = LoggerFactory.getLogger(RunCoordinator.class);

  private final EngineServices services;
  private final RunScope scope;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Map<Phase, Dag> dags = new EnumMap<>(Phase.class);
  private final Map<Phase, Integer> open = new EnumMap<>(Phase.class);
  private final BlockingQueue<EngineEvent> events = new LinkedBlockingQueue<>();
  private final LinkedHashSet<Slot> candidates = new LinkedHashSet<>();
  private final ArrayDeque<Slot> ready = new ArrayDeque<>();
  private final Changes changes = new Changes();
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final CompletableFuture<RunRecord> done = new CompletableFuture<>();
  private RunRecord run;
  private RunRecord committedRun;
  private Phase phase = Phase.MAIN;

  /** Attempts dispatched and not yet ended: running, or waiting at the gate (QUEUED). */
  private int inFlight;

  private boolean finished;
  private boolean cancelled;
  private volatile boolean cancelAsked;
  private boolean runTimedOut;
  private ScheduledFuture<?> runTimer;

  /** A task and its latest attempt. */
  static final class Slot {
    final TaskDef def;
    TaskRunRecord current;
    int failures;
    AttemptControl control;
    AttemptContext context;
    ScheduledFuture<?> timer;

    /** Its attempt was dispatched and has not ended: RUNNING, or QUEUED at the gate. */
    boolean inFlight;

    Slot(TaskDef def, TaskRunRecord current) {
      this.def = def;
      this.current = current;
    }

    TaskState state() {
      return current.state();
    }
  }

  RunCoordinator(EngineServices services, RunScope scope, RunRecord run, List<TaskRunRecord> rows) {
    this.services = services;
    this.scope = scope;
    this.run = run;
    this.committedRun = run;
    this.runTimedOut = run.error() != null && run.error().startsWith(RUN_TIMED_OUT);
    for (Phase p : Phase.values()) {
      open.put(p, 0);
    }
    dags.put(Phase.MAIN, new Dag(scope.flow.tasks()));
    dags.put(Phase.ON_FAILURE, new Dag(scope.flow.onFailure()));
    dags.put(Phase.FINALLY, new Dag(scope.flow.finallyTasks()));
    var latest = new LinkedHashMap<String, TaskRunRecord>();
    var failures = new LinkedHashMap<String, Integer>();
    for (TaskRunRecord r : rows) {
      TaskRunRecord prev = latest.get(r.taskId());
      if (prev == null || prev.attempt() < r.attempt()) {
        latest.put(r.taskId(), r);
      }
      boolean counted =
          r.runAttempt() == run.attempt()
              && (r.state() == TaskState.FAILED || r.state() == TaskState.TIMED_OUT)
              && (r.error() == null || !r.error().startsWith(INTERRUPTED));
      if (counted) {
        failures.merge(r.taskId(), 1, Integer::sum);
      }
    }
    for (TaskDef def : scope.flow.allTasks()) {
      TaskRunRecord cur = latest.get(def.id());
      if (cur == null) {
        cur = TaskRunRecord.pending(run.id(), def.id(), 1, run.attempt());
        changes.insert(cur);
      }
      Slot slot = new Slot(def, cur);
      slot.failures = failures.getOrDefault(def.id(), 0);
      slots.put(def.id(), slot);
      if (!cur.state().isTerminal()) {
        open.merge(def.phase(), 1, Integer::sum);
      }
      if (cur.state() == TaskState.SUCCEEDED) {
        restoreOutputs(slot);
      }
    }
  }

  CompletableFuture<RunRecord> completion() {
    return done;
  }

  void post(EngineEvent e) {
    events.add(e);
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
        runTimer.cancel(false);
      }
      slots.values().forEach(s -> cancelTimer(s));
      services.logs().flush();
      // what the store holds, not what we meant to write: a failed last write is not success
      done.complete(committedRun);
    }
  }

  // ---- start, resume and finish

  private void begin() {
    Instant now = services.clock().instant();
    Instant started = run.startedAt() == null ? now : run.startedAt();
    setRun(run.withOwner(RunState.RUNNING, started, services.owner()));
    if (scope.flow.timeout() != null && !runTimedOut) {
      // on resume the limit counts from the run's first start, not from now
      long left =
          Math.max(0, scope.flow.timeout().toMillis() - Duration.between(started, now).toMillis());
      runTimer =
          services
              .timers()
              .schedule(() -> post(new EngineEvent.RunTimedOut()), left, TimeUnit.MILLISECONDS);
    }
    var interrupted = new LinkedHashMap<String, Integer>();
    for (Slot s : slots.values()) {
      if (s.state() == TaskState.RUNNING) {
        interrupted.put(s.def.id(), s.current.attempt());
      }
      switch (s.state()) {
        case RUNNING, QUEUED -> {
          // the process that ran it is gone: it runs again, and this try does not count
          update(
              s,
              s.current.ended(
                  TaskState.FAILED,
                  now,
                  INTERRUPTED
                      + " the process running"
                      + " this attempt stopped; the attempt runs again",
                  null,
                  null,
                  -1));
          insert(
              s,
              TaskRunRecord.pending(run.id(), s.def.id(), s.current.attempt() + 1, run.attempt()));
        }
        case RETRY_WAIT -> scheduleRetry(s, s.current.retryAt());
        default -> {}
      }
    }
    if (!interrupted.isEmpty()) {
      // after the run is stored RUNNING (listeners know it) and before any attempt starts
      afterCommit.add(() -> endLeftovers(interrupted));
    }
    activate(Phase.MAIN);
    advance();
  }

  /** Ends what the interrupted attempts (task id → attempt) left running, and says so. */
  private void endLeftovers(Map<String, Integer> interrupted) {
    List<dev.weir.store.TaskProcess> left =
        services.store().processes(run.id()).stream()
            .filter(p -> Integer.valueOf(p.attempt()).equals(interrupted.get(p.taskId())))
            .toList();
    if (left.isEmpty()) {
      return;
    }
    new LeftoverProcesses(Engine.host(), ProcessTree.GRACE, java.time.ZoneId.systemDefault())
        .end(
            left,
            (p, level, message) -> {
              if (level.equals("ERROR")) {
                LOG.warn("run {}: {}", run.id(), message);
              } else {
                LOG.info("run {}: {}", run.id(), message); // the CLI shows the task's line
              }
              log(p.taskId(), p.attempt(), level, message);
            });
  }

  private void activate(Phase p) {
    phase = p;
    for (Slot s : slots.values()) {
      if (s.def.phase() == p && s.state() == TaskState.PENDING) {
        candidates.add(s);
      }
    }
  }

  private boolean runFailed() {
    if (runTimedOut) {
      return true;
    }
    for (Slot s : slots.values()) {
      if (s.def.phase() == Phase.MAIN
          && (s.state() == TaskState.FAILED || s.state() == TaskState.TIMED_OUT)) {
        return true;
      }
    }
    return false;
  }

  /** Moves to the next phase when the current one is done; finishes the run after the last. */
  private boolean nextPhase() {
    if (open.get(phase) > 0) {
      return false;
    }
    if (phase == Phase.MAIN) {
      if (!runFailed()) {
        skipAll(Phase.ON_FAILURE, "the run did not fail");
      }
      activate(Phase.ON_FAILURE);
    } else if (phase == Phase.ON_FAILURE) {
      activate(Phase.FINALLY);
    } else {
      finish();
    }
    return true;
  }

  private void skipAll(Phase p, String why) {
    Instant now = services.clock().instant();
    for (Slot s : slots.values()) {
      if (s.def.phase() == p && !s.state().isTerminal()) {
        update(s, s.current.ended(TaskState.SKIPPED, now, why, null, null, -1));
      }
    }
  }

  private void finish() {
    Instant now = services.clock().instant();
    RunState state;
    String error = null;
    if (cancelled) {
      state = RunState.CANCELLED;
      error = cancelReason;
    } else if (runFailed()) {
      state = RunState.FAILED;
      error = runTimedOut ? timedOutMessage() : firstFailure();
    } else {
      state = RunState.SUCCEEDED;
      commitTaskState();
    }
    setRun(run.ended(state, now, error));
    finished = true;
  }

  /**
   * Keeps the state (watermarks) that succeeded tasks proposed, before the run is marked done: a
   * crash in between resumes the run, which finishes and writes the same values again.
   */
  private void commitTaskState() {
    for (Slot s : slots.values()) {
      if (s.current != null
          && s.current.state() == TaskState.SUCCEEDED
          && s.current.stateUpdates() != null) {
        DatasetCodec.decodeOutputs(s.current.stateUpdates())
            .forEach((k, v) ->
                services
                    .store()
                    .putState(
                        scope.flow.namespace(), scope.flow.id(), s.def.id(), k, String.valueOf(v)));
      }
    }
  }

  private String firstFailure() {
    for (Slot s : slots.values()) {
      if (s.def.phase() == Phase.MAIN
          && (s.state() == TaskState.FAILED || s.state() == TaskState.TIMED_OUT)) {
        return "task '"
            + s.def.id()
            + "' "
            + (s.state() == TaskState.TIMED_OUT ? "timed out" : "failed")
            + ": "
            + s.current.error();
      }
    }
    return "a task failed";
  }

  private void abandon(String reason) {
    // Leave the run as stored; `weir resume` continues it. Stop what still runs.
    slots
        .values()
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
      progressed = false;
      while (!candidates.isEmpty()) {
        Slot s = candidates.iterator().next();
        candidates.remove(s);
        if (s.def.phase() == phase && s.state() == TaskState.PENDING) {
          decide(s);
        }
      }
      startReady();
      progressed = nextPhase();
    }
  }

  private void decide(Slot s) {
    Dag dag = dags.get(s.def.phase());
    boolean anyFailed = false;
    boolean allOk = true;
    String failedUpstream = null;
    for (String up : dag.upstream(s.def.id())) {
      TaskState st = slots.get(up).state();
      if (!st.isTerminal()) {
        return;
      }
      if (!st.isSuccessful()) {
        allOk = false;
        failedUpstream = failedUpstream == null ? up : failedUpstream;
      }
      anyFailed |= st.isFailure();
    }
    Instant now = services.clock().instant();
    RunIf runIf = s.def.runIf();
    if (runIf == RunIf.SUCCESS && !allOk) {
      update(
          s,
          s.current.ended(
              TaskState.UPSTREAM_FAILED,
              now,
              "upstream task '" + failedUpstream + "' did not succeed",
              null,
              null,
              -1));
      return;
    }
    if (runIf == RunIf.FAILED && !anyFailed) {
      update(
          s,
          s.current.ended(
              TaskState.SKIPPED,
              now,
              "runIf: failed, and no upstream task failed",
              null,
              null,
              -1));
      return;
    }
    if (s.def.condition() != null) {
      String value;
      try {
        value = scope.render(s.def.condition(), extraVariables(s)).strip();
      } catch (ExpressionException e) {
        update(
            s,
            s.current.ended(
                TaskState.FAILED, now, mask("condition: " + e.getMessage()), null, null, -1));
        return;
      }
      if (value.equalsIgnoreCase("false")) {
        update(
            s,
            s.current.ended(
                TaskState.SKIPPED,
                now,
                "condition " + s.def.condition().strip() + " is false",
                null,
                null,
                -1));
        return;
      }
      if (!value.equalsIgnoreCase("true")) {
        update(
            s,
            s.current.ended(
                TaskState.FAILED,
                now,
                mask(
                    "condition "
                        + s.def.condition().strip()
                        + " rendered '"
                        + value
                        + "'; it must render true or false"),
                null,
                null,
                -1));
        return;
      }
    }
    update(s, s.current.queued(now));
    ready.add(s);
  }

  /**
   * Dispatches ready tasks up to the flow's parallelism. A task that a {@link TaskGate} guards
   * stays QUEUED (and takes its parallelism slot) while it waits there; it turns RUNNING in {@link
   * #onAdmitted}.
   */
  private void startReady() {
    int limit = scope.flow.parallelism();
    while (inFlight < limit && !ready.isEmpty()) {
      Slot s = ready.poll();
      if (s.state() != TaskState.QUEUED) {
        continue;
      }
      TaskGate.Request request = gateRequest(s);
      boolean gated = services.gate().guards(request);
      if (!gated) {
        update(s, s.current.running(services.clock().instant()));
      }
      inFlight++;
      s.inFlight = true;
      int attempt = s.current.attempt();
      afterCommit.add(() -> dispatch(s, attempt, gated ? request : null));
    }
  }

  private TaskGate.Request gateRequest(Slot s) {
    return new TaskGate.Request(
        scope.flow.namespace(),
        scope.flow.id(),
        run.id(),
        s.def.id(),
        s.current.attempt(),
        s.def.pool(),
        connectionOf(s));
  }

  /** The task's {@code connection:}, rendered; null when it has none or it cannot be rendered. */
  private String connectionOf(Slot s) {
    var node = s.def.properties().get("connection");
    if (node == null || !node.isTextual()) {
      return null;
    }
    String name = node.textValue();
    if (!name.contains("{{")) {
      return name;
    }
    try {
      // masked: the name keys a circuit breaker, which shows in the server's log and metrics
      return mask(scope.render(name, extraVariables(s)).strip());
    } catch (RuntimeException e) {
      return null; // the attempt fails on the same expression, with the full message
    }
  }

  private Map<String, Object> extraVariables(Slot s) {
    if (s.def.phase() != Phase.ON_FAILURE) {
      return Map.of();
    }
    for (Slot f : slots.values()) {
      if (f.def.phase() == Phase.MAIN
          && (f.state() == TaskState.FAILED || f.state() == TaskState.TIMED_OUT)) {
        return Map.of(
            "failedTask",
            Map.of(
                "id",
                f.def.id(),
                "type",
                f.def.type(),
                "error",
                f.current.error() == null ? "" : f.current.error()));
      }
    }
    return Map.of(
        "failedTask", Map.of("id", "", "type", "", "error", runTimedOut ? "run timed out" : ""));
  }

  /** Starts the attempt's thread; {@code request} is null when no gate guards it. */
  private void dispatch(Slot s, int attemptNo, TaskGate.Request request) {
    TaskType<?> type = services.registry().get(s.def.type());
    var control = new AttemptControl();
    s.control = control;
    var logger =
        new AttemptLogger(
            run.id(),
            s.def.id(),
            attemptNo,
            services.secrets().masker(),
            services.clock(),
            services.logs(),
            services.listener());
    var ctx =
        new AttemptContext(
            scope,
            s.def.id(),
            attemptNo,
            logger,
            control,
            dags.get(s.def.phase()),
            s.def.phase(),
            services.clock());
    s.context = ctx;
    if (request == null) {
      startTimeout(s, attemptNo);
    }
    services
        .workers()
        .execute(
            new Attempt(
                scope,
                s.def,
                type,
                attemptNo,
                extraVariables(s),
                ctx,
                control,
                this::post,
                services.gate(),
                request));
  }

  /** The task's timeout counts from RUNNING: time spent waiting at the gate is not its fault. */
  private void startTimeout(Slot s, int attemptNo) {
    if (s.def.timeout() != null) {
      s.timer =
          services
              .timers()
              .schedule(
                  () -> post(new EngineEvent.AttemptTimedOut(s.def.id(), attemptNo)),
                  s.def.timeout().toMillis(),
                  TimeUnit.MILLISECONDS);
    }
  }

  // ---- event handlers

  private void handle(EngineEvent e) {
    switch (e) {
      case EngineEvent.AttemptAdmitted ev -> onAdmitted(ev);
      case EngineEvent.AttemptSucceeded ev -> onSucceeded(ev);
      case EngineEvent.AttemptFailed ev -> onFailed(ev);
      case EngineEvent.AttemptTimedOut ev -> onTimedOut(ev);
      case EngineEvent.RetryDue ev -> onRetryDue(ev);
      case EngineEvent.CancelRequested ev -> onCancel(ev);
      case EngineEvent.RunTimedOut ev -> onRunTimedOut();
    }
  }

  private Slot inFlightSlot(String taskId, int attempt) {
    Slot s = slots.get(taskId);
    if (s == null || s.current.attempt() != attempt || !s.inFlight) {
      return null; // a late report from an attempt already timed out or cancelled
    }
    return s;
  }

  private void onAdmitted(EngineEvent.AttemptAdmitted e) {
    Slot s = inFlightSlot(e.taskId(), e.attempt());
    if (s == null || s.state() != TaskState.QUEUED) {
      return; // cancelled while it waited: its thread was interrupted and gives the permit back
    }
    update(s, s.current.running(services.clock().instant()));
    startTimeout(s, e.attempt());
    AttemptControl control = s.control;
    afterCommit.add(control::start);
  }

  private void onSucceeded(EngineEvent.AttemptSucceeded e) {
    Slot s = inFlightSlot(e.taskId(), e.attempt());
    if (s == null) {
      return;
    }
    stopped(s);
    TaskResult r = e.result();
    Map<String, Object> outputs = new LinkedHashMap<>(r.outputs());
    if (r.dataset() != null) {
      scope.datasets.put(s.def.id(), r.dataset());
    }
    scope.outputs.put(s.def.id(), outputs);
    update(
        s,
        s.current
            .ended(
                TaskState.SUCCEEDED,
                services.clock().instant(),
                null,
                mask(DatasetCodec.encodeOutputs(outputs)),
                DatasetCodec.encode(r.dataset()),
                r.rows())
            .withStateUpdates(
                r.state().isEmpty() ? null : DatasetCodec.encodeOutputs(Map.copyOf(r.state()))));
    audit(s, r.audit());
  }

  // an attempt with nothing known (a no-op task) gets no row: it reads back as unknown either way,
  // and a flow of a thousand such tasks does not pay a thousand INSERTs
  private void audit(Slot s, dev.weir.task.Audit facts) {
    var record = AuditFacts.record(run.id(), s.def.id(), s.current.attempt(), facts, this::mask);
    if (!record.isEmpty()) {
      changes.audit(record);
    }
  }

  private void auditFailure(Slot s, Map<String, Object> outputs) {
    Map<String, Dataset> read = s.context == null ? Map.of() : s.context.datasetsRead();
    audit(s, AuditFacts.ofFailure(scope, read, outputs));
  }

  private void onFailed(EngineEvent.AttemptFailed e) {
    Slot s = inFlightSlot(e.taskId(), e.attempt());
    if (s == null || cancelAsked) {
      return; // a cancel is queued behind this: it ends the attempt CANCELLED
    }
    stopped(s);
    Throwable t = e.error();
    boolean retryable =
        !(t instanceof TaskFailedException tf && !tf.retryable())
            && !(t instanceof ExpressionException);
    Map<String, Object> outputs = t instanceof TaskFailedException tf ? tf.outputs() : Map.of();
    String message = mask(describe(t));
    if (!(t instanceof WeirException)) {
      var sw = new StringWriter();
      t.printStackTrace(new PrintWriter(sw));
      log(s, "ERROR", sw.toString());
    }
    fail(s, TaskState.FAILED, message, retryable, outputs);
  }

  private void onTimedOut(EngineEvent.AttemptTimedOut e) {
    Slot s = inFlightSlot(e.taskId(), e.attempt());
    if (s == null) {
      return;
    }
    stopped(s);
    s.control.cancel();
    fail(
        s,
        TaskState.TIMED_OUT,
        "timed out after " + Durations.format(s.def.timeout()) + " (task timeout)",
        true,
        Map.of());
  }

  private void onRetryDue(EngineEvent.RetryDue e) {
    Slot s = slots.get(e.taskId());
    if (s != null && s.current.attempt() == e.attempt() && s.state() == TaskState.RETRY_WAIT) {
      update(s, s.current.queued(services.clock().instant()));
      ready.add(s);
    }
  }

  private String cancelReason;

  private void onCancel(EngineEvent.CancelRequested e) {
    cancelled = true;
    cancelReason = e.reason();
    Instant now = services.clock().instant();
    for (Slot s : slots.values()) {
      if (s.inFlight) {
        stopped(s);
        s.control.cancel();
      }
      if (!s.state().isTerminal()) {
        update(s, s.current.ended(TaskState.CANCELLED, now, e.reason(), null, null, -1));
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
    Instant now = services.clock().instant();
    String why = "the run timed out after " + Durations.format(scope.flow.timeout());
    for (Slot s : slots.values()) {
      if (s.def.phase() != Phase.MAIN || s.state().isTerminal()) {
        continue;
      }
      boolean wasRunning = s.state() == TaskState.RUNNING;
      if (s.inFlight) {
        stopped(s);
        s.control.cancel();
      }
      update(
          s,
          s.current.ended(
              wasRunning ? TaskState.TIMED_OUT : TaskState.CANCELLED, now, why, null, null, -1));
    }
  }

  // ---- helpers

  private void stopped(Slot s) {
    inFlight--;
    s.inFlight = false;
    cancelTimer(s);
  }

  private static void cancelTimer(Slot s) {
    if (s.timer != null) {
      s.timer.cancel(false);
      s.timer = null;
    }
  }

  private void fail(
      Slot s, TaskState state, String message, boolean retryable, Map<String, Object> outputs) {
    Instant now = services.clock().instant();
    RetryPolicy policy = s.def.retry() != null ? s.def.retry() : scope.flow.retry();
    s.failures++;
    auditFailure(s, outputs);
    String outJson = mask(DatasetCodec.encodeOutputs(outputs));
    boolean stopped = cancelled || (runTimedOut && s.def.phase() == Phase.MAIN);
    if (retryable && !stopped && s.failures < policy.attempts()) {
      Duration delay = policy.delayAfter(s.failures, services.random());
      update(s, s.current.ended(state, now, message, outJson, null, -1));
      log(
          s,
          "WARN",
          "attempt "
              + s.current.attempt()
              + " failed: "
              + message
              + "; retrying in "
              + Durations.format(delay)
              + " (try "
              + (s.failures + 1)
              + " of "
              + policy.attempts()
              + ")");
      Instant at = now.plus(delay);
      insert(
          s,
          TaskRunRecord.pending(run.id(), s.def.id(), s.current.attempt() + 1, run.attempt())
              .retryWait(at));
      scheduleRetry(s, at);
    } else {
      String suffix =
          retryable && policy.attempts() > 1 && s.failures >= policy.attempts()
              ? " (gave up after " + s.failures + " tries)"
              : "";
      update(s, s.current.ended(state, now, message + suffix, outJson, null, -1));
    }
  }

  private void scheduleRetry(Slot s, Instant at) {
    // round up: a retry must never start before the retryAt it was promised
    long ms =
        Math.max(0, Duration.between(services.clock().instant(), at).plusNanos(999_999).toMillis());
    int attempt = s.current.attempt();
    s.timer =
        services
            .timers()
            .schedule(
                () -> post(new EngineEvent.RetryDue(s.def.id(), attempt)),
                ms,
                TimeUnit.MILLISECONDS);
  }

  // told to listeners too, as a task's own lines are: the log files and live streams need them
  private void log(Slot s, String level, String message) {
    log(s.def.id(), s.current.attempt(), level, message);
  }

  private void log(String taskId, int attempt, String level, String message) {
    var line =
        new dev.weir.store.LogLine(
            run.id(), taskId, attempt, services.clock().instant(), level, mask(message));
    services.logs().add(line);
    services.listener().logged(line);
  }

  private String mask(String text) {
    return services.secrets().masker().mask(text);
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

  private void restoreOutputs(Slot s) {
    scope.outputs.put(s.def.id(), DatasetCodec.decodeOutputs(s.current.outputs()));
    Dataset d = DatasetCodec.decode(s.current.dataset());
    if (d != null) {
      scope.datasets.put(s.def.id(), d);
    }
  }

  private void update(Slot s, TaskRunRecord next) {
    transition(s, next);
    changes.update(next);
  }

  private void insert(Slot s, TaskRunRecord next) {
    transition(s, next);
    changes.insert(next);
  }

  private void transition(Slot s, TaskRunRecord next) {
    boolean wasOpen = !s.state().isTerminal();
    boolean isOpen = !next.state().isTerminal();
    if (wasOpen != isOpen) {
      open.merge(s.def.phase(), isOpen ? 1 : -1, Integer::sum);
    }
    s.current = next;
    if (!isOpen) {
      candidates.addAll(
          dags.get(s.def.phase()).downstream(s.def.id()).stream().map(slots::get).toList());
    }
    changes.notify(s.def, next);
  }

  private void setRun(RunRecord next) {
    run = next;
    changes.run(next);
  }

  private void commit() {
    if (!changes.isEmpty()) {
      StateStore.Batch batch = changes.batch();
      services.store().write(batch);
      if (!batch.updateRuns().isEmpty()) {
        committedRun = batch.updateRuns().get(batch.updateRuns().size() - 1);
      }
      changes.published(services.listener());
      changes.clear();
    }
    for (Runnable r : afterCommit) {
      r.run();
    }
    afterCommit.clear();
  }
}
