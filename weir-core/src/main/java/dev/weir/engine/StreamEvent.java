package dev.weir.engine;

/** What a continuous task reported, with the run and task it came from ({@link RunListener}). */
public sealed interface StreamEvent {
  String runId();

  String namespace();

  String flowId();

  String taskId();

  /** A batch committed to the target: its changes and their lags (see StreamProgress). */
  record BatchApplied(
      String runId, String namespace, String flowId, String taskId, int changes, long[] lagMillis)
      implements StreamEvent {}

  /**
   * Changes wait unapplied; the oldest committed in the source that long ago (see StreamProgress).
   */
  record Waiting(
      String runId,
      String namespace,
      String flowId,
      String taskId,
      int changes,
      long oldestLagMillis)
      implements StreamEvent {}

  /** The task lost its place in the source; it snapshots again or fails. */
  record PositionLost(
      String runId,
      String namespace,
      String flowId,
      String taskId,
      String detail,
      boolean resnapshotting)
      implements StreamEvent {}
}
