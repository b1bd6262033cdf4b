package dev.weir.store;

/**
 * States of one task attempt: {@code PENDING → QUEUED → RUNNING → SUCCEEDED | FAILED | SKIPPED |
 * UPSTREAM_FAILED | CANCELLED | TIMED_OUT}, with {@code RETRY_WAIT} before a new attempt, and
 * {@code RUNNING ⇄ WAITING} for a sensor between its checks (no thread held; the next check is the
 * stored {@code retryAt}).
 */
public enum TaskState {
  PENDING,
  QUEUED,
  RUNNING,
  RETRY_WAIT,
  WAITING,
  SUCCEEDED,
  FAILED,
  SKIPPED,
  UPSTREAM_FAILED,
  CANCELLED,
  TIMED_OUT;

  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, FAILED, SKIPPED, UPSTREAM_FAILED, CANCELLED, TIMED_OUT -> true;
      default -> false;
    };
  }

  /** Done in a way that lets the tasks after it run (with {@code runIf: success}). */
  public boolean isSuccessful() {
    return this == SUCCEEDED || this == SKIPPED;
  }

  /** Ended badly in itself or because of an upstream task. */
  public boolean isFailure() {
    return this == FAILED || this == TIMED_OUT || this == UPSTREAM_FAILED;
  }
}
