package dev.weir.expr;

import dev.weir.util.Suggest;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A named map for expressions ({@code inputs}, {@code outputs.load}) that fails on an unknown key
 * with the known keys listed, instead of Pebble's generic "attribute does not exist".
 */
public final class Scope extends AbstractMap<String, Object> {
  private final String name;
  private final Map<String, Object> values;
  private final boolean lenient;

  private Scope(String name, Map<String, ?> values, boolean lenient) {
    this.name = name;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.lenient = lenient;
  }

  public static Scope of(String name, Map<String, ?> values) {
    return new Scope(name, values, false);
  }

  /**
   * For validation: answers any key with a placeholder (task outputs are unknown until the task
   * ran).
   */
  public static Scope lenient(String name) {
    return new Scope(name, Map.of(), true);
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return values.entrySet();
  }

  @Override
  public boolean containsKey(Object key) {
    return true; // so that Pebble calls get() and we can explain a miss
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  @Override
  public Object get(Object key) {
    if (values.containsKey(key)) {
      return values.get(key);
    }
    if (lenient) {
      return "<" + name + "." + key + ">";
    }
    String k = String.valueOf(key);
    throw new ExpressionException(
        ExpressionException.Kind.UNKNOWN_NAME,
        "'"
            + name
            + "' has no '"
            + k
            + "'"
            + Suggest.didYouMean(k, values.keySet())
            + " (known: "
            + (values.isEmpty() ? "none" : String.join(", ", values.keySet()))
            + ")",
        null);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
