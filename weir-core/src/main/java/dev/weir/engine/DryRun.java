package dev.weir.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weir.WeirException;
import dev.weir.expr.ExpressionException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.expr.Scope;
import dev.weir.expr.Secrets;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run of a flow would do, worked out without running it ({@code weir run --dry-run}): the
 * typed inputs, the order of the tasks in stages of tasks that can run together, and every task's
 * configuration rendered with the inputs, secrets masked. What only a run knows — another task's
 * {@code outputs.*} — renders as a placeholder such as {@code <outputs.extract.rows>}.
 *
 * @param inputs the inputs as the run would see them, as text (null when unset), secrets masked
 * @param stages per phase, in order; the tasks of one stage wait only for earlier stages
 * @param problems templates that cannot be rendered, as {@code tasks.ID.PROPERTY: message}
 */
public record DryRun(Map<String, String> inputs, List<Stage> stages, List<String> problems) {
  /** The id {@code run.id} has in a dry run. */
  static final String RUN_ID = "dry-run";

  public DryRun {
    inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    stages = List.copyOf(stages);
    problems = List.copyOf(problems);
  }

  /** Tasks of one phase that can run at the same time. */
  public record Stage(TaskDef.Phase phase, int number, List<RenderedTask> tasks) {}

  /** A task and its configuration as its first attempt would get it. */
  public record RenderedTask(String id, String type, JsonNode config) {}

  /**
   * Works out what a run of {@code flow} with these inputs would do.
   *
   * @param environment where {@code secret('X')} looks ({@code WEIR_SECRET_X})
   * @param secretsDir a directory of secret files, or null
   * @throws WeirException when the inputs are wrong (secret values masked)
   */
  public static DryRun of(
      Flow flow, Map<String, String> inputs, Map<String, String> environment, Path secretsDir) {
    var secrets = new Secrets(environment, secretsDir, new Masker());
    var expressions = new Expressions();
    var services = new Expressions.Services(secrets, InstantSource.system());
    Instant now = services.clock().instant();
    try {
      var variables = new RunVariables(expressions, services);
      var facts = new RunVariables.Facts(RUN_ID, now, "manual", 1, null);
      Map<String, Object> typed = variables.typedInputs(flow, facts, inputs);
      Map<String, Object> base = variables.of(flow, facts, typed);
      return of(flow, typed, base, expressions, services, secrets.masker());
    } catch (WeirException e) {
      String masked = secrets.masker().mask(e.getMessage());
      throw masked.equals(e.getMessage()) ? e : new WeirException(masked);
    }
  }

  static DryRun of(
      Flow flow,
      Map<String, Object> inputs,
      Map<String, Object> baseVariables,
      Expressions expressions,
      Expressions.Services services,
      Masker masker) {
    var vars = new HashMap<>(baseVariables);
    vars.put("outputs", Scope.open("outputs"));
    var problems = new ArrayList<String>();
    var stages = new ArrayList<Stage>();
    for (TaskDef.Phase phase : TaskDef.Phase.values()) {
      List<TaskDef> tasks = flow.allTasks().stream().filter(t -> t.phase() == phase).toList();
      Map<String, Integer> level = levels(tasks);
      int count = level.values().stream().mapToInt(i -> i).max().orElse(-1) + 1;
      for (int n = 0; n < count; n++) {
        int at = n;
        List<RenderedTask> rendered =
            tasks.stream()
                .filter(t -> level.get(t.id()) == at)
                .map(t ->
                    new RenderedTask(
                        t.id(),
                        t.type(),
                        renderTask(
                            t, new Rendering(expressions, vars, services, masker, problems))))
                .toList();
        stages.add(new Stage(phase, n + 1, rendered));
      }
    }
    var shown = new LinkedHashMap<String, String>();
    inputs.forEach((k, v) -> shown.put(k, v == null ? null : masker.mask(String.valueOf(v))));
    return new DryRun(shown, stages, problems);
  }

  /** A task's stage: 0 without dependencies, else one after its latest dependency. */
  private static Map<String, Integer> levels(List<TaskDef> tasks) {
    var byId = new LinkedHashMap<String, TaskDef>();
    tasks.forEach(t -> byId.put(t.id(), t));
    var level = new LinkedHashMap<String, Integer>();
    for (TaskDef t : tasks) {
      level(t, byId, level);
    }
    return level;
  }

  private static int level(TaskDef t, Map<String, TaskDef> byId, Map<String, Integer> level) {
    Integer known = level.get(t.id());
    if (known != null) {
      return known;
    }
    int l = 0;
    for (String d : t.dependsOn()) {
      TaskDef dep = byId.get(d);
      if (dep != null) { // the parser refused unknown ids and cycles
        l = Math.max(l, level(dep, byId, level) + 1);
      }
    }
    level.put(t.id(), l);
    return l;
  }

  private record Rendering(
      Expressions expressions,
      Map<String, Object> vars,
      Expressions.Services services,
      Masker masker,
      List<String> problems) {}

  /**
   * A task's properties as they would run. A forEach's {@code key} is per item, so it shows as
   * written (its tasks, per item too, are not rendered).
   */
  private static JsonNode renderTask(TaskDef t, Rendering r) {
    if (!t.isForEach() || !t.properties().has("key")) {
      return render(t.properties(), "tasks." + t.id(), r);
    }
    ObjectNode props = t.properties().deepCopy();
    JsonNode key = props.remove("key");
    ObjectNode out = (ObjectNode) render(props, "tasks." + t.id(), r);
    out.set("key", key);
    return out;
  }

  /** Renders each string on its own so one bad template names its property and the rest shows. */
  private static JsonNode render(JsonNode node, String path, Rendering r) {
    if (node.isTextual()) {
      String text = node.textValue();
      try {
        text = r.expressions().render(text, r.vars(), r.services());
      } catch (ExpressionException e) {
        r.problems().add(path + ": " + r.masker().mask(e.getMessage()));
      }
      return JsonNodeFactory.instance.textNode(r.masker().mask(text));
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        out.set(e.getKey(), render(e.getValue(), path + "." + e.getKey(), r));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        out.add(render(node.get(i), path + "[" + i + "]", r));
      }
      return out;
    }
    return node;
  }
}
