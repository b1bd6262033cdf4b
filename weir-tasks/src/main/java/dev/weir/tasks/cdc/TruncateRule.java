package dev.weir.tasks.cdc;

import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.util.ArrayList;
import java.util.List;

/**
 * What a source {@code TRUNCATE} does ({@code truncates:}): stop the stream before the batch
 * holding it ({@code fail}, the default: a target that keeps rows the source lost must not happen
 * unseen), delete every row of the target table in the batch's order ({@code apply}), or keep them
 * and warn ({@code ignore}).
 */
final class TruncateRule {
  private final CdcOptions.Truncates rule;
  private final TargetTables tables;
  private final TaskLogger log;

  TruncateRule(CdcOptions.Truncates rule, TargetTables tables, TaskLogger log) {
    this.rule = rule;
    this.tables = tables;
    this.log = log;
  }

  /**
   * The changes to apply of a batch.
   *
   * @throws TaskFailedException with {@code fail}, when the batch holds a truncate
   */
  List<Change> admit(List<Change> changes) {
    if (rule == CdcOptions.Truncates.APPLY
        || changes.stream().noneMatch(c -> c.op() == Change.Op.TRUNCATE)) {
      return changes;
    }
    var out = new ArrayList<Change>(changes.size());
    for (Change c : changes) {
      if (c.op() != Change.Op.TRUNCATE) {
        out.add(c);
      } else if (rule == CdcOptions.Truncates.FAIL) {
        throw TaskFailedException.permanent(
            "source table "
                + c.table()
                + " was truncated; the stream stopped before applying it (truncates: fail), so"
                + " target table "
                + tables.name(c.table())
                + " still has the rows. Set `truncates: apply` to delete them there too (marked"
                + " deleted with `deletes: soft`), or `truncates: ignore` to keep them, and run"
                + " again: the stream continues from before the truncate");
      } else {
        log.warn(
            "source table "
                + c.table()
                + " was truncated; target table "
                + tables.name(c.table())
                + " keeps its rows (truncates: ignore)");
      }
    }
    return out;
  }
}
