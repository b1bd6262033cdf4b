package dev.weir.flow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.expr.Expressions;
import dev.weir.flow.alert.AlertChannel;
import dev.weir.util.Suggest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what is rendered outside a run, with only {@code trigger} and {@code flow} in scope:
 * triggers (their inputs against the declared ones, webhook keys, dead letters) and alert settings.
 */
final class TriggerChecks {
  private final YamlTree tree;
  private final List<Problem> problems;
  private final ExpressionChecks expressions;

  TriggerChecks(YamlTree tree, List<Problem> problems, ExpressionChecks expressions) {
    this.tree = tree;
    this.problems = problems;
    this.expressions = expressions;
  }

  private void problem(String path, String message) {
    problems.add(tree.problem(path, message));
  }

  /**
   * Trigger inputs name declared inputs and literal values have their type. The server renders
   * templates when the trigger fires, before any run exists: they may use {@code trigger} and
   * {@code flow} (and {@code secret()}, {@code now()}), as may a webhook's key.
   */
  void triggerInputs(Flow flow, Map<String, Object> base) {
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
        expressions.expression(t.get("key").textValue(), path + ".key", ctx);
      }
      JsonNode deadLetter = t.get("deadLetter");
      if (deadLetter != null && (deadLetter.isTextual() || deadLetter.isObject())) {
        expressions.expressions(deadLetter, path + ".deadLetter", ctx);
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
  void alertSettings(Map<String, Object> base) {
    JsonNode list = tree.root().get("alerts");
    if (list == null || !list.isArray()) {
      return;
    }
    Map<String, Object> ctx = Map.of("trigger", base.get("trigger"), "flow", base.get("flow"));
    for (int i = 0; i < list.size(); i++) {
      for (AlertChannel channel : AlertChannel.values()) {
        JsonNode settings = list.get(i).get(channel.yamlName());
        if (settings != null && settings.isObject()) {
          expressions.expressions(settings, "alerts[" + i + "]." + channel.yamlName(), ctx);
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
      expressions.expression(value.textValue(), path, ctx);
      return;
    }
    try {
      in.type().parse(value.isValueNode() ? value.asText() : value.toString());
    } catch (IllegalArgumentException e) {
      problem(path, "input '" + name + "': " + e.getMessage());
    }
  }
}
