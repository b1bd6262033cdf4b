package dev.weir.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.ConfigBinder;
import dev.weir.flow.TaskDef;
import dev.weir.logs.LogFields;
import dev.weir.task.Reschedule;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskResult;
import dev.weir.task.TaskType;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of one task, run on its own virtual thread; reports back through an event. A gated
 * attempt first waits at its {@link TaskGate}, says it was admitted, and runs the task only when
 * the coordinator stored it RUNNING.
 */
final class Attempt implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);

  private final RunScope scope;
  private final TaskDef def;
  private final Place place;
  private final String taskId;
  private final TaskType<?> type;
  private final int attempt;
  private final Map<String, Object> extraVariables;
  private final AttemptContext context;
  private final AttemptControl control;
  private final Consumer<EngineEvent> post;
  private final TaskGate gate;
  private final TaskGate.Request request;
  private final RoutedAttempts routed;

  /**
   * @param request what to ask {@code gate} for, or null to run at once (the task run is RUNNING)
   * @param routed where to send the attempt for a worker to run, or null to run it on this thread
   */
  Attempt(
      RunScope scope,
      TaskDef def,
      Place place,
      TaskType<?> type,
      int attempt,
      Map<String, Object> extraVariables,
      AttemptContext context,
      AttemptControl control,
      Consumer<EngineEvent> post,
      TaskGate gate,
      TaskGate.Request request,
      RoutedAttempts routed) {
    this.scope = scope;
    this.def = def;
    this.place = place;
    this.taskId = place.runTaskId();
    this.type = type;
    this.attempt = attempt;
    this.extraVariables = extraVariables;
    this.context = context;
    this.control = control;
    this.post = post;
    this.gate = gate;
    this.request = request;
    this.routed = routed;
  }

  @Override
  public void run() {
    // a library's own log lines during the attempt carry run, flow, task and attempt
    try (var mdc =
        LogFields.attempt(
            context.runId(),
            LogFields.flow(context.namespace(), context.flowId()),
            taskId,
            attempt)) {
      runAttempt();
    }
  }

  private void runAttempt() {
    control.bind(Thread.currentThread());
    TaskGate.Permit permit = TaskGate.Permit.NONE;
    EngineEvent outcome;
    TaskGate.Outcome released;
    try {
      if (request != null) {
        permit = gate.acquire(request, context.logger());
        post.accept(new EngineEvent.AttemptAdmitted(taskId, attempt));
        control.awaitStart();
      }
      TaskResult result =
          routed != null
              ? routed.run(
                  ticket(), context.logger(), c -> post.accept(new EngineEvent.StepChanged(c)))
              : published(AuditFacts.complete(execute(type), scope, context.datasetsRead()));
      outcome = new EngineEvent.AttemptSucceeded(taskId, attempt, result);
      released = TaskGate.Outcome.SUCCEEDED;
    } catch (Reschedule r) {
      // a sensor's check: not there yet, and not a failure (a breaker counts it as a success)
      outcome = new EngineEvent.AttemptWaiting(taskId, attempt, r.recheckIn(), r.getMessage());
      released = TaskGate.Outcome.SUCCEEDED;
    } catch (Throwable t) {
      outcome = new EngineEvent.AttemptFailed(taskId, attempt, t);
      released = gateOutcome(t);
    }
    // before the result is told: whoever waits for the run's end finds the permit back
    try {
      permit.release(released);
    } catch (RuntimeException e) {
      LOG.error("releasing the gate permit of {}/{} failed: {}", scope.runId, taskId, e.toString());
    }
    post.accept(outcome);
  }

  // what a worker needs besides the stored run: the task, and the variables only this run knows
  private dev.weir.store.AttemptTicket ticket() {
    var o = DatasetCodec.JSON.createObjectNode();
    o.put("task", def.id());
    // where the task sits, outermost first: a task inside forEach items has groups around it
    var chain = new java.util.ArrayList<Place>();
    for (Place p = place; p != null; p = p.outer()) {
      chain.addFirst(p);
    }
    var at = o.putArray("place");
    chain.forEach(p -> at.addObject().put("task", p.taskId()).put("prefix", p.prefix()));
    o.set("extra", DatasetCodec.JSON.valueToTree(extraVariables));
    return new dev.weir.store.AttemptTicket(scope.runId, taskId, attempt, def.pool(), o.toString());
  }

  private TaskGate.Outcome gateOutcome(Throwable t) {
    if (control.isCancelled()) {
      return TaskGate.Outcome.CANCELLED;
    }
    return t instanceof TaskFailedException tf && tf.connectionFailure()
        ? TaskGate.Outcome.CONNECTION_FAILED
        : TaskGate.Outcome.FAILED;
  }

  // before the success is told, so the store never records a dataset other nodes cannot read
  private TaskResult published(TaskResult r) {
    scope.staging.publish(scope.runId, taskId, attempt, r.dataset(), context.logger());
    return r;
  }

  private <C extends Record> TaskResult execute(TaskType<C> t) throws Exception {
    JsonNode props = def.properties();
    if (ConfigBinder.containsTemplate(props)) {
      props =
          scope.expressions.renderTree(
              props, scope.variables(extraVariables, place), scope.services, def.path());
    }
    C config;
    try {
      config = ConfigBinder.bind(props, t.configType());
    } catch (IllegalArgumentException e) {
      throw TaskFailedException.permanent(
          "invalid properties for a " + def.type() + " task: " + e.getMessage());
    }
    if (def.deadLetter() == null || !t.setsRecordsAside()) {
      TaskResult result = t.run(config, context);
      return result == null ? TaskResult.empty() : result;
    }
    try (dev.weir.deadletter.DeadLetterSink sink = openDeadLetters()) {
      context.useDeadLetters(sink);
      TaskResult result = t.run(config, context);
      result = result == null ? TaskResult.empty() : result;
      // letters are kept when the task succeeds, or fails for having set aside too many
      var outputs = new java.util.LinkedHashMap<String, Object>(result.outputs());
      outputs.putAll(sink.finish());
      return new TaskResult(outputs, result.dataset(), result.state(), result.audit());
    }
  }

  private dev.weir.deadletter.DeadLetterSink openDeadLetters() {
    var vars = scope.variables(extraVariables, place);
    var spec = def.deadLetter().map(text -> scope.expressions.render(text, vars, scope.services));
    try {
      return dev.weir.deadletter.DeadLetterSink.open(
          spec,
          new dev.weir.deadletter.Origin(
              context.namespace(), context.flowId(), context.runId(), taskId, attempt),
          def.type(),
          new dev.weir.deadletter.DeadLetterStorage.Environment(
              context.workDir(), context::connection),
          context::mask,
          scope.store.deadLetters(),
          context.clock());
    } catch (TaskFailedException e) {
      throw e;
    } catch (Exception e) {
      throw TaskFailedException.permanent(
          def.path() + ".deadLetter: cannot open the dead letters: " + e.getMessage());
    }
  }
}
