package dev.weir.task;

import java.util.Map;

/**
 * One step of a running attempt (see {@link Steps}): stored as a task run of its own, {@code
 * RUNNING} from {@link Steps#start} until it ends here. End it once, with {@link #succeed} or
 * {@link #fail}; a step the attempt leaves open is ended {@code CANCELLED} when the attempt ends.
 * Safe to use from any thread.
 */
public interface Step {
  /** The step's task run id: {@code <parent task run id>/<name>}. */
  String taskId();

  /** The step's own log: lines are stored with the step's task run, secrets masked. */
  TaskLogger logger();

  /**
   * Ends the step {@code SUCCEEDED}.
   *
   * @param outputs stored as the step's outputs (JSON, secrets masked)
   * @param audit rows and datasets it read and wrote: the audit trail and lineage of the step
   * @throws IllegalStateException when the step ended already
   */
  void succeed(Map<String, Object> outputs, Audit audit);

  /**
   * Ends the step {@code FAILED}. The attempt goes on: whether the task fails is the task's own
   * result.
   *
   * @param error why, stored as the step's error (secrets masked)
   * @throws IllegalStateException when the step ended already
   */
  void fail(String error, Map<String, Object> outputs, Audit audit);
}
