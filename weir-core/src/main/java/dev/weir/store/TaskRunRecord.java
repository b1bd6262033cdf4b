package dev.weir.store;

import java.time.Duration;
import java.time.Instant;

/**
 * One attempt of one task in a run.
 *
 * @param runAttempt the run attempt (1, then +1 per {@code weir retry}) this attempt belongs to
 * @param outputs JSON object, null until the attempt ends
 * @param dataset JSON of the staged dataset, null when none
 * @param rows rows produced, -1 when not a data task
 * @param stateUpdates JSON object of task state (e.g. a watermark) this attempt proposes; it is
 *     committed to the flow's state only when the run succeeds
 */
public record TaskRunRecord(
    String runId,
    String taskId,
    int attempt,
    int runAttempt,
    TaskState state,
    Instant queuedAt,
    Instant startedAt,
    Instant endedAt,
    Instant retryAt,
    String error,
    String outputs,
    String dataset,
    long rows,
    String stateUpdates) {

  public static TaskRunRecord pending(String runId, String taskId, int attempt, int runAttempt) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        TaskState.PENDING,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        -1,
        null);
  }

  public TaskRunRecord queued(Instant at) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        TaskState.QUEUED,
        at,
        null,
        null,
        retryAt,
        null,
        null,
        null,
        -1,
        null);
  }

  public TaskRunRecord running(Instant at) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        TaskState.RUNNING,
        queuedAt == null ? at : queuedAt,
        at,
        null,
        retryAt,
        null,
        null,
        null,
        -1,
        null);
  }

  public TaskRunRecord retryWait(Instant at) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        TaskState.RETRY_WAIT,
        null,
        null,
        null,
        at,
        null,
        null,
        null,
        -1,
        null);
  }

  /** A sensor between checks: RUNNING → WAITING until {@code nextCheck}; its start is kept. */
  public TaskRunRecord waiting(Instant nextCheck) {
    return unended(TaskState.WAITING, nextCheck);
  }

  /** A sensor's next check: WAITING → RUNNING, keeping the first check's start. */
  public TaskRunRecord checking() {
    return unended(TaskState.RUNNING, retryAt);
  }

  /** This attempt, not ended, in {@code s}: its times so far kept, no result. */
  private TaskRunRecord unended(TaskState s, Instant retry) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        s,
        queuedAt,
        startedAt,
        null,
        retry,
        null,
        null,
        null,
        -1,
        null);
  }

  public TaskRunRecord ended(
      TaskState s, Instant at, String error, String outputs, String dataset, long rows) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        s,
        queuedAt,
        startedAt,
        at,
        retryAt,
        error,
        outputs,
        dataset,
        rows,
        null);
  }

  /**
   * Whether a task run id names a step an attempt recorded ({@code <task run id>/<name>}, see
   * {@link dev.weir.task.Steps}), not a task of the flow ({@code load}) or of a forEach item
   * ({@code group[key]/load}): the part before a step's last slash ends in a task id, never in
   * {@code ]}.
   */
  public static boolean isStepId(String taskId) {
    int slash = taskId.lastIndexOf('/');
    return slash > 0 && taskId.charAt(slash - 1) != ']';
  }

  /** The task run id of a step's parent attempt; see {@link #isStepId}. */
  public static String stepParent(String stepId) {
    return stepId.substring(0, stepId.lastIndexOf('/'));
  }

  /** Time spent running, or null when it never ran. */
  public Duration duration() {
    return startedAt == null || endedAt == null ? null : Duration.between(startedAt, endedAt);
  }

  /**
   * This succeeded attempt as the first attempt of task {@code taskId} in another run: what a run
   * of some tasks only ({@code weir run --task}) takes over from an earlier run, outputs and staged
   * dataset included. State updates stay with the run that proposed them.
   */
  /** This attempt with its staged dataset at another place (JSON as {@link #dataset}). */
  public TaskRunRecord withDataset(String datasetJson) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        state,
        queuedAt,
        startedAt,
        endedAt,
        retryAt,
        error,
        outputs,
        datasetJson,
        rows,
        stateUpdates);
  }

  public TaskRunRecord reusedIn(String otherRunId) {
    return new TaskRunRecord(
        otherRunId,
        taskId,
        1,
        1,
        state,
        queuedAt,
        startedAt,
        endedAt,
        null,
        null,
        outputs,
        dataset,
        rows,
        null);
  }

  /** This attempt with {@code json} as its outputs (a running forEach keeps its items there). */
  public TaskRunRecord withOutputs(String json) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        state,
        queuedAt,
        startedAt,
        endedAt,
        retryAt,
        error,
        json,
        dataset,
        rows,
        stateUpdates);
  }

  public TaskRunRecord withStateUpdates(String json) {
    return new TaskRunRecord(
        runId,
        taskId,
        attempt,
        runAttempt,
        state,
        queuedAt,
        startedAt,
        endedAt,
        retryAt,
        error,
        outputs,
        dataset,
        rows,
        json);
  }
}
