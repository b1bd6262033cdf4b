package dev.weir.tasks.cdc;

import dev.weir.task.TaskType;
import dev.weir.tasks.duck.Masking;
import java.util.List;
import java.util.Map;

/**
 * What the change data capture task types share whatever their source: they stream until stopped
 * and set refused changes aside, and they build their column rules the same way.
 */
interface CdcTaskType<C extends Record> extends TaskType<C> {
  /** A stream: under {@code weir server} a flow of it without triggers is kept running. */
  @Override
  default boolean runsContinuously() {
    return true;
  }

  /** Changes the target refuses go to {@code deadLetter:} (docs/cdc.md, failure behaviour). */
  @Override
  default boolean setsRecordsAside() {
    return true;
  }

  /** The column filters and masks of a task's settings. */
  static ColumnRules rules(
      List<String> tables,
      Map<String, ColumnRules.Filter> columns,
      Map<String, Masking.Rule> mask,
      String maskSalt) {
    return new ColumnRules(
        columns == null ? Map.of() : columns, ColumnRules.masksByTable(mask, tables), maskSalt);
  }
}
