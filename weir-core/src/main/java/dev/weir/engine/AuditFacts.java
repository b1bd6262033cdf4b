package dev.weir.engine;

import dev.weir.audit.AuditJson;
import dev.weir.store.TaskAuditRecord;
import dev.weir.task.Audit;
import dev.weir.task.Dataset;
import dev.weir.task.DatasetRef;
import dev.weir.task.TaskResult;
import java.util.ArrayList;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Fills what a task left out of its {@link Audit} from what the engine saw: the datasets it asked
 * its context for are its inputs, the dataset it staged is an output, and that dataset's rows and
 * checksum are what it wrote.
 */
final class AuditFacts {
  private AuditFacts() {}

  static TaskResult complete(TaskResult result, RunScope scope, Map<String, Dataset> read) {
    Audit a = result.audit();
    if (a.inputs().isEmpty() && !read.isEmpty()) {
      long rows = 0;
      for (Dataset d : read.values()) {
        a = a.input(staged(scope, d.taskId()).withRows(d.rowCount()));
        rows += d.rowCount();
      }
      if (a.rowsRead() < 0) {
        a = a.read(rows);
      }
    }
    Dataset out = result.dataset();
    if (out != null) {
      DatasetRef ref = staged(scope, out.taskId());
      if (a.outputs().stream().noneMatch(r -> sameDataset(r, ref))) {
        a = a.output(ref.withRows(out.rowCount()));
      }
      if (a.rowsWritten() < 0) {
        a = a.written(out.rowCount());
      }
      if (a.checksum() == null) {
        a = a.checksum(out.checksum());
      }
    }
    return result.withAudit(a);
  }

  /** Facts of a failed attempt: the datasets it read, and the rows it set aside if it said. */
  static Audit ofFailure(RunScope scope, Map<String, Dataset> read, Map<String, Object> outputs) {
    Audit a = Audit.NONE;
    for (Dataset d : read.values()) {
      a = a.input(staged(scope, d.taskId()).withRows(d.rowCount()));
    }
    if (outputs.get("rejected") instanceof Number n) {
      a = a.rejected(n.longValue());
    }
    return a;
  }

  static TaskAuditRecord record(
      String runId, String taskId, int attempt, Audit a, UnaryOperator<String> mask) {
    return new TaskAuditRecord(
        runId,
        taskId,
        attempt,
        a.rowsRead(),
        a.rowsWritten(),
        a.rowsRejected(),
        a.bytesRead(),
        a.bytesWritten(),
        a.checksum(),
        mask.apply(AuditJson.encode(new ArrayList<>(a.inputs()))),
        mask.apply(AuditJson.encode(new ArrayList<>(a.outputs()))));
  }

  private static DatasetRef staged(RunScope scope, String taskId) {
    return DatasetRef.staged(scope.flow.namespace(), scope.flow.id(), taskId);
  }

  private static boolean sameDataset(DatasetRef a, DatasetRef b) {
    return a.namespace().equals(b.namespace()) && a.name().equals(b.name());
  }
}
