package dev.weir.expr;

import io.pebbletemplates.pebble.node.expression.ConcatenateExpression;
import io.pebbletemplates.pebble.template.EvaluationContextImpl;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.util.function.Function;

/**
 * Pebble's {@code ~}, held to the render's size limit: {@code {% set s = s ~ s %}} in a loop
 * doubles a string without writing anything, so the output limit alone would let 30 steps take
 * gigabytes. A result past the limit fails as output past it would.
 */
final class BoundedConcat extends ConcatenateExpression {
  private final Function<EvaluationContextImpl, RenderBudget> budget;

  BoundedConcat(Function<EvaluationContextImpl, RenderBudget> budget) {
    this.budget = budget;
  }

  @Override
  public String evaluate(PebbleTemplateImpl self, EvaluationContextImpl context) {
    String s = super.evaluate(self, context);
    RenderBudget b = budget.apply(context);
    if (b != null && s != null) {
      b.requireWithin(s.length()); // chars: at most the UTF-8 bytes, and cheap to count
    }
    return s;
  }
}
