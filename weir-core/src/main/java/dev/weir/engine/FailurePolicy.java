package dev.weir.engine;

import dev.weir.flow.Durations;
import dev.weir.flow.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** What follows a failed attempt: another try later, or the end of the task. Pure. */
final class FailurePolicy {
  private FailurePolicy() {}

  sealed interface Outcome {}

  /** Try again at {@code at}; {@code note} is the WARN line for the task's log. */
  record Retry(Instant at, String note) implements Outcome {}

  /** The task ends with the attempt's state; {@code suffix} goes after its error. */
  record GiveUp(String suffix) implements Outcome {}

  /**
   * @param failures failed tries so far, this one included
   * @param retryable whether the failure is one trying again can fix
   * @param stopping the run is being cancelled or timed out: nothing more starts
   */
  static Outcome after(
      RetryPolicy policy,
      int failures,
      boolean retryable,
      boolean stopping,
      int attempt,
      String message,
      Instant now,
      RandomGenerator random) {
    if (retryable && !stopping && failures < policy.attempts()) {
      Duration delay = policy.delayAfter(failures, random);
      String note =
          "attempt "
              + attempt
              + " failed: "
              + message
              + "; retrying in "
              + Durations.format(delay)
              + " (try "
              + (failures + 1)
              + " of "
              + policy.attempts()
              + ")";
      return new Retry(now.plus(delay), note);
    }
    boolean exhausted = retryable && policy.attempts() > 1 && failures >= policy.attempts();
    return new GiveUp(exhausted ? " (gave up after " + failures + " tries)" : "");
  }
}
