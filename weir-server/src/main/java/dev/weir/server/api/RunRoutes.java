package dev.weir.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.audit.RunAudit;
import dev.weir.expr.Masker;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.store.RunPage;
import dev.weir.store.RunRecord;
import dev.weir.store.RunSearch;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code /runs}: list with filters, get with task attempts and check results, start, cancel, retry,
 * resume, logs (answered by {@link RunLogs}); the check history of a flow's datasets.
 */
public final class RunRoutes implements Consumer<Routes> {
  private static final int MAX_LIMIT = 1000;

  private final FlowRegistry flows;
  private final RunLauncher launcher;
  private final StateStore store;
  private final Masker masker;
  private final RunLogs logs;

  public RunRoutes(FlowRegistry flows, RunLauncher launcher, StateStore store, Masker masker) {
    this.flows = flows;
    this.launcher = launcher;
    this.store = store;
    this.masker = masker;
    this.logs = new RunLogs(store, launcher, masker, this::run);
  }

  @Override
  public void accept(Routes r) {
    r.get("/runs", this::list)
        .get("/runs/{id}", this::get)
        .post("/flows/{ns}/{id}/runs", this::start)
        .post("/runs/{id}/cancel", this::cancel)
        .post("/runs/{id}/retry", this::retry)
        .post("/runs/{id}/resume", this::resume)
        .get("/runs/{id}/audit", this::audit)
        .get("/runs/{id}/logs", logs::logs)
        .get("/runs/{id}/checks", this::checks)
        .get("/runs/{id}/deadletters", this::deadLetters)
        .get("/flows/{ns}/{id}/checks", this::checkHistory)
        .sse("/runs/{id}/logs/stream", logs::stream);
  }

  /**
   * A page of runs: filters, sort and cursor as in {@link RunSearchParams}; the answer has the
   * runs, the total of the filter and the cursor of the next page.
   */
  private void list(Context ctx) {
    RunSearch search = RunSearchParams.parse(ctx);
    RunPage page = store.searchRuns(search);
    var root = Json.MAPPER.createObjectNode();
    var arr = root.putArray("runs");
    page.runs().forEach(run -> arr.add(run(run)));
    root.put("total", page.total());
    root.put("totalExact", page.totalExact());
    root.put("nextCursor", page.nextCursor());
    root.put("limit", search.limit());
    root.put("sort", search.sort().key().label());
    root.put("order", search.sort().descending() ? "desc" : "asc");
    ctx.json(root);
  }

  ObjectNode run(RunRecord r) {
    ObjectNode o = Json.MAPPER.valueToTree(r.toMap(masker::mask));
    o.set("inputs", Json.parse(r.inputs()));
    return o;
  }

  /**
   * The run with this id or the only one whose id starts with it: an unknown id is a 404, an
   * ambiguous prefix a 400 (the store's own message would name the store and a CLI command).
   */
  private RunRecord find(String id) {
    return find(store, id);
  }

  /** The run with this id or the only one whose id starts with it; 404 or 400 otherwise. */
  public static RunRecord find(StateStore store, String id) {
    var exact = store.findRun(id);
    if (exact.isPresent()) {
      return exact.get();
    }
    List<RunRecord> matches = store.findRunsByPrefix(id, 5);
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.isEmpty()) {
      throw new ApiException(
          404, "no run '" + id + "' on this server; list runs with GET /api/v1/runs");
    }
    throw new ApiException(
        400,
        "run id '"
            + id
            + "' is ambiguous, it starts "
            + matches.stream().map(RunRecord::id).toList()
            + "; give more characters");
  }

  static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  private void get(Context ctx) {
    RunRecord r = find(ctx.pathParam("id"));
    ObjectNode o = run(r);
    var tasks = new LinkedHashMap<String, ObjectNode>();
    for (TaskRunRecord t : store.taskRuns(r.id())) {
      ObjectNode task =
          tasks.computeIfAbsent(
              t.taskId(),
              id -> {
                ObjectNode n = Json.MAPPER.createObjectNode();
                n.put("id", id);
                if (TaskRunRecord.isStepId(id)) { // a step an attempt of this task recorded
                  n.put("parent", TaskRunRecord.stepParent(id));
                }
                n.putArray("attempts");
                return n;
              });
      task.put("state", t.state().name());
      task.put("rows", t.rows());
      task.set("outputs", Json.parse(masker.mask(t.outputs())));
      ObjectNode a =
          ((com.fasterxml.jackson.databind.node.ArrayNode) task.get("attempts")).addObject();
      a.put("attempt", t.attempt());
      a.put("state", t.state().name());
      a.put("startedAt", str(t.startedAt()));
      a.put("endedAt", str(t.endedAt()));
      a.put("rows", t.rows());
      a.put("error", masker.mask(t.error()));
    }
    var arr = o.putArray("tasks");
    tasks.values().forEach(arr::add);
    o.set("checks", CheckJson.array(store.checks(r.id()), masker));
    subflows(r, o);
    ctx.json(o);
  }

  /** The run that started this one through a subflow task, and the runs this one started. */
  private void subflows(RunRecord r, ObjectNode o) {
    store
        .parentOf(r.id())
        .ifPresentOrElse(
            p ->
                o.putObject("parent")
                    .put("runId", p.parentRunId())
                    .put("taskId", p.parentTaskId())
                    .put("attempt", p.parentAttempt()),
            () -> o.putNull("parent"));
    var children = o.putArray("children");
    for (var c : store.children(r.id(), null)) {
      ObjectNode n = children.addObject().put("runId", c.runId()).put("taskId", c.parentTaskId());
      n.put("attempt", c.parentAttempt());
      store
          .findRun(c.runId())
          .ifPresent(child ->
              n.put("namespace", child.namespace())
                  .put("flowId", child.flowId())
                  .put("state", child.state().name()));
    }
  }

  /**
   * The run's audit trail: totals, and each task's last attempt (see docs/audit-and-lineage.md).
   */
  private void audit(Context ctx) {
    RunRecord r = find(ctx.pathParam("id"));
    var audit = RunAudit.of(r, store.taskRuns(r.id()), store.audits(r.id()), Instant.now());
    ctx.contentType("application/json")
        .result(masker.mask(Json.MAPPER.valueToTree(audit.toMap()).toString()));
  }

  private void start(Context ctx) {
    DeployedFlow flow = flows.require(FlowRoutes.key(ctx));
    Map<String, String> inputs = new LinkedHashMap<>();
    JsonNode body = Json.parse(ctx.body());
    if (body != null && body.has("inputs")) {
      body.get("inputs")
          .properties()
          .forEach(e ->
              inputs.put(
                  e.getKey(),
                  e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
    }
    Instant logicalDate = null;
    if (body != null && body.hasNonNull("logicalDate")) {
      try {
        logicalDate = Instant.parse(body.get("logicalDate").asText());
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("'logicalDate' must be an ISO-8601 instant");
      }
    }
    var started = launcher.start(flow, new RunLauncher.Request(inputs, "api", logicalDate, null));
    answer(ctx, started);
  }

  /** 202 with the run for a started or queued run, 409 when skipped or refused. */
  public static void answer(Context ctx, RunLauncher.Started started) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("outcome", started.outcome().name());
    o.put("message", started.reason());
    started
        .run()
        .ifPresent(r -> {
          o.put("runId", r.id());
          o.put("state", r.state().name());
        });
    int status =
        switch (started.outcome()) {
          case STARTED, QUEUED -> 202;
          case SKIPPED, REFUSED -> 409;
        };
    ctx.status(status).json(o);
  }

  private void cancel(Context ctx) {
    ctx.status(202).json(run(cancel(launcher, store, ctx.pathParam("id"))));
  }

  private void retry(Context ctx) {
    ctx.status(202).json(run(retry(launcher, store, ctx.pathParam("id"))));
  }

  /**
   * Resumes an orphaned run (optional body {@code {"force": true}}): 202 with the run, 409 with why
   * when it cannot be resumed.
   */
  private void resume(Context ctx) {
    JsonNode body = Json.parse(ctx.body());
    boolean force = body != null && body.path("force").asBoolean(false);
    RunRecord r = find(ctx.pathParam("id"));
    RunRecord resumed;
    try {
      resumed = launcher.resume(r.id(), force);
    } catch (dev.weir.WeirException e) {
      // the engine words its advice for the CLI's flag; over the API it is the body's field
      String why = e.getMessage().replace("pass --force", "send {\"force\": true}");
      throw new ApiException(409, masker.mask(why));
    }
    ctx.status(202).json(run(resumed));
  }

  /** Cancels the run with this id or prefix; the run as it is now. */
  static RunRecord cancel(RunLauncher launcher, StateStore store, String id) {
    RunRecord r = launcher.cancel(find(store, id).id(), "cancelled over the API");
    return store.findRun(r.id()).orElse(r);
  }

  /** Runs the failed or cancelled run with this id or prefix again. */
  static RunRecord retry(RunLauncher launcher, StateStore store, String id) {
    return launcher.retry(find(store, id).id());
  }

  private void checks(Context ctx) {
    RunRecord r = find(ctx.pathParam("id"));
    var root = Json.MAPPER.createObjectNode();
    root.put("runId", r.id());
    root.set("checks", CheckJson.array(store.checks(r.id()), masker));
    ctx.json(root);
  }

  /** The batches of records the run's tasks set aside (deadLetter:), oldest first. */
  private void deadLetters(Context ctx) {
    RunRecord r = find(ctx.pathParam("id"));
    var root = Json.MAPPER.createObjectNode();
    root.put("runId", r.id());
    var arr = root.putArray("deadLetters");
    // a batch kept by an attempt that failed (over maxRejected): nothing of it was loaded
    var failed = new java.util.HashSet<String>();
    for (var t : store.taskRuns(r.id())) {
      if (t.state() == dev.weir.store.TaskState.FAILED) {
        failed.add(t.taskId() + "#" + t.attempt());
      }
    }
    store.deadLetters().list(null, null, r.id(), MAX_LIMIT).reversed().stream()
        .filter(b -> r.id().equals(b.runId()))
        .forEach(b -> {
          var o = arr.addObject();
          o.put("id", b.id());
          o.put("task", b.taskId());
          o.put("taskType", b.taskType());
          o.put("attempt", b.attempt());
          o.put("letters", b.letters());
          o.put("handled", b.handled());
          o.put("firstReason", b.firstReason() == null ? null : masker.mask(b.firstReason()));
          o.put("location", masker.mask(b.location()));
          o.put("attemptFailed", failed.contains(b.taskId() + "#" + b.attempt()));
          o.put("createdAt", b.createdAt().toString());
          o.put("replayedAt", b.replayedAt() == null ? null : b.replayedAt().toString());
          o.put("replayRun", b.replayRun());
          o.put("replayOutcome", b.replayOutcome());
        });
    ctx.json(root);
  }

  /** Check results of a flow's runs, newest first; of one dataset with {@code ?dataset=}. */
  private void checkHistory(Context ctx) {
    String namespace = ctx.pathParam("ns");
    String flowId = ctx.pathParam("id");
    String dataset = ctx.queryParam("dataset");
    int limit = 100;
    if (ctx.queryParam("limit") != null) {
      limit = FlowRoutes.intParam(ctx.queryParam("limit"), "limit");
      if (limit < 1) {
        throw ApiException.badRequest("'limit' must be at least 1, got " + limit);
      }
      limit = Math.min(MAX_LIMIT, limit);
    }
    var checks = store.checkHistory(namespace, flowId, dataset, limit);
    if (checks.isEmpty()) {
      // a flow no longer deployed keeps its history; an unknown one is a 404
      flows.require(FlowRoutes.key(ctx));
    }
    var root = Json.MAPPER.createObjectNode();
    root.put("namespace", namespace);
    root.put("flow", flowId);
    root.put("dataset", dataset);
    root.put("limit", limit);
    root.set("checks", CheckJson.array(checks, masker));
    ctx.json(root);
  }
}
