package dev.weir.task;

import dev.weir.WeirException;
import java.util.Map;

/**
 * A task attempt that failed for a reason the task understands; see {@link #retryable()} and {@link
 * #connectionFailure()}.
 */
public class TaskFailedException extends WeirException {
  private final boolean retryable;
  private final boolean connectionFailure;
  private final Map<String, Object> outputs;

  public TaskFailedException(String message) {
    this(message, true, Map.of(), null);
  }

  public TaskFailedException(
      String message, boolean retryable, Map<String, Object> outputs, Throwable cause) {
    this(message, retryable, false, outputs, cause);
  }

  private TaskFailedException(
      String message,
      boolean retryable,
      boolean connectionFailure,
      Map<String, Object> outputs,
      Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
    this.connectionFailure = connectionFailure;
    // not Map.copyOf: an output may legitimately be null
    this.outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
  }

  /** A failure that trying again cannot fix (bad data, a failed check, a bad config). */
  public static TaskFailedException permanent(String message) {
    return new TaskFailedException(message, false, Map.of(), null);
  }

  /**
   * The task could not reach the system behind its {@code connection:}: connection refused or
   * reset, unknown host, a network timeout, a lost connection, or a gateway answering that the
   * service behind it is unreachable (502, 503, 504). Always retryable. Refused credentials, a
   * missing table or a bad query are not connection failures: the system answered.
   *
   * <p>The engine counts these per connection to open its circuit breaker.
   */
  public static TaskFailedException connection(String message, Throwable cause) {
    return new TaskFailedException(message, true, true, Map.of(), cause);
  }

  public boolean retryable() {
    return retryable;
  }

  /** Whether the task could not reach its connection's system; see {@link #connection}. */
  public boolean connectionFailure() {
    return connectionFailure;
  }

  /** Outputs recorded even though the attempt failed (e.g. the check results). */
  public Map<String, Object> outputs() {
    return outputs;
  }
}
