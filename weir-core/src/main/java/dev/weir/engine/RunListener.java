package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskRunRecord;

/** Hears about a run's progress after each change is stored (e.g. the CLI's live lines). */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  default void runChanged(RunRecord run) {}

  default void taskChanged(TaskDef task, TaskRunRecord taskRun) {}

  default void logged(LogLine line) {}
}
