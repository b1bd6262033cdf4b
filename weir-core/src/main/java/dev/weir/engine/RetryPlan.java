package dev.weir.engine;

import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.LogLine;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * What {@code weir retry} adds to a failed run: a fresh attempt of every top-level task that did
 * not succeed, and of a succeeded one whose staged dataset is gone (with a WARN line saying so).
 * Items of a forEach are left to the group, which keeps the items that succeeded.
 *
 * @param fresh the new attempts, of run attempt {@code runAttempt}
 * @param notes the WARN lines for tasks that run again because their dataset is gone
 */
record RetryPlan(List<TaskRunRecord> fresh, List<LogLine> notes) {
  /**
   * @param present whether a succeeded task's dataset (of the run) can still be read: its file is
   *     here, or in the shared staging of a cluster
   */
  static RetryPlan of(
      Flow flow,
      String runId,
      List<TaskRunRecord> rows,
      int runAttempt,
      Instant now,
      BiPredicate<String, Dataset> present) {
    var latest = new LinkedHashMap<String, TaskRunRecord>();
    rows.forEach(r -> latest.merge(r.taskId(), r, (a, b) -> a.attempt() >= b.attempt() ? a : b));
    var fresh = new ArrayList<TaskRunRecord>();
    var notes = new ArrayList<LogLine>();
    for (var def : flow.allTasks()) {
      TaskRunRecord r = latest.get(def.id());
      boolean succeeded =
          r != null && r.state() == TaskState.SUCCEEDED && def.phase() == Phase.MAIN;
      boolean staged = succeeded && present.test(runId, DatasetCodec.decode(r.dataset()));
      if (!staged) {
        fresh.add(
            TaskRunRecord.pending(runId, def.id(), r == null ? 1 : r.attempt() + 1, runAttempt));
      }
      if (succeeded && !staged) {
        notes.add(
            new LogLine(
                runId,
                def.id(),
                r.attempt() + 1,
                now,
                "WARN",
                "the dataset attempt "
                    + r.attempt()
                    + " staged is gone (deleted by the staging retention, see `weir gc`);"
                    + " running this task again"));
      }
    }
    return new RetryPlan(fresh, notes);
  }
}
