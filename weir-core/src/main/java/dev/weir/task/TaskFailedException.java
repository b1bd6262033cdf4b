package dev.weir.task;

import dev.weir.WeirException;
import java.util.Map;

/** A task attempt that failed for a reason the task understands; see {@link #retryable()}. */
public class TaskFailedException extends WeirException {
  private final boolean retryable;
  private final Map<String, Object> outputs;

  public TaskFailedException(String message) {
    this(message, true, Map.of(), null);
  }

  public TaskFailedException(
      String message, boolean retryable, Map<String, Object> outputs, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    // not Map.copyOf: an output may legitimately be null
    this.outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
  }

  /** A failure that trying again cannot fix (bad data, a failed check, a bad config). */
  public static TaskFailedException permanent(String message) {
    return new TaskFailedException(message, false, Map.of(), null);
  }

  public boolean retryable() {
    return retryable;
  }

  /** Outputs recorded even though the attempt failed (e.g. the check results). */
  public Map<String, Object> outputs() {
    return outputs;
  }
}
