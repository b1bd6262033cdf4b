package dev.weir.engine;

import dev.weir.task.TaskResult;

/** What can happen to a running run; the coordinator handles each kind in its own method. */
sealed interface EngineEvent {
  /** The attempt got through its {@link TaskGate} and waits for its RUNNING state to be stored. */
  record AttemptAdmitted(String taskId, int attempt) implements EngineEvent {}

  record AttemptSucceeded(String taskId, int attempt, TaskResult result) implements EngineEvent {}

  record AttemptFailed(String taskId, int attempt, Throwable error) implements EngineEvent {}

  record AttemptTimedOut(String taskId, int attempt) implements EngineEvent {}

  /** A sensor's check found nothing yet: check again after {@code recheckIn}. */
  record AttemptWaiting(String taskId, int attempt, java.time.Duration recheckIn, String why)
      implements EngineEvent {}

  /** A retry's time came: the attempt waiting in RETRY_WAIT queues. */
  record RetryDue(String taskId, int attempt) implements EngineEvent {}

  /** A waiting sensor's next check is due. */
  record CheckDue(String taskId, int attempt) implements EngineEvent {}

  /** A step of a running attempt started or ended ({@link dev.weir.task.Steps}). */
  record StepChanged(StepChange change) implements EngineEvent {}

  record CancelRequested(String reason) implements EngineEvent {}

  /** Another node may have taken the run over (it said so): the coordinator asks the store. */
  record OwnershipCheck() implements EngineEvent {}

  record RunTimedOut() implements EngineEvent {}

  /**
   * The engine is closing, or gives its runs up: the run stops where it is stored, to be resumed
   * (or, in a cluster, adopted by another node, when not {@code resumable} here).
   */
  record Abandoned(String reason, boolean resumable) implements EngineEvent {}
}
