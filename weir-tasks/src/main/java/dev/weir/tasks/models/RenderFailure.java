package dev.weir.tasks.models;

/**
 * The first error one of Weir's dbt functions raised while a template rendered. Jinjava turns an
 * exception thrown inside a function into a generic "Error invoking function"; the function records
 * its own message here first, so the user sees that instead.
 */
final class RenderFailure {
  private ModelsException first;

  /** Records {@code e} (if it is the first) and returns it, for the function to throw. */
  ModelsException record(ModelsException e) {
    if (first == null) {
      first = e;
    }
    return e;
  }

  /** Whether a function has failed: the render goes on, but its output will not be used. */
  boolean isSet() {
    return first != null;
  }

  void throwIfSet() {
    if (first != null) {
      throw first;
    }
  }
}
