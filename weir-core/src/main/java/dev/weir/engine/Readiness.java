package dev.weir.engine;

import dev.weir.expr.ExpressionException;
import dev.weir.flow.RunIf;
import dev.weir.flow.TaskDef;
import dev.weir.store.TaskState;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Whether a pending task runs now, from its upstream tasks' states, its {@code runIf} and its
 * {@code condition}. Pure: the caller renders the condition and applies the answer.
 */
final class Readiness {
  private Readiness() {}

  /** What becomes of a pending task. */
  sealed interface Decision {}

  /** An upstream task has not ended yet. */
  record NotYet() implements Decision {}

  /** It runs: queue it. */
  record Run() implements Decision {}

  record Skip(String why) implements Decision {}

  record UpstreamFailed(String why) implements Decision {}

  /** Its condition cannot be evaluated: the task fails (not retried, the flow is wrong). */
  record Fail(String why) implements Decision {}

  private static final NotYet NOT_YET = new NotYet();
  private static final Run RUN = new Run();

  /**
   * @param upstream the task ids it depends on
   * @param stateOf the latest state of a task by id
   * @param render renders the condition template; throws {@link ExpressionException}
   * @param mask masks secrets in a message
   */
  static Decision decide(
      TaskDef def,
      List<String> upstream,
      Function<String, TaskState> stateOf,
      UnaryOperator<String> render,
      UnaryOperator<String> mask) {
    boolean anyFailed = false;
    String failedUpstream = null;
    for (String up : upstream) {
      TaskState st = stateOf.apply(up);
      if (!st.isTerminal()) {
        return NOT_YET;
      }
      if (!st.isSuccessful() && failedUpstream == null) {
        failedUpstream = up;
      }
      anyFailed |= st.isFailure();
    }
    RunIf runIf = def.runIf();
    if (runIf == RunIf.SUCCESS && failedUpstream != null) {
      return new UpstreamFailed("upstream task '" + failedUpstream + "' did not succeed");
    }
    if (runIf == RunIf.FAILED && !anyFailed) {
      return new Skip("runIf: failed, and no upstream task failed");
    }
    return def.condition() == null ? RUN : condition(def.condition(), render, mask);
  }

  private static Decision condition(
      String condition, UnaryOperator<String> render, UnaryOperator<String> mask) {
    String value;
    try {
      value = render.apply(condition).strip();
    } catch (ExpressionException e) {
      return new Fail(mask.apply("condition: " + e.getMessage()));
    }
    if (value.equalsIgnoreCase("false")) {
      return new Skip("condition " + condition.strip() + " is false");
    }
    if (!value.equalsIgnoreCase("true")) {
      return new Fail(
          mask.apply(
              "condition "
                  + condition.strip()
                  + " rendered '"
                  + value
                  + "'; it must render true or false"));
    }
    return RUN;
  }
}
