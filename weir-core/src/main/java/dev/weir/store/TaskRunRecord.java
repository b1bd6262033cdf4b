package dev.weir.store;

import java.time.Instant;

/**
 * One attempt of one task in a run.
 *
 * @param outputs JSON object, null until the attempt ends
 * @param dataset JSON of the staged dataset, null when none
 * @param rows rows produced, -1 when not a data task
 */
public record TaskRunRecord(
    String runId,
    String taskId,
    int attempt,
    TaskState state,
    Instant queuedAt,
    Instant startedAt,
    Instant endedAt,
    Instant retryAt,
    String error,
    String outputs,
    String dataset,
    long rows) {

  public static TaskRunRecord pending(String runId, String taskId, int attempt) {
    return new TaskRunRecord(
        runId, taskId, attempt, TaskState.PENDING, null, null, null, null, null, null, null, -1);
  }

  public TaskRunRecord with(TaskState s) {
    return new TaskRunRecord(
        runId, taskId, attempt, s, queuedAt, startedAt, endedAt, retryAt, error, outputs, dataset,
        rows);
  }

  public TaskRunRecord queued(Instant at) {
    return new TaskRunRecord(
        runId, taskId, attempt, TaskState.QUEUED, at, null, null, null, null, null, null, -1);
  }

  public TaskRunRecord running(Instant at) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        TaskState.RUNNING,
        queuedAt == null ? at : queuedAt,
        at,
        null,
        null,
        null,
        null,
        null,
        -1);
  }

  public TaskRunRecord retryWait(Instant at) {
    return new TaskRunRecord(
        runId, taskId, attempt, TaskState.RETRY_WAIT, null, null, null, at, null, null, null, -1);
  }

  public TaskRunRecord ended(
      TaskState s, Instant at, String error, String outputs, String dataset, long rows) {
    return new TaskRunRecord(
        runId, taskId, attempt, s, queuedAt, startedAt, at, retryAt, error, outputs, dataset, rows);
  }

  public java.time.Duration duration() {
    return startedAt == null || endedAt == null
        ? null
        : java.time.Duration.between(startedAt, endedAt);
  }
}
