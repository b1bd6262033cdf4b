package dev.weir.server.ui;

import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One run: its state, trigger, inputs, revision, dates and duration; every task with its attempts,
 * rows, outputs and errors; its quality checks; and the actions the API offers for it.
 */
final class RunPage {
  /** Rows of the tasks table before it is cut (the graph and timeline show every task). */
  static final int TASK_ROWS = 200;

  private final Ui ui;
  private final View view;

  RunPage(Ui ui, View view) {
    this.ui = ui;
    this.view = view;
  }

  /**
   * A task with its attempts, newest state first.
   *
   * @param step a step an attempt of its parent recorded ({@code parent/name}), shown under it
   */
  record TaskView(
      String id,
      boolean step,
      String state,
      long rows,
      String outputs,
      Duration duration,
      List<Attempt> attempts,
      Audit audit) {}

  /** What the task's last attempt read and wrote (its audit facts; counts are -1 when unknown). */
  record Audit(
      long rowsRead,
      long rowsWritten,
      long rowsRejected,
      List<String> datasetsRead,
      List<String> datasetsWritten) {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  record Attempt(
      int attempt,
      String state,
      Instant queued,
      Instant started,
      Instant ended,
      Instant retryAt,
      Duration duration,
      long rows,
      String error) {}

  /** A quality check's result; its detail may quote data, so it is masked. */
  record Check(
      String task,
      String name,
      boolean passed,
      String severity,
      long failingRows,
      Double observed,
      String detail) {}

  void handle(Context ctx, Sessions.Session session) {
    RunRecord r = dev.weir.server.api.RunRoutes.find(ui.store(), ctx.pathParam("id"));
    Instant now = ui.clock().instant();
    List<TaskRunRecord> taskRuns = ui.store().taskRuns(r.id());
    var tasks = new LinkedHashMap<String, List<TaskRunRecord>>();
    for (TaskRunRecord t : taskRuns) {
      tasks.computeIfAbsent(t.taskId(), k -> new ArrayList<>()).add(t);
    }
    var waiting = waitingOf(r, taskRuns);
    var audits = new java.util.HashMap<String, dev.weir.store.TaskAuditRecord>();
    for (var a : ui.store().audits(r.id())) {
      var had = audits.get(a.taskId());
      if (had == null || had.attempt() <= a.attempt()) {
        audits.put(a.taskId(), a);
      }
    }
    var byTask = new ArrayList<TaskView>();
    tasks.forEach((id, attempts) -> byTask.add(task(id, attempts, now, audits.get(id))));
    List<TaskView> views = stepsUnderParents(byTask);
    var model = new LinkedHashMap<String, Object>();
    model.put("run", RunRow.of(r, now, ui.masker()));
    model.put("revision", r.revision());
    model.put("parentRun", ui.store().parentOf(r.id()).orElse(null));
    model.put("children", children(r.id()));
    model.put("inputs", ui.masker().mask(r.inputs()));
    boolean all = "all".equals(ctx.queryParam("tasks"));
    List<TaskView> shown = all ? views : rows(views);
    model.put("tasks", shown);
    model.put("taskCount", views.size());
    model.put("tasksHidden", views.size() - shown.size());
    model.put("waiting", waiting);
    model.put(
        "checks",
        ui.store().checks(r.id()).stream()
            .map(c ->
                new Check(
                    c.taskId(),
                    c.name(),
                    c.passed(),
                    c.severity(),
                    c.failingRows(),
                    c.observed(),
                    c.detail() == null ? null : ui.masker().mask(c.detail())))
            .toList());
    var letters = new RunDeadLetters(ui.masker()).of(r.id(), ui.store().deadLetters(), taskRuns);
    model.put("deadLetters", letters);
    model.put("lettersByTask", RunDeadLetters.byTask(letters));
    model.put("terminal", r.state().isTerminal());
    // an orphan: RUNNING in the store, but no process of this server executes it
    boolean orphan =
        r.state() == dev.weir.store.RunState.RUNNING
            && ui.launcher().handle(r.id()).isEmpty()
            && !onLiveNode(r.owner());
    model.put("resumable", orphan);
    model.put(
        "ownerAlive", orphan && r.owner() != null && dev.weir.engine.Engine.ownerAlive(r.owner()));
    model.put("owner", r.owner() == null ? "" : r.owner());
    model.put(
        "retryable", r.state().isTerminal() && r.state() != dev.weir.store.RunState.SUCCEEDED);
    view.page(
        ctx, session, "run", r.namespace() + "." + r.flowId() + " · run " + r.id(), "runs", model);
  }

  /** A run a subflow task of this run started. */
  public record Child(String runId, String taskId, String flow, String state) {}

  private List<Child> children(String runId) {
    var out = new ArrayList<Child>();
    for (var c : ui.store().children(runId, null)) {
      ui.store()
          .findRun(c.runId())
          .ifPresent(run ->
              out.add(
                  new Child(
                      c.runId(),
                      c.parentTaskId(),
                      run.namespace() + "." + run.flowId(),
                      run.state().name())));
    }
    return out;
  }

  private TaskView task(
      String id, List<TaskRunRecord> attempts, Instant now, dev.weir.store.TaskAuditRecord a) {
    var list = new ArrayList<Attempt>();
    for (TaskRunRecord t : attempts) {
      list.add(
          new Attempt(
              t.attempt(),
              t.state().name(),
              t.queuedAt(),
              t.startedAt(),
              t.endedAt(),
              t.retryAt(),
              t.startedAt() == null
                  ? null
                  : Duration.between(t.startedAt(), t.endedAt() == null ? now : t.endedAt()),
              t.rows(),
              t.error() == null ? null : ui.masker().mask(t.error())));
    }
    TaskRunRecord last = attempts.get(attempts.size() - 1);
    return new TaskView(
        id,
        TaskRunRecord.isStepId(id),
        last.state().name(),
        last.rows(),
        last.outputs() == null ? null : ui.masker().mask(last.outputs()),
        list.get(list.size() - 1).duration(),
        list,
        a == null
            ? null
            : new Audit(
                a.rowsRead(),
                a.rowsWritten(),
                a.rowsRejected(),
                datasets(a.inputs()),
                datasets(a.outputs())));
  }

  /**
   * Each task's steps right after it, in the order they were recorded: their rows are stored as
   * they start, among other tasks' rows.
   */
  static List<TaskView> stepsUnderParents(List<TaskView> views) {
    var steps = new LinkedHashMap<String, List<TaskView>>();
    for (TaskView v : views) {
      if (v.step()) {
        steps.computeIfAbsent(TaskRunRecord.stepParent(v.id()), k -> new ArrayList<>()).add(v);
      }
    }
    if (steps.isEmpty()) {
      return views;
    }
    var out = new ArrayList<TaskView>();
    for (TaskView v : views) {
      if (!v.step()) {
        out.add(v);
        var mine = steps.remove(v.id());
        if (mine != null) {
          out.addAll(mine);
        }
      }
    }
    steps.values().forEach(out::addAll); // a parent not shown
    return out;
  }

  /** The names of an audit's JSON list of datasets ({@code namespace.name}), masked. */
  private List<String> datasets(String json) {
    var out = new ArrayList<String>();
    try {
      for (var d : JSON.readTree(json)) {
        String ns = d.path("namespace").asText("");
        String name = d.path("name").asText("");
        out.add(ui.masker().mask(ns.isEmpty() ? name : ns + "." + name));
      }
    } catch (java.io.IOException | RuntimeException e) {
      // an unreadable list shows as none
    }
    return out;
  }

  /**
   * At most {@link #TASK_ROWS} rows, in flow order: the tasks that did not succeed first (what
   * someone opens a big run for), then succeeded ones while there is room. A 5,000-task run's whole
   * table is a 1.7 MB page; {@code ?tasks=all} shows it anyway.
   */
  static List<TaskView> rows(List<TaskView> views) {
    if (views.size() <= TASK_ROWS) {
      return views;
    }
    var keep = new java.util.HashSet<String>();
    for (TaskView v : views) {
      if (keep.size() < TASK_ROWS && !v.state().equals("SUCCEEDED")) {
        keep.add(v.id());
      }
    }
    for (TaskView v : views) {
      if (keep.size() < TASK_ROWS) {
        keep.add(v.id());
      }
    }
    return views.stream().filter(v -> keep.contains(v.id())).toList();
  }

  /** Why its tasks wait; nothing when the run's flow revision cannot be read. */
  private dev.weir.server.runs.WaitReasons.Waiting waitingOf(
      RunRecord r, List<TaskRunRecord> taskRuns) {
    try {
      return ui.waits().of(ui.runFlows().of(r), r, taskRuns);
    } catch (dev.weir.WeirException e) {
      return new dev.weir.server.runs.WaitReasons.Waiting(List.of(), java.util.Map.of());
    }
  }

  // another node of the cluster executes it: not an orphan (one of a dead node is adopted anyway)
  private boolean onLiveNode(String owner) {
    if (!dev.weir.store.Claimant.isNodeLabel(owner)) {
      return false;
    }
    return ui.store().nodes().stream()
        .anyMatch(n -> n.alive() && owner.equals(n.id() + "#" + n.epoch()));
  }
}
