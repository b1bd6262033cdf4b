package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskAuditRecord;
import dev.weir.store.TaskRunRecord;

/**
 * Hears about a run's progress after each change is stored (e.g. the CLI's live lines, the server's
 * metrics and log files). Of the changes stored together, a run that goes on ({@code RUNNING}) is
 * told before its tasks' changes and a run that ended after them, so a listener knows a run before
 * its tasks and hears its end last. Calls come from the run's own threads: keep them quick.
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void runChanged(RunRecord run) {}

  default void taskChanged(TaskDef task, TaskRunRecord taskRun) {}

  /**
   * The audit facts of an attempt that ended, stored with its end; heard just before the {@link
   * #taskChanged} of that end. Attempts with nothing known have none.
   */
  default void taskAudited(TaskAuditRecord audit) {}

  default void logged(LogLine line) {}

  /**
   * A continuous task's report ({@link dev.weir.task.StreamProgress}). Heard on the task's own
   * thread, batch by batch: keep it quick.
   */
  default void streamed(StreamEvent event) {}
}
