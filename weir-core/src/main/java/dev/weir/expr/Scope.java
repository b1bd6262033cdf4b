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
  private final boolean open;
  private final Miss miss;

  private Scope(String name, Map<String, ?> values, boolean lenient, boolean open, Miss miss) {
    this.name = name;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.lenient = lenient;
    this.open = open;
    this.miss = miss;
  }

  public static Scope of(String name, Map<String, ?> values) {
    return new Scope(name, values, false, false, null);
  }

  /** A scope that explains a missing key its own way (e.g. "declare it under 'inputs:'"). */
  public static Scope of(String name, Map<String, ?> values, Miss miss) {
    return new Scope(name, values, false, false, miss);
  }

  /**
   * For validation: answers any key with a placeholder (task outputs are unknown until the task
   * ran).
   */
  public static Scope lenient(String name) {
    return new Scope(name, Map.of(), true, false, null);
  }

  /**
   * For validation: answers any key, at any depth, with another open scope ({@code trigger.body.id}
   * is whatever the trigger passes at run time).
   */
  public static Scope open(String name) {
    return new Scope(name, Map.of(), true, true, null);
  }

  /** Explains a key that a scope does not have. */
  @FunctionalInterface
  public interface Miss {
    ExpressionException explain(String key, Set<String> known);
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
    if (open) {
      return open(name + "." + key);
    }
    if (lenient) {
      return "<" + name + "." + key + ">";
    }
    String k = String.valueOf(key);
    if (miss != null) {
      throw miss.explain(k, values.keySet());
    }
    throw new ExpressionException(
        ExpressionException.Kind.UNKNOWN_NAME,
        "'" + name + "' has no '" + k + "'",
        Suggest.didYouMean(k, values.keySet())
            + " (known: "
            + (values.isEmpty() ? "none" : String.join(", ", values.keySet()))
            + ")",
        null);
  }

  @Override
  public String toString() {
    return open ? "<" + name + ">" : values.toString();
  }
}
