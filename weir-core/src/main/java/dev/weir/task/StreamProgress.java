package dev.weir.task;

/**
 * What a continuous task ({@link TaskType#runsContinuously()}) tells while it runs, for the
 * server's metrics and alerts: each batch it applied and when it lost its place in the source.
 * Calls are cheap and never fail the task.
 */
public interface StreamProgress {
  StreamProgress NONE =
      new StreamProgress() {
        @Override
        public void batchApplied(int changes, long[] lagMillis) {}

        @Override
        public void positionLost(String detail, boolean resnapshotting) {}
      };

  /**
   * A batch committed to the target.
   *
   * @param changes how many source changes it held
   * @param lagMillis each change's lag from its source commit to the target commit, in milliseconds
   *     (all of them or a sample); the array is not kept
   */
  void batchApplied(int changes, long[] lagMillis);

  /**
   * The task lost its place in the source (a replication slot gone, a binlog purged).
   *
   * @param detail what was lost and what the task does, for the alert (no secrets)
   * @param resnapshotting true when the task snapshots again, false when it fails
   */
  void positionLost(String detail, boolean resnapshotting);
}
