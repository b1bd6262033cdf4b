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
   * Changes handed to the task wait unapplied: its target hangs, or a batch keeps failing and is
   * read again by each retry. Called on a timer while they wait (and when a batch arrives), so that
   * a lag SLA fires for a stream that applies nothing.
   *
   * @param changes how many changes wait
   * @param oldestLagMillis how long ago the oldest of them committed in the source
   */
  default void waiting(int changes, long oldestLagMillis) {}

  /**
   * The task lost its place in the source (a replication slot gone, a binlog purged).
   *
   * @param detail what was lost and what the task does, for the alert (no secrets)
   * @param resnapshotting true when the task snapshots again, false when it fails
   */
  void positionLost(String detail, boolean resnapshotting);
}
