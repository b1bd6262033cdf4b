package dev.weir.engine;

import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.TaskState;
import dev.weir.task.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Starts the attempts of ready tasks, up to the flow's parallelism: marks them RUNNING (or leaves
 * them QUEUED while a {@link TaskGate} guards them), and after the round's store write starts each
 * attempt's thread and its timeout. Counts the attempts in flight.
 */
final class Dispatcher {
  private final EngineServices services;
  private final RunScope scope;
  private final TaskTable table;
  private final Consumer<EngineEvent> post;
  private final Function<TaskSlot, Map<String, Object>> extraVariables;
  private final ArrayDeque<TaskSlot> ready = new ArrayDeque<>();

  /** Attempts dispatched and not yet reported: running, or waiting at the gate (QUEUED). */
  private int inFlight;

  Dispatcher(
      EngineServices services,
      RunScope scope,
      TaskTable table,
      Consumer<EngineEvent> post,
      Function<TaskSlot, Map<String, Object>> extraVariables) {
    this.services = services;
    this.scope = scope;
    this.table = table;
    this.post = post;
    this.extraVariables = extraVariables;
  }

  /** A QUEUED task, or a WAITING sensor whose next check is due. */
  void ready(TaskSlot s) {
    ready.add(s);
  }

  /**
   * Takes ready tasks while the flow's parallelism allows; what must happen after the store write
   * (starting threads) goes to {@code afterCommit}.
   */
  void startReady(List<Runnable> afterCommit) {
    int limit = scope.flow.parallelism();
    Instant now = services.clock().instant();
    while (inFlight < limit && !ready.isEmpty()) {
      TaskSlot s = ready.poll();
      TaskGate.Request request = null;
      if (s.is(TaskState.WAITING)) {
        table.recheck(s); // a sensor's check: its gate let it through at the first one
      } else if (s.is(TaskState.QUEUED)) {
        TaskGate.Request asked = gateRequest(s);
        if (services.gate().guards(asked)) {
          request = asked;
        } else {
          table.start(s, now);
        }
      } else {
        continue; // cancelled or timed out while it waited in line
      }
      inFlight++;
      s.inFlight = true;
      int attempt = s.attempt();
      TaskGate.Request gated = request;
      afterCommit.add(() -> dispatch(s, attempt, gated));
    }
  }

  /** The attempt reported (or was given up on): it no longer takes a parallelism slot. */
  void stopped(TaskSlot s) {
    if (s.inFlight) {
      inFlight--;
      s.inFlight = false;
    }
  }

  /** The gate admitted a QUEUED attempt: RUNNING now, its timeout starts, then the task. */
  void admitted(TaskSlot s, List<Runnable> afterCommit) {
    table.start(s, services.clock().instant());
    startTimeout(s);
    AttemptControl control = s.control;
    afterCommit.add(control::start);
  }

  private TaskGate.Request gateRequest(TaskSlot s) {
    return new TaskGate.Request(
        scope.flow.namespace(),
        scope.flow.id(),
        scope.runId,
        s.id(),
        s.attempt(),
        s.def.pool(),
        connectionOf(s));
  }

  /** The task's {@code connection:}, rendered; null when it has none or it cannot be rendered. */
  private String connectionOf(TaskSlot s) {
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
      return services
          .secrets()
          .masker()
          .mask(scope.render(name, extraVariables.apply(s), s.place).strip());
    } catch (RuntimeException e) {
      return null; // the attempt fails on the same expression, with the full message
    }
  }

  /** Starts the attempt's thread; {@code request} is null when no gate guards it. */
  private void dispatch(TaskSlot s, int attemptNo, TaskGate.Request request) {
    TaskType<?> type = services.registry().get(s.def.type());
    var control = new AttemptControl();
    s.control = control;
    var logger =
        new AttemptLogger(
            scope.runId,
            s.id(),
            attemptNo,
            services.secrets().masker(),
            services.clock(),
            services.logs(),
            services.listener());
    Phase phase = s.def.phase();
    var ctx =
        new AttemptContext(
            scope, s.id(), attemptNo, logger, control, s.place, phase, services.clock());
    ctx.streamTo(services.listener());
    ctx.recordSteps(services, c -> post.accept(new EngineEvent.StepChanged(c)));
    s.context = ctx;
    if (request == null && s.timeout == null) {
      startTimeout(s);
    }
    services
        .workers()
        .execute(
            new Attempt(
                scope,
                s.def,
                s.place,
                type,
                attemptNo,
                extraVariables.apply(s),
                ctx,
                control,
                post,
                services.gate(),
                request,
                services.routed().routes(s.def) ? services.routed() : null));
  }

  /**
   * The task's timeout counts from its first RUNNING (time spent at the gate is not its fault) and
   * goes on across a sensor's waits and a restart.
   */
  void startTimeout(TaskSlot s) {
    Duration limit = s.def.timeout();
    if (limit == null || s.timeout != null) {
      return;
    }
    Instant started = s.current.startedAt();
    Duration used =
        started == null ? Duration.ZERO : Duration.between(started, services.clock().instant());
    String taskId = s.id();
    int attempt = s.attempt();
    s.timeout =
        services
            .timer()
            .schedule(
                limit.minus(used),
                () -> post.accept(new EngineEvent.AttemptTimedOut(taskId, attempt)));
  }

  /** Posts {@code event} at {@code at}, as the slot's wake-up (a retry, a sensor's next check). */
  void wakeAt(TaskSlot s, Instant at, EngineEvent event) {
    s.cancelWake();
    s.wake =
        services
            .timer()
            .schedule(Duration.between(services.clock().instant(), at), () -> post.accept(event));
  }
}
