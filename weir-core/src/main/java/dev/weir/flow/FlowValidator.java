package dev.weir.flow;

import dev.weir.expr.Scope;
import dev.weir.task.TaskRegistry;
import dev.weir.util.Suggest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules across tasks: unique ids, dependencies and cycles within each task list, and the order in
 * which everything is checked; a task's own checks are in {@link TaskChecks}, triggers' and alerts'
 * in {@link TriggerChecks}, the sample contexts in {@link SampleScopes}.
 */
final class FlowValidator {
  private final YamlTree tree;
  private final List<Problem> problems;
  private final ExpressionChecks expressions;
  private final TaskChecks taskChecks;
  private SampleScopes scopes;

  FlowValidator(TaskRegistry registry, YamlTree tree, List<Problem> problems) {
    this.tree = tree;
    this.problems = problems;
    this.expressions = new ExpressionChecks(tree, problems);
    this.taskChecks = new TaskChecks(registry, tree, problems, expressions);
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  void validate(Flow flow) {
    scopes = new SampleScopes(flow);
    uniqueIds(flow);
    var base = SampleScopes.baseContext(flow);
    for (var e : flow.variables().entrySet()) {
      expressions.expressions(e.getValue(), "variables." + e.getKey(), base);
    }
    for (int i = 0; i < flow.inputs().size(); i++) {
      InputDef in = flow.inputs().get(i);
      if (in.defaultValue() != null) {
        expressions.expressions(in.defaultValue(), "inputs[" + i + "].default", base);
      }
    }
    var triggers = new TriggerChecks(tree, problems, expressions);
    triggers.triggerInputs(flow, base);
    triggers.alertSettings(base);
    Set<String> mainIds = ids(flow.tasks());
    phase(flow.tasks(), base, Set.of(), false);
    var afterMain = new HashSet<>(mainIds);
    phase(flow.onFailure(), base, afterMain, true);
    afterMain.addAll(ids(flow.onFailure()));
    phase(flow.finallyTasks(), base, afterMain, false);
  }

  static Set<String> ids(List<TaskDef> tasks) {
    var s = new HashSet<String>();
    tasks.forEach(t -> s.add(t.id()));
    return s;
  }

  private void uniqueIds(Flow flow) {
    var seen = new HashMap<String, TaskDef>();
    for (TaskDef t : flow.everyTask()) {
      TaskDef first = seen.putIfAbsent(t.id(), t);
      if (first != null) {
        problem(
            t.path() + ".id",
            "duplicate task id '"
                + t.id()
                + "' (first used at "
                + tree.location(first.path())
                + "); task ids must be unique in a flow, e.g. rename it to '"
                + t.id()
                + "_2'");
      }
    }
  }

  /**
   * @param earlier ids of tasks from earlier phases, whose outputs this phase may read
   */
  private void phase(
      List<TaskDef> tasks, Map<String, Object> base, Set<String> earlier, boolean onFailure) {
    if (tasks.isEmpty()) {
      return;
    }
    Set<String> ids = ids(tasks);
    for (TaskDef t : tasks) {
      for (int i = 0; i < t.dependsOn().size(); i++) {
        String d = t.dependsOn().get(i);
        if (!ids.contains(d)) {
          String known =
              " (known: " + String.join(", ", tasks.stream().map(TaskDef::id).toList()) + ")";
          problem(
              t.path() + ".dependsOn[" + i + "]",
              earlier.contains(d)
                  ? "task '"
                      + d
                      + "' is in another list; a task in '"
                      + t.phase().yamlKey()
                      + "' may only depend on tasks of its own list, and runs after the earlier"
                      + " lists anyway; remove it from dependsOn"
                      + known
                  : "unknown task '" + d + "'" + Suggest.didYouMean(d, ids) + known);
        } else if (d.equals(t.id())) {
          problem(
              t.path() + ".dependsOn[" + i + "]",
              "task '" + d + "' cannot depend on itself; remove '" + d + "' from its dependsOn");
        }
      }
    }
    Dag dag = new Dag(tasks);
    dag.findCycle()
        .filter(c -> c.size() > 2)
        .ifPresent(c -> {
          TaskDef first =
              tasks.stream().filter(t -> t.id().equals(c.get(0))).findFirst().orElseThrow();
          problem(
              first.path() + ".dependsOn",
              "dependency cycle: "
                  + String.join(" → ", c)
                  + " (each task waits for the next); remove one of these dependsOn entries");
        });
    for (TaskDef t : tasks) {
      if (t.condition() == null && !ConfigBinder.containsTemplate(t.properties())) {
        taskChecks.task(t, base, dag, earlier); // no expressions: skip building its outputs scope
        continue;
      }
      var ctx = new HashMap<>(t.isForEach() ? SampleScopes.keyScope(base, t) : base);
      var outputs = new LinkedHashMap<String, Object>();
      for (String a : earlier) {
        outputs.put(a, scopes.outputsOf(a));
      }
      for (String a : dag.ancestors(t.id())) {
        outputs.put(a, scopes.outputsOf(a));
      }
      ctx.put("outputs", Scope.of("outputs", outputs, scopes.outputsMiss(t, ids, earlier)));
      if (onFailure) {
        ctx.put(
            "failedTask",
            Scope.of("failedTask", Map.of("id", "task", "error", "error", "type", "type")));
      }
      taskChecks.task(t, ctx, dag, earlier);
    }
    for (TaskDef t : tasks) {
      if (t.isForEach()) {
        // the group's tasks are checked once, with a sample item; they may read the outputs of
        // every task that runs before the group
        var before = new HashSet<>(earlier);
        before.addAll(dag.ancestors(t.id()));
        phase(t.children(), SampleScopes.itemScope(base, t), before, onFailure);
      }
    }
  }
}
