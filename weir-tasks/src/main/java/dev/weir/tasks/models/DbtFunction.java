package dev.weir.tasks.models;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.lib.fn.MacroFunction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dbt function written in Java ({@code ref}, {@code config}, {@code var}, …), callable from
 * templates like a macro: Jinjava hands it the positional arguments and the keyword arguments
 * ({@code config(materialized='table')}) apart.
 */
final class DbtFunction extends MacroFunction {
  /** The function's body. */
  interface Body {
    Object call(List<Object> args, Map<String, Object> kwargs);
  }

  /**
   * The scope every function shares: never written (the body gets its arguments, not a scope), and
   * a {@code new Context()} registers all of Jinjava's tags, filters and functions — made per
   * function per render it was a fifth of a project's compile time.
   */
  private static final Context NO_SCOPE = new Context();

  private final Body body;

  DbtFunction(String name, Body body) {
    super(List.of(), name, new LinkedHashMap<>(), false, NO_SCOPE, 0, 0);
    this.body = body;
  }

  @Override
  public Object doEvaluate(
      Map<String, Object> argMap, Map<String, Object> kwargMap, List<Object> varArgs) {
    return body.call(varArgs, kwargMap);
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
