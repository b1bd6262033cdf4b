package dev.weir.engine;

import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.TaskState;
import java.util.Map;

/** {@code failedTask.*} for the {@code onFailure} tasks: the first main task that failed. */
final class FailedTaskVariable {
  private FailedTaskVariable() {}

  static Map<String, Object> of(TaskSlot s, TaskTable table, boolean runTimedOut) {
    if (s.def.phase() != Phase.ON_FAILURE) {
      return Map.of();
    }
    for (TaskSlot f : table.all()) {
      if (f.isTop()
          && f.def.phase() == Phase.MAIN
          && (f.is(TaskState.FAILED) || f.is(TaskState.TIMED_OUT))) {
        return Map.of(
            "failedTask",
            Map.of(
                "id",
                f.id(),
                "type",
                f.def.type(),
                "error",
                f.current.error() == null ? "" : f.current.error()));
      }
    }
    return Map.of(
        "failedTask", Map.of("id", "", "type", "", "error", runTimedOut ? "run timed out" : ""));
  }
}
