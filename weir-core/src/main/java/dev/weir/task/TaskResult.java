package dev.weir.task;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an attempt produced: outputs (readable downstream as {@code outputs.<task>.<name>}) and, for
 * tasks that produce data, a staged dataset.
 *
 * @param state task state to keep for the next run (an incremental watermark); the engine commits
 *     it only when the whole run succeeds, so a load failing downstream never skips rows
 * @param audit rows, bytes and datasets read and written, for the audit trail and lineage
 */
public record TaskResult(
    Map<String, Object> outputs, Dataset dataset, Map<String, String> state, Audit audit) {
  public TaskResult {
    outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    state = state == null ? Map.of() : Map.copyOf(state);
    audit = audit == null ? Audit.NONE : audit;
  }

  public TaskResult(Map<String, Object> outputs, Dataset dataset, Map<String, String> state) {
    this(outputs, dataset, state, Audit.NONE);
  }

  public TaskResult(Map<String, Object> outputs, Dataset dataset) {
    this(outputs, dataset, Map.of());
  }

  public static TaskResult empty() {
    return new TaskResult(Map.of(), null);
  }

  public static TaskResult of(Map<String, Object> outputs) {
    return new TaskResult(outputs, null);
  }

  /** A dataset result; its row count, path and checksum are also outputs. */
  public static TaskResult of(Dataset dataset, Map<String, Object> extra) {
    var out = new LinkedHashMap<String, Object>();
    out.put("rows", dataset.rowCount());
    out.put("path", dataset.path().toString());
    out.put("checksum", dataset.checksum());
    out.putAll(extra);
    return new TaskResult(out, dataset);
  }

  /** This result, proposing {@code state} to keep once the run succeeds. */
  public TaskResult withState(Map<String, String> state) {
    return new TaskResult(outputs, dataset, state, audit);
  }

  /** This result with what the attempt read and wrote, for the audit trail and lineage. */
  public TaskResult withAudit(Audit audit) {
    return new TaskResult(outputs, dataset, state, audit);
  }

  /** Rows this attempt produced, for progress lines; -1 when it made no dataset. */
  public long rows() {
    if (dataset != null) {
      return dataset.rowCount();
    }
    Object r = outputs.get("rows");
    return r instanceof Number n ? n.longValue() : -1;
  }
}
