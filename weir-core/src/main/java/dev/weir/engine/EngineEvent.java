package dev.weir.engine;

import dev.weir.task.TaskResult;

/** What can happen to a running run; the coordinator handles each kind in its own method. */
sealed interface EngineEvent {
  /** The attempt got through its {@link TaskGate} and waits for its RUNNING state to be stored. */
  record AttemptAdmitted(String taskId, int attempt) implements EngineEvent {}

  record AttemptSucceeded(String taskId, int attempt, TaskResult result) implements EngineEvent {}

  record AttemptFailed(String taskId, int attempt, Throwable error) implements EngineEvent {}

  record AttemptTimedOut(String taskId, int attempt) implements EngineEvent {}

  record RetryDue(String taskId, int attempt) implements EngineEvent {}

  record CancelRequested(String reason) implements EngineEvent {}

  record RunTimedOut() implements EngineEvent {}
}
