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

  /**
   * Whether an attempt in this state may move to {@code next}: the engine's task table refuses any
   * other change, so a bug shows as an error instead of a run that reads back impossible.
   */
  public boolean canBecome(TaskState next) {
    return switch (this) {
      case PENDING ->
          next == QUEUED
              || next == SKIPPED
              || next == UPSTREAM_FAILED
              || next == FAILED
              || next == CANCELLED;
      // FAILED from QUEUED: its gate refused it, or the process that queued it died
      case QUEUED -> next == RUNNING || next == FAILED || next == CANCELLED;
      case RUNNING ->
          next == SUCCEEDED
              || next == FAILED
              || next == TIMED_OUT
              || next == CANCELLED
              || next == WAITING;
      case WAITING -> next == RUNNING || next == TIMED_OUT || next == CANCELLED || next == FAILED;
      case RETRY_WAIT -> next == QUEUED || next == CANCELLED;
      default -> false;
    };
  }

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
