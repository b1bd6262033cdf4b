package dev.weir.engine;

import dev.weir.WeirException;
import dev.weir.expr.ExpressionException;
import dev.weir.expr.Expressions;
import dev.weir.expr.Masker;
import dev.weir.flow.Flow;
import dev.weir.store.RunRecord;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A run's inputs and a trigger's templates, for the {@link Engine}: typed against the flow,
 * rendered before any run exists, and every refusal's message masked of secret values.
 */
final class RunInputs {
  private final RunVariables variables;
  private final Expressions expressions;
  private final Expressions.Services services;
  private final InstantSource clock;

  RunInputs(
      RunVariables variables,
      Expressions expressions,
      Expressions.Services services,
      InstantSource clock) {
    this.variables = variables;
    this.expressions = expressions;
    this.services = services;
    this.clock = clock;
  }

  /**
   * Checks {@code --input} values against the flow's inputs without storing or starting anything,
   * so a command can refuse them before it says it is running the flow.
   *
   * @return the typed inputs
   * @throws WeirException listing every problem with the inputs
   */
  Map<String, Object> check(Flow flow, Map<String, String> inputs) {
    var facts = new RunVariables.Facts(DryRun.RUN_ID, clock.instant(), "manual", 1, null);
    return masking(() -> variables.typedInputs(flow, facts, inputs));
  }

  /**
   * Renders a trigger's {@code inputs:} for one firing, before any run exists: the templates see
   * {@code trigger.*} ({@code triggerData}, plus {@code type}), {@code flow.*}, {@code secret()}
   * and {@code now()}. Pass the result as {@link Engine.StartRequest#inputs()}.
   *
   * @throws WeirException naming the input and what is wrong with its template
   */
  Map<String, String> renderTriggerInputs(
      Flow flow, String trigger, Map<String, String> inputs, Map<String, Object> triggerData) {
    return masking(() -> {
      var out = new LinkedHashMap<String, String>();
      for (var e : inputs.entrySet()) {
        try {
          out.put(e.getKey(), renderForTrigger(flow, e.getValue(), trigger, triggerData));
        } catch (WeirException x) {
          throw new WeirException(
              "input '" + e.getKey() + "' of the trigger: " + x.getMessage(), x);
        }
      }
      return out;
    });
  }

  /**
   * Renders a trigger's template (a webhook key, a trigger input) when the trigger fires, before
   * any run exists: it sees {@code trigger} (what the trigger passes, with {@code trigger.type}),
   * {@code flow}, {@code secret()} and {@code now()}. A secret it reads is masked from then on.
   *
   * @throws dev.weir.expr.ExpressionException naming the template and the known names
   */
  String renderForTrigger(
      Flow flow, String template, String triggerType, Map<String, Object> triggerData) {
    Map<String, Object> vars = RunVariables.forTrigger(flow, triggerType, triggerData);
    return masking(() -> expressions.render(template, vars, services));
  }

  /** A stored run's inputs, typed again by its flow (secret-valued ones rendered again). */
  Map<String, Object> stored(Flow flow, RunRecord run) {
    var given = new LinkedHashMap<String, String>(RunCodec.decodeInputs(run.id(), run.inputs()));
    given.keySet().retainAll(flow.inputs().stream().map(i -> i.id()).toList());
    return variables.typedInputs(flow, RunVariables.Facts.of(run), given);
  }

  /**
   * Runs {@code work}, masking secret values in the message of a {@link WeirException} it throws:
   * the message of a refused start or trigger goes to logs, API answers and stored records, and may
   * quote a value that came from a secret ("'…' is not a valid int"). The cause is dropped, as its
   * message may hold the value too.
   */
  <T> T masking(Supplier<T> work) {
    try {
      return work.get();
    } catch (ExpressionException e) {
      Masker m = services.secrets().masker();
      if (m.mask(e.getMessage()).equals(e.getMessage())) {
        throw e;
      }
      throw new ExpressionException(e.kind(), m.mask(e.problem()), m.mask(e.hint()), null);
    } catch (WeirException e) {
      String masked = services.secrets().masker().mask(e.getMessage());
      if (masked.equals(e.getMessage())) {
        throw e;
      }
      throw new WeirException(masked);
    }
  }
}
