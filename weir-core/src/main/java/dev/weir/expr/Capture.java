package dev.weir.expr;

import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.List;
import java.util.Map;

/**
 * The filter behind {@link Expressions#evaluate}: hands the value of an expression, as an object,
 * to the holder in the context, and renders nothing.
 */
final class Capture implements Filter {
  static final String NAME = "__weir_capture";
  static final String HOLDER = "__weir_captured";

  @Override
  public List<String> getArgumentNames() {
    return List.of();
  }

  @Override
  public Object apply(
      Object input,
      Map<String, Object> args,
      PebbleTemplate self,
      EvaluationContext context,
      int lineNumber) {
    if (context.getVariable(HOLDER) instanceof Object[] holder) {
      holder[0] = input;
    }
    return "";
  }
}
