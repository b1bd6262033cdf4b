package dev.weir.task;

import dev.weir.store.RunRecord;
import java.util.Map;

/** A run started by a {@code subflow} task (see {@link Subflows}). */
public interface ChildRun {
  String runId();

  /** The child run as stored now. */
  RunRecord run();

  /**
   * Waits until the child run has ended and returns how. A child run whose process is gone (Weir
   * was killed while it ran) is resumed in this process first.
   *
   * @throws InterruptedException when the waiting attempt is cancelled or times out
   */
  Outcome await() throws InterruptedException;

  /** Asks the child run to stop; it ends CANCELLED. Nothing happens when it has ended. */
  void cancel(String reason);

  /**
   * How a child run ended.
   *
   * @param run its final record
   * @param outputs the outputs of its tasks that succeeded, by task id then output name
   * @param failure its first failure ("task 'load' failed: …"), null when it succeeded
   */
  record Outcome(RunRecord run, Map<String, Map<String, Object>> outputs, String failure) {
    public Outcome {
      outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }
  }
}
