package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.expr.ExpressionException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Scope;
import dev.weir.util.Suggest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sample contexts a flow's expressions are checked against: inputs, vars, run and flow, a
 * forEach's item, the outputs a task may read, and what a miss in them should tell the user.
 */
final class SampleScopes {
  private static final com.fasterxml.jackson.databind.ObjectMapper SAMPLE =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final Set<String> allIds;
  private final Set<String> forEachIds;

  /**
   * Ids of subflow tasks: their outputs nest (outputs.<task>.outputs.<child task>.<name>), known
   * only once the child ran, so any depth is accepted there.
   */
  private final Set<String> nestedOutputs;

  SampleScopes(Flow flow) {
    nestedOutputs =
        new java.util.HashSet<>(
            flow.everyTask().stream()
                .filter(t -> SubflowCycles.TYPE.equals(t.type()))
                .map(TaskDef::id)
                .toList());
    allIds = FlowValidator.ids(flow.everyTask());
    forEachIds = FlowValidator.ids(flow.everyTask().stream().filter(TaskDef::isForEach).toList());
  }

  /**
   * What a forEach's tasks see besides {@code base}: {@code item} (a sample: the first literal item
   * or date, else a placeholder), {@code itemIndex}, and the enclosing group's as {@code parent}
   * when groups nest.
   */
  static Map<String, Object> itemScope(Map<String, Object> base, TaskDef group) {
    var ctx = new HashMap<>(base);
    if (base.containsKey("item")) {
      var parent = new LinkedHashMap<String, Object>();
      parent.put("item", base.get("item"));
      parent.put("itemIndex", base.get("itemIndex"));
      if (base.containsKey("parent")) {
        parent.put("parent", base.get("parent"));
      }
      ctx.put("parent", Scope.of("parent", parent));
    }
    ctx.put("item", sampleItem(group));
    ctx.put("itemIndex", 0);
    return ctx;
  }

  /** A forEach's own settings: only its {@code key} sees the item. */
  static Map<String, Object> keyScope(Map<String, Object> base, TaskDef group) {
    return group.properties().has("key") ? itemScope(base, group) : base;
  }

  private static Object sampleItem(TaskDef group) {
    JsonNode items = group.properties().get("items");
    if (items != null && items.isArray() && !items.isEmpty()) {
      JsonNode first = items.get(0);
      if (!first.isTextual() || !Expressions.isTemplate(first.textValue())) {
        Object v = SAMPLE.convertValue(first, Object.class);
        return v instanceof Map<?, ?> m ? Scope.of("item", castKeys(m)) : v;
      }
    }
    JsonNode from = group.properties().path("dates").path("from");
    if (from.isTextual() && !Expressions.isTemplate(from.textValue())) {
      return from.textValue();
    }
    return Scope.open("item");
  }

  private static Map<String, Object> castKeys(Map<?, ?> m) {
    var out = new LinkedHashMap<String, Object>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /**
   * What {@code outputs.<id>} may hold: a subflow's nest to any depth, a forEach's are its items'
   * outputs and counts.
   */
  Object outputsOf(String id) {
    if (nestedOutputs.contains(id)) {
      return Scope.open("outputs." + id);
    }
    if (!forEachIds.contains(id)) {
      return Scope.lenient("outputs." + id);
    }
    var m = new LinkedHashMap<String, Object>();
    m.put("items", List.of(Scope.open("outputs." + id + ".items[]")));
    m.put("keys", List.of("key"));
    m.put("succeeded", 0);
    m.put("failed", 0);
    m.put("failedKeys", List.of());
    return Scope.of("outputs." + id, m);
  }

  /** Why {@code outputs.<key>} is not readable from task {@code t}, and what to do about it. */
  Scope.Miss outputsMiss(TaskDef t, Set<String> phaseIds, Set<String> earlier) {
    return (key, visible) -> {
      String before =
          " (tasks before it: " + (visible.isEmpty() ? "none" : String.join(", ", visible)) + ")";
      String problem;
      String hint;
      if (key.equals(t.id())) {
        problem = "task '" + key + "' cannot read its own outputs";
        hint = "; outputs exist only once a task has run" + before;
      } else if (phaseIds.contains(key)) {
        problem = "outputs of task '" + key + "' are not known here";
        hint =
            "; task '"
                + key
                + "' does not run before '"
                + t.id()
                + "': add it to dependsOn, e.g. `dependsOn: ["
                + key
                + "]`"
                + before;
      } else if (allIds.contains(key)) {
        problem = "outputs of task '" + key + "' are not known here";
        hint =
            "; task '"
                + key
                + "' is in a list that runs after this one, and a task can only read outputs of"
                + " tasks that ran before it"
                + before;
      } else {
        problem = "'outputs' has no task '" + key + "'";
        hint = Suggest.didYouMean(key, visible) + before;
      }
      return new ExpressionException(ExpressionException.Kind.UNKNOWN_NAME, problem, hint, null);
    };
  }

  static Map<String, Object> baseContext(Flow flow) {
    var inputs = new LinkedHashMap<String, Object>();
    for (InputDef in : flow.inputs()) {
      inputs.put(in.id(), sample(in.type()));
    }
    var vars = new LinkedHashMap<String, Object>();
    flow.variables().forEach((k, v) -> vars.put(k, v.isValueNode() ? v.asText() : v));
    var ctx = new HashMap<String, Object>();
    ctx.put("trigger", Scope.open("trigger")); // filled at run time by whatever fired the run
    ctx.put(
        "inputs", Scope.of("inputs", inputs, declareUnder("inputs", "- {id: %s, type: string}")));
    ctx.put("vars", Scope.of("vars", vars, declareUnder("variables", "%s: some value")));
    ctx.put(
        "run",
        Scope.of(
            "run",
            Map.of(
                "id",
                "run",
                "logicalDate",
                ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                "trigger",
                "manual",
                "attempt",
                1)));
    ctx.put(
        "flow",
        Scope.of(
            "flow",
            Map.of("id", flow.id(), "namespace", flow.namespace(), "revision", "revision")));
    return ctx;
  }

  /** A miss in {@code inputs} or {@code vars}: a close name, else how to declare it. */
  private static Scope.Miss declareUnder(String key, String example) {
    return (name, known) -> {
      String root = key.equals("inputs") ? "inputs" : "vars";
      String close = Suggest.didYouMean(name, known);
      String list = " (known: " + (known.isEmpty() ? "none" : String.join(", ", known)) + ")";
      return new ExpressionException(
          ExpressionException.Kind.UNKNOWN_NAME,
          "'" + root + "' has no '" + name + "'",
          close.isEmpty()
              ? "; declare it under '" + key + ":', e.g. `" + example.formatted(name) + "`" + list
              : close + list,
          null);
    };
  }

  static Object sample(InputType type) {
    return switch (type) {
      case STRING -> "sample";
      case INT -> 1L;
      case NUMBER -> BigDecimal.ONE;
      case BOOLEAN -> Boolean.TRUE;
      case DATE -> LocalDate.of(2026, 1, 1);
      case DATETIME -> OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
      case DURATION -> Duration.ofMinutes(1);
      case JSON -> Map.of();
    };
  }
}
