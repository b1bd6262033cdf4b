package dev.weir.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Scope;
import dev.weir.flow.Flow;
import dev.weir.flow.InputType;
import dev.weir.store.RunRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place the variables of a run's templates are made: {@code trigger}, {@code inputs},
 * {@code run}, {@code flow} and {@code vars} (a run's tasks add {@code outputs}, see {@link
 * RunScope}); and the smaller set a trigger's templates see before any run exists.
 */
final class RunVariables {
  /** What the variables say about the run. */
  record Facts(String runId, Instant logicalDate, String trigger, int attempt, String triggerData) {
    static Facts of(RunRecord r) {
      return new Facts(r.id(), r.logicalDate(), r.trigger(), r.attempt(), r.triggerData());
    }
  }

  private final Expressions expressions;
  private final Expressions.Services services;

  RunVariables(Expressions expressions, Expressions.Services services) {
    this.expressions = expressions;
    this.services = services;
  }

  /**
   * The inputs typed and checked against the flow's declarations; their defaults' templates see
   * every variable but {@code inputs}.
   *
   * @throws dev.weir.WeirException listing every problem with the inputs
   */
  Map<String, Object> typedInputs(Flow flow, Facts facts, Map<String, String> given) {
    Map<String, Object> base = of(flow, facts, Map.of());
    return InputResolver.resolve(flow, given, t -> expressions.render(t, base, services));
  }

  /** The variables every template of a run sees. */
  Map<String, Object> of(Flow flow, Facts facts, Map<String, Object> inputs) {
    var ctx = new HashMap<String, Object>();
    var triggerScope = new LinkedHashMap<String, Object>(decodeTrigger(facts.triggerData()));
    String trigger = facts.trigger() == null ? "manual" : facts.trigger();
    triggerScope.putIfAbsent("type", trigger);
    ctx.put("trigger", Scope.of("trigger", triggerScope));
    ctx.put("inputs", Scope.of("inputs", inputs));
    ctx.put(
        "run",
        Scope.of(
            "run",
            Map.of(
                "id",
                facts.runId(),
                "logicalDate",
                ZonedDateTime.ofInstant(facts.logicalDate(), ZoneOffset.UTC),
                "trigger",
                trigger,
                "attempt",
                facts.attempt())));
    ctx.put("flow", flowScope(flow));
    var vars = new LinkedHashMap<String, Object>();
    ctx.put("vars", Scope.of("vars", vars));
    for (var e : flow.variables().entrySet()) {
      var node = e.getValue();
      Object v =
          node.isTextual()
              ? expressions.render(node.textValue(), ctx, services)
              : node.isValueNode()
                  ? InputType.JSON.fromNode(node)
                  : DatasetCodec.JSON.convertValue(node, Object.class);
      vars.put(e.getKey(), v);
      ctx.put("vars", Scope.of("vars", vars));
    }
    return ctx;
  }

  /**
   * What a trigger's template sees when it fires: {@code trigger} (its data, with {@code type}) and
   * {@code flow}.
   */
  static Map<String, Object> forTrigger(
      Flow flow, String triggerType, Map<String, Object> triggerData) {
    var data = new LinkedHashMap<String, Object>(triggerData == null ? Map.of() : triggerData);
    data.putIfAbsent("type", triggerType);
    return Map.of("trigger", scoped("trigger", data), "flow", flowScope(flow));
  }

  // maps at every depth explain a missing key: "'trigger.body' has no 'day' (known: ...)"
  private static Object scoped(String name, Object value) {
    if (value instanceof Map<?, ?> m) {
      var out = new LinkedHashMap<String, Object>();
      m.forEach((k, v) -> out.put(String.valueOf(k), scoped(name + "." + k, v)));
      return Scope.of(name, out);
    }
    return value;
  }

  private static Scope flowScope(Flow flow) {
    return Scope.of(
        "flow",
        Map.of(
            "id", flow.id(),
            "namespace", flow.namespace(),
            "revision", flow.source().hash()));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> decodeTrigger(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return DatasetCodec.JSON.readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("corrupt trigger data: " + e.getOriginalMessage(), e);
    }
  }
}
