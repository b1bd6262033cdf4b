package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.expr.Expressions;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskType;
import dev.weir.util.Suggest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one task: its condition, its type, its properties against the type's config (expressions,
 * binding, the type's own rules, deadLetter) and that the datasets it reads come from tasks that
 * run before it.
 */
final class TaskChecks {
  private final TaskRegistry registry;
  private final YamlTree tree;
  private final List<Problem> problems;
  private final ExpressionChecks expressions;

  TaskChecks(
      TaskRegistry registry, YamlTree tree, List<Problem> problems, ExpressionChecks expressions) {
    this.registry = registry;
    this.tree = tree;
    this.problems = problems;
    this.expressions = expressions;
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  void task(TaskDef t, Map<String, Object> ctx, Dag dag, Set<String> earlier) {
    if (t.condition() != null) {
      String c = t.condition().strip();
      if (!Expressions.isTemplate(c) && !c.equals("true") && !c.equals("false")) {
        problem(
            t.path() + ".condition",
            "condition '"
                + c
                + "' is not an expression; a condition must render true or false, e.g."
                + " \"{{ "
                + c
                + " }}\"");
      } else {
        expressions.expression(c, t.path() + ".condition", ctx);
      }
    }
    TaskType<?> type = registry.get(t.type());
    if (type == null) {
      List<String> close = Suggest.closest(t.type(), registry.names(), 3);
      problem(
          t.path() + ".type",
          "unknown task type '"
              + t.type()
              + "'"
              + (close.isEmpty() ? "" : "; closest: " + String.join(", ", close))
              + " (known: "
              + String.join(", ", registry.names())
              + ")"
              + registry.skippedPluginsNote());
      return;
    }
    expressions.expressions(t.properties(), t.path(), ctx);
    if (t.deadLetter() != null) {
      var spec = t.deadLetter();
      var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      node.put("path", spec.path()).put("table", spec.table());
      node.put("connection", spec.connection()).put("maxRejected", spec.maxRejected());
      expressions.expressions(node, t.path() + ".deadLetter", ctx);
    }
    if (t.deadLetter() != null && !type.setsRecordsAside()) {
      problem(
          t.path() + ".deadLetter",
          "a "
              + t.type()
              + " task sets no records aside, so deadLetter does nothing here; remove it (task"
              + " types that take deadLetter: "
              + String.join(
                  ", ",
                  registry.names().stream()
                      .filter(n -> registry.get(n).setsRecordsAside())
                      .sorted()
                      .toList())
              + ")");
    }
    String what = "a " + t.type() + " task";
    List<Problem> found =
        ConfigBinder.check(t.properties(), type.configType(), t.path(), tree, what);
    if (!found.isEmpty()) {
      problems.addAll(found);
      return;
    }
    checkBound(t, type, dag, earlier);
  }

  private <C extends Record> void checkBound(
      TaskDef t, TaskType<C> type, Dag dag, Set<String> earlier) {
    ObjectNode concrete = t.properties().deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = concrete.fields(); it.hasNext(); ) {
      var e = it.next();
      if (ConfigBinder.containsTemplate(e.getValue()) && !e.getValue().isTextual()) {
        it.remove();
      }
    }
    C config;
    try {
      config = ConfigBinder.bind(concrete, type.configType());
    } catch (IllegalArgumentException e) {
      if (concrete.size() == t.properties().size()) {
        problem(t.path(), e.getMessage());
      }
      return;
    }
    if (concrete.size() < t.properties().size()) {
      // a mapping with templates inside ({column: day, value: "{{ … }}"}) still binds when its
      // templates sit in text fields: keep it, or type.validate would report it missing
      try {
        config = ConfigBinder.bind(t.properties(), type.configType());
      } catch (IllegalArgumentException e) {
        // a template where a number or list goes: checked only once rendered
      }
    }
    for (String message : type.validate(config)) {
      problem(t.path(), message);
    }
    List<String> inputs = type.datasetInputs(config);
    if (inputs.isEmpty()) {
      return;
    }
    Set<String> ancestors = dag.ancestors(t.id());
    for (String input : inputs) {
      if (Expressions.isTemplate(input) || ancestors.contains(input) || earlier.contains(input)) {
        continue;
      }
      boolean exists = dag.contains(input);
      problem(
          java.util.Objects.requireNonNullElse(
              pathOfValue(t.properties(), input, t.path()), t.path()),
          exists
              ? "reads the dataset of task '"
                  + input
                  + "', which does not run before it; add it to dependsOn, e.g. `dependsOn: ["
                  + input
                  + "]`"
              : "reads the dataset of unknown task '"
                  + input
                  + "'"
                  + Suggest.didYouMean(input, ancestors)
                  + " (tasks before it: "
                  + (ancestors.isEmpty() ? "none" : String.join(", ", ancestors))
                  + ")");
    }
  }

  /** The path of the first property whose value is {@code value}, else {@code base}. */
  private static String pathOfValue(JsonNode node, String value, String base) {
    if (node.isTextual() && node.textValue().equals(value)) {
      return base;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        String p = pathOfValue(e.getValue(), value, base + "." + e.getKey());
        if (p != null) {
          return p;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String p = pathOfValue(node.get(i), value, base + "[" + i + "]");
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }
}
