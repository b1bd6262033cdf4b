package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.expr.ExpressionException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Scope;
import dev.weir.flow.alert.AlertChannel;
import dev.weir.task.TaskRegistry;
import dev.weir.task.TaskType;
import dev.weir.util.Suggest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rules across tasks: ids, types, dependencies, cycles, properties, expressions, datasets. */
final class FlowValidator {
  private static final Expressions EXPRESSIONS = new Expressions();

  private final TaskRegistry registry;
  private final YamlTree tree;
  private final List<Problem> problems;
  private Set<String> allIds = Set.of();
  private Set<String> forEachIds = Set.of();

  FlowValidator(TaskRegistry registry, YamlTree tree, List<Problem> problems) {
    this.registry = registry;
    this.tree = tree;
    this.problems = problems;
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  void validate(Flow flow) {
    // a subflow task's outputs nest (outputs.<task>.outputs.<child task>.<name>), known only once
    // the child ran: any depth is accepted there
    nestedOutputs =
        new java.util.HashSet<>(
            flow.everyTask().stream()
                .filter(t -> SubflowCycles.TYPE.equals(t.type()))
                .map(TaskDef::id)
                .toList());
    allIds = ids(flow.everyTask());
    forEachIds = ids(flow.everyTask().stream().filter(TaskDef::isForEach).toList());
    uniqueIds(flow);
    var base = baseContext(flow);
    for (var e : flow.variables().entrySet()) {
      expressions(e.getValue(), "variables." + e.getKey(), base);
    }
    for (int i = 0; i < flow.inputs().size(); i++) {
      InputDef in = flow.inputs().get(i);
      if (in.defaultValue() != null) {
        expressions(in.defaultValue(), "inputs[" + i + "].default", base);
      }
    }
    triggerInputs(flow, base);
    alertSettings(base);
    Set<String> mainIds = ids(flow.tasks());
    phase(flow.tasks(), base, Set.of(), false);
    var afterMain = new HashSet<>(mainIds);
    phase(flow.onFailure(), base, afterMain, true);
    afterMain.addAll(ids(flow.onFailure()));
    phase(flow.finallyTasks(), base, afterMain, false);
  }

  /**
   * Trigger inputs name declared inputs and literal values have their type. The server renders
   * templates when the trigger fires, before any run exists: they may use {@code trigger} and
   * {@code flow} (and {@code secret()}, {@code now()}), as may a webhook's key.
   */
  private void triggerInputs(Flow flow, Map<String, Object> base) {
    JsonNode list = tree.root().get("triggers");
    if (list == null || !list.isArray()) {
      return;
    }
    Map<String, Object> ctx = Map.of("trigger", base.get("trigger"), "flow", base.get("flow"));
    var declared = new LinkedHashMap<String, InputDef>();
    flow.inputs().forEach(in -> declared.put(in.id(), in));
    for (int i = 0; i < list.size(); i++) {
      String path = "triggers[" + i + "]";
      JsonNode t = list.get(i);
      if ("webhook".equals(t.path("type").asText()) && t.path("key").isTextual()) {
        expression(t.get("key").textValue(), path + ".key", ctx);
      }
      JsonNode deadLetter = t.get("deadLetter");
      if (deadLetter != null && (deadLetter.isTextual() || deadLetter.isObject())) {
        expressions(deadLetter, path + ".deadLetter", ctx);
      }
      JsonNode inputs = t.get("inputs");
      if (inputs == null || !inputs.isObject()) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = inputs.fields(); it.hasNext(); ) {
        var e = it.next();
        triggerInput(flow, declared, path + ".inputs." + e.getKey(), e.getKey(), e.getValue(), ctx);
      }
    }
  }

  /**
   * Alert settings are rendered when an alert is sent, with what a trigger sees ({@code flow},
   * {@code trigger}, {@code secret()}, {@code now()}): no run's inputs or outputs.
   */
  private void alertSettings(Map<String, Object> base) {
    JsonNode list = tree.root().get("alerts");
    if (list == null || !list.isArray()) {
      return;
    }
    Map<String, Object> ctx = Map.of("trigger", base.get("trigger"), "flow", base.get("flow"));
    for (int i = 0; i < list.size(); i++) {
      for (AlertChannel channel : AlertChannel.values()) {
        JsonNode settings = list.get(i).get(channel.yamlName());
        if (settings != null && settings.isObject()) {
          expressions(settings, "alerts[" + i + "]." + channel.yamlName(), ctx);
        }
      }
    }
  }

  private void triggerInput(
      Flow flow,
      Map<String, InputDef> declared,
      String path,
      String name,
      JsonNode value,
      Map<String, Object> ctx) {
    InputDef in = declared.get(name);
    if (in == null) {
      problem(
          path,
          "unknown input '"
              + name
              + "'"
              + Suggest.didYouMean(name, declared.keySet())
              + (declared.isEmpty()
                  ? " (flow "
                      + flow.id()
                      + " declares no inputs; declare it under 'inputs:', e.g."
                      + " `- {id: "
                      + name
                      + ", type: string}`)"
                  : " (flow "
                      + flow.id()
                      + " declares: "
                      + String.join(", ", declared.keySet())
                      + ")"));
      return;
    }
    if (value.isNull()) {
      return; // reported by the parser
    }
    if (value.isTextual() && Expressions.isTemplate(value.textValue())) {
      expression(value.textValue(), path, ctx);
      return;
    }
    try {
      in.type().parse(value.isValueNode() ? value.asText() : value.toString());
    } catch (IllegalArgumentException e) {
      problem(path, "input '" + name + "': " + e.getMessage());
    }
  }

  private static Set<String> ids(List<TaskDef> tasks) {
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
  private Set<String> nestedOutputs = Set.of();

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
        task(t, base, dag, earlier); // no expressions: skip building its outputs scope
        continue;
      }
      var ctx = new HashMap<>(t.isForEach() ? keyScope(base, t) : base);
      var outputs = new LinkedHashMap<String, Object>();
      for (String a : earlier) {
        outputs.put(a, outputsOf(a));
      }
      for (String a : dag.ancestors(t.id())) {
        outputs.put(a, outputsOf(a));
      }
      ctx.put("outputs", Scope.of("outputs", outputs, outputsMiss(t, ids, earlier)));
      if (onFailure) {
        ctx.put(
            "failedTask",
            Scope.of("failedTask", Map.of("id", "task", "error", "error", "type", "type")));
      }
      task(t, ctx, dag, earlier);
    }
    for (TaskDef t : tasks) {
      if (t.isForEach()) {
        // the group's tasks are checked once, with a sample item; they may read the outputs of
        // every task that runs before the group
        var before = new HashSet<>(earlier);
        before.addAll(dag.ancestors(t.id()));
        phase(t.children(), itemScope(base, t), before, onFailure);
      }
    }
  }

  /**
   * What a forEach's tasks see besides {@code base}: {@code item} (a sample: the first literal item
   * or date, else a placeholder), {@code itemIndex}, and the enclosing group's as {@code parent}
   * when groups nest.
   */
  private static Map<String, Object> itemScope(Map<String, Object> base, TaskDef group) {
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
  private static Map<String, Object> keyScope(Map<String, Object> base, TaskDef group) {
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

  private static final com.fasterxml.jackson.databind.ObjectMapper SAMPLE =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * What {@code outputs.<id>} may hold: a subflow's nest to any depth, a forEach's are its items'
   * outputs and counts.
   */
  private Object outputsOf(String id) {
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
  private Scope.Miss outputsMiss(TaskDef t, Set<String> phaseIds, Set<String> earlier) {
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

  private void task(TaskDef t, Map<String, Object> ctx, Dag dag, Set<String> earlier) {
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
        expression(c, t.path() + ".condition", ctx);
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
    expressions(t.properties(), t.path(), ctx);
    if (t.deadLetter() != null) {
      var spec = t.deadLetter();
      var node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      node.put("path", spec.path()).put("table", spec.table());
      node.put("connection", spec.connection()).put("maxRejected", spec.maxRejected());
      expressions(node, t.path() + ".deadLetter", ctx);
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

  private void expressions(JsonNode node, String path, Map<String, Object> ctx) {
    if (node.isTextual()) {
      expression(node.textValue(), path, ctx);
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> expressions(e.getValue(), path + "." + e.getKey(), ctx));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        expressions(node.get(i), path + "[" + i + "]", ctx);
      }
    }
  }

  private void expression(String text, String path, Map<String, Object> ctx) {
    if (!Expressions.isTemplate(text)) {
      return;
    }
    try {
      EXPRESSIONS.render(
          text, ctx, new Expressions.Services(null, java.time.InstantSource.system()));
    } catch (ExpressionException e) {
      // sample values may evaluate wrongly or loop differently than the real ones will
      if (e.kind() != ExpressionException.Kind.EVALUATION
          && e.kind() != ExpressionException.Kind.LIMIT) {
        problem(path, e.getMessage());
      }
    }
  }

  private static Map<String, Object> baseContext(Flow flow) {
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
