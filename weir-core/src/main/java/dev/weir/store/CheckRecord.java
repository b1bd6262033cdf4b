package dev.weir.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The stored result of one quality check of one task attempt.
 *
 * @param checkNo the check's position in the task's {@code checks} list, from 0
 * @param dataset id of the task whose dataset was checked
 * @param name how the check reads, e.g. {@code unique(order_id)}
 * @param kind the check kind, e.g. {@code unique} or {@code anomaly}
 * @param severity {@code error} or {@code warn}
 * @param failingRows rows that broke it; 0 for checks that judge the whole dataset
 * @param observed the measured value where there is one (row count, age in seconds), else null
 */
public record CheckRecord(
    String runId,
    String taskId,
    int attempt,
    int checkNo,
    String namespace,
    String flowId,
    String dataset,
    String name,
    String kind,
    boolean passed,
    String severity,
    long failingRows,
    Double observed,
    String detail,
    Instant checkedAt) {
  public CheckRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }

  /**
   * This result as the API and {@code weir runs show --json} print it, in that order; {@code
   * detail} goes through {@code mask} (it may quote data).
   */
  public java.util.Map<String, Object> toMap(java.util.function.UnaryOperator<String> mask) {
    var m = new java.util.LinkedHashMap<String, Object>();
    m.put("runId", runId);
    m.put("task", taskId);
    m.put("attempt", attempt);
    m.put("dataset", dataset);
    m.put("name", name);
    m.put("kind", kind);
    m.put("passed", passed);
    m.put("severity", severity);
    m.put("failingRows", failingRows);
    m.put("observed", observed);
    m.put("detail", mask.apply(detail));
    m.put("checkedAt", checkedAt.toString());
    return m;
  }
}
