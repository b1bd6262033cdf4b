package dev.weir.expr;

import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code {{ value | shellQuote }}}: the value as one POSIX shell word, for the rare script that
 * must have a value inline rather than through {@code env:}. The word is single-quoted, so the
 * shell reads nothing inside it ({@code $(…)}, backticks, {@code ;}, newlines stay text); a {@code
 * '} in the value becomes {@code '\''}. Null is {@code ''}; a list is each item quoted, joined by
 * spaces (one word per item, ready for {@code cmd {{ files | shellQuote }}}).
 */
final class ShellQuote implements Filter {
  static final String NAME = "shellQuote";

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
    if (input instanceof Iterable<?> items) {
      var words = new StringJoiner(" ");
      items.forEach(i -> words.add(quote(i)));
      return words.toString();
    }
    if (input instanceof Object[] items) {
      return apply(List.of(items), args, self, context, lineNumber);
    }
    return quote(input);
  }

  /** One single-quoted shell word holding exactly {@code value}'s text. */
  static String quote(Object value) {
    return value == null ? "''" : "'" + String.valueOf(value).replace("'", "'\\''") + "'";
  }
}
