package dev.weir.store;

import java.time.Instant;

/**
 * One batch of dead letters as the state store indexes it ({@code weir_dead_letters}).
 *
 * @param runId null for letters set aside outside a run (e.g. a queue message whose run could not
 *     start)
 * @param taskType the task type that set them aside, which decides how they replay
 * @param location where the letters are: a file, an {@code s3://} object or {@code
 *     table:<connection>/<table>?...}
 * @param letters how many records were set aside
 * @param handled how many records the attempt handled in all
 * @param replayedAt when {@code weir deadletters replay} last took them; null before
 * @param replayOutcome what that replay did, e.g. {@code loaded 3, still dead 1}
 */
public record DeadLetterRecord(
    String id,
    String namespace,
    String flowId,
    String runId,
    String taskId,
    int attempt,
    String taskType,
    String location,
    long letters,
    long handled,
    String firstReason,
    Instant createdAt,
    Instant replayedAt,
    String replayRun,
    String replayOutcome) {

  /** This batch, replayed at {@code at} with {@code outcome}. */
  public DeadLetterRecord replayed(Instant at, String run, String outcome) {
    return new DeadLetterRecord(
        id,
        namespace,
        flowId,
        runId,
        taskId,
        attempt,
        taskType,
        location,
        letters,
        handled,
        firstReason,
        createdAt,
        at,
        run,
        outcome);
  }
}
