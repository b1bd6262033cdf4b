package dev.weir.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.Dag;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.store.AttemptTicket;
import dev.weir.store.ClaimedAttempt;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The worker's side of a routed attempt: rebuilds what the run's attempts share from the store (the
 * flow of the run's revision, its inputs, the outputs and datasets of its succeeded tasks), then
 * runs the task as {@link Attempt} does in the run's own process, and turns its end into the
 * outcome the coordinator reads ({@link RoutedOutcome}).
 */
final class RoutedExecution {
  private final EngineServices services;
  private final StoredFlows flows;
  private final RunInputs inputs;
  private final RunScopes scopes;

  RoutedExecution(EngineServices services, StoredFlows flows, RunInputs inputs, RunScopes scopes) {
    this.services = services;
    this.flows = flows;
    this.inputs = inputs;
    this.scopes = scopes;
  }

  RoutedWork start(ClaimedAttempt claimed, String worker) {
    AttemptTicket t = claimed.ticket();
    var control = new AttemptControl();
    var outcome = new CompletableFuture<String>();
    var logger =
        new AttemptLogger(
            t.runId(),
            t.taskId(),
            t.attempt(),
            services.secrets().masker(),
            services.clock(),
            services.logs(),
            services.listener());
    Attempt attempt;
    try {
      attempt = prepare(t, control, logger, outcome);
      logger.info("runs on worker " + worker);
    } catch (RuntimeException e) {
      outcome.complete(
          mask(
              RoutedOutcome.failed(e, "this worker cannot run the attempt: " + describe(e), null)));
      return new RoutedWork(control, outcome);
    }
    services.workers().execute(attempt);
    return new RoutedWork(control, outcome);
  }

  private Attempt prepare(
      AttemptTicket t,
      AttemptControl control,
      AttemptLogger logger,
      CompletableFuture<String> outcome) {
    JsonNode ticket = read(t.ticket());
    RunRecord run =
        services
            .store()
            .findRun(t.runId())
            .orElseThrow(() -> TaskFailedException.permanent("run " + t.runId() + " is gone"));
    if (run.state().isTerminal()) {
      throw TaskFailedException.permanent(
          "run " + run.id() + " ended " + run.state() + " meanwhile; nothing to run");
    }
    Flow flow = flows.of(run);
    Located at = placeOf(flow, ticket, run);
    TaskDef def = at.def();
    RunScope scope = scopes.of(run, flow, inputs.stored(flow, run));
    restoreOutputs(scope);
    TaskType<?> type = services.registry().get(def.type());
    var ctx =
        new AttemptContext(
            scope,
            t.taskId(),
            t.attempt(),
            logger,
            control,
            at.place(),
            def.phase(),
            services.clock());
    ctx.streamTo(services.listener());
    var checks =
        new java.util.concurrent.atomic.AtomicReference<
            java.util.List<dev.weir.store.CheckRecord>>();
    ctx.keepChecks(checks::set);
    // steps go with the attempt's result: the coordinator stores them, fenced by its claim
    var steps = java.util.Collections.synchronizedList(new java.util.ArrayList<StepChange>());
    ctx.recordSteps(services, steps::add);
    @SuppressWarnings("unchecked")
    Map<String, Object> extra =
        ticket.has("extra")
            ? DatasetCodec.JSON.convertValue(ticket.get("extra"), LinkedHashMap.class)
            : Map.of();
    return new Attempt(
        scope,
        def,
        at.place(),
        type,
        t.attempt(),
        extra,
        ctx,
        control,
        e -> outcome.complete(mask(withSteps(encode(e, checks.get()), steps))),
        TaskGate.NONE,
        null,
        null);
  }

  private record Located(TaskDef def, Place place) {}

  /**
   * The task's definition and place, from the chain the coordinator sent: the top task, then each
   * forEach group's child down to the task, with the prefixes of their items.
   */
  private static Located placeOf(Flow flow, JsonNode ticket, RunRecord run) {
    JsonNode chain = ticket.path("place");
    String taskId = ticket.path("task").asText();
    if (!chain.isArray() || chain.isEmpty()) {
      TaskDef def = top(flow, taskId, run);
      return new Located(def, Place.top(def.id(), new Dag(phaseTasks(flow, def))));
    }
    TaskDef def = top(flow, chain.get(0).path("task").asText(), run);
    Place place = Place.top(def.id(), new Dag(phaseTasks(flow, def)));
    for (int i = 1; i < chain.size(); i++) {
      String id = chain.get(i).path("task").asText();
      TaskDef group = def;
      def =
          group.children().stream()
              .filter(c -> c.id().equals(id))
              .findFirst()
              .orElseThrow(() ->
                  TaskFailedException.permanent(
                      "task '" + id + "' is not in group '" + group.id() + "' of the run's flow"));
      place = new Place(id, chain.get(i).path("prefix").asText(), new Dag(group.children()), place);
    }
    return new Located(def, place);
  }

  private static TaskDef top(Flow flow, String taskId, RunRecord run) {
    return flow.task(taskId)
        .orElseThrow(() ->
            TaskFailedException.permanent(
                "task '" + taskId + "' is not in revision " + run.revision() + " of the flow"));
  }

  private static java.util.List<TaskDef> phaseTasks(Flow flow, TaskDef def) {
    return switch (def.phase()) {
      case MAIN -> flow.tasks();
      case ON_FAILURE -> flow.onFailure();
      case FINALLY -> flow.finallyTasks();
    };
  }

  // the outputs and datasets of the tasks that succeeded in the run so far, as a resume sees them
  private void restoreOutputs(RunScope scope) {
    for (TaskRunRecord r : services.store().taskRuns(scope.runId)) {
      if (r.state() == TaskState.SUCCEEDED) {
        scope.outputs.put(r.taskId(), DatasetCodec.decodeOutputs(r.outputs()));
        var d = DatasetCodec.decode(r.dataset());
        if (d != null) {
          scope.datasets.put(r.taskId(), d);
        }
      }
    }
  }

  private static String encode(EngineEvent e, java.util.List<dev.weir.store.CheckRecord> checks) {
    return switch (e) {
      case EngineEvent.AttemptSucceeded s -> RoutedOutcome.succeeded(s.result(), checks);
      case EngineEvent.AttemptFailed f ->
          RoutedOutcome.failed(f.error(), describe(f.error()), checks);
      case EngineEvent.AttemptWaiting w ->
          RoutedOutcome.waiting(dev.weir.task.Reschedule.in(w.recheckIn(), w.why()), checks);
      default -> RoutedOutcome.failed(null, "unexpected end of a routed attempt: " + e, checks);
    };
  }

  private static String withSteps(String json, java.util.List<StepChange> steps) {
    synchronized (steps) {
      return RoutedOutcome.withSteps(json, java.util.List.copyOf(steps));
    }
  }

  private static String describe(Throwable t) {
    return AttemptOutcomes.describe(t);
  }

  /**
   * The outcome with secrets masked in each of its texts: masking the JSON text would miss a secret
   * the JSON escapes (a quote, a newline of a key file) and could break a number that happens to
   * contain one.
   */
  private String mask(String json) {
    JsonNode tree = read(json);
    JsonNode dataset = tree.get("dataset"); // a path and a checksum, stored unmasked as locally
    masked(tree);
    if (dataset != null) {
      ((com.fasterxml.jackson.databind.node.ObjectNode) tree).set("dataset", dataset);
    }
    return tree.toString();
  }

  private JsonNode masked(JsonNode n) {
    if (n.isTextual()) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf(
          services.secrets().masker().mask(n.textValue()));
    }
    if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
      var names = new java.util.ArrayList<String>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        o.set(name, masked(o.get(name)));
      }
    } else if (n instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, masked(a.get(i)));
      }
    }
    return n;
  }

  private static JsonNode read(String json) {
    try {
      return DatasetCodec.JSON.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("corrupt routed attempt ticket: " + json, e);
    }
  }
}
