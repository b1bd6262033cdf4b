package dev.weir.engine;

import java.util.regex.Pattern;

/**
 * Task run ids of steps ({@link dev.weir.task.Steps}): {@code <parent task run id>/<name>}. They
 * never read as a forEach item's task ({@code group[key]/task}): the part before a step's last
 * slash is a task run id, which ends in a task id, never in {@code ]}.
 */
final class StepIds {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  // weir_task_runs.task_id is VARCHAR(200)
  static final int MAX_ID = 200;

  private StepIds() {}

  /** The step's task run id; rejects a name that is not {@code [A-Za-z0-9_.-]+} or too long. */
  static String of(String parentId, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "step name '"
              + name
              + "' of task '"
              + parentId
              + "': use letters, digits, '_', '.' and '-' (e.g. stg_orders)");
    }
    String id = parentId + "/" + name;
    if (id.length() > MAX_ID) {
      throw new IllegalArgumentException(
          "step id '" + id + "' is " + id.length() + " characters; at most " + MAX_ID + " fit");
    }
    return id;
  }

  /** Whether a stored task run is a step, not a task of the flow or of a forEach item. */
  static boolean isStep(String runTaskId) {
    return dev.weir.store.TaskRunRecord.isStepId(runTaskId);
  }

  /** The task run id of a step's parent. */
  static String parentOf(String stepId) {
    return dev.weir.store.TaskRunRecord.stepParent(stepId);
  }
}
