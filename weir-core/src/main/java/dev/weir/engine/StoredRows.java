package dev.weir.engine;

import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The task runs stored before a coordinator started (a resume, a retry): the latest attempt of each
 * task run, and how many failed tries of this run attempt count against its retries. Taken out as
 * the coordinator places them, so what a finished forEach item had is not held twice.
 */
final class StoredRows {
  private final Map<String, TaskRunRecord> latest = new HashMap<>();
  private final Map<String, Integer> failures = new HashMap<>();

  StoredRows(List<TaskRunRecord> rows, int runAttempt) {
    for (TaskRunRecord r : rows) {
      latest.merge(r.taskId(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b);
      boolean counted =
          r.runAttempt() == runAttempt
              && (r.state() == TaskState.FAILED || r.state() == TaskState.TIMED_OUT)
              && !Interrupted.is(r.error());
      if (counted) {
        failures.merge(r.taskId(), 1, Integer::sum);
      }
    }
  }

  /** The latest stored attempt of {@code runTaskId}, or null; it is no longer held here. */
  TaskRunRecord take(String runTaskId) {
    return latest.remove(runTaskId);
  }

  TaskRunRecord peek(String runTaskId) {
    return latest.get(runTaskId);
  }

  int failures(String runTaskId) {
    return failures.getOrDefault(runTaskId, 0);
  }
}
