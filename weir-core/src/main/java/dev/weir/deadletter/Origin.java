package dev.weir.deadletter;

/**
 * Who set records aside: a task attempt of a run, or (from server code, e.g. a queue trigger whose
 * run could not start) a source outside any run, with {@code runId} null and attempt 0.
 *
 * @param part tells apart the batches of one origin outside a run (a trigger sets messages aside
 *     many times, each batch must not replace the one before); null for a task attempt
 */
public record Origin(
    String namespace, String flowId, String runId, String taskId, int attempt, String part) {
  public Origin {
    java.util.Objects.requireNonNull(namespace, "namespace");
    java.util.Objects.requireNonNull(flowId, "flowId");
    java.util.Objects.requireNonNull(taskId, "taskId");
  }

  public Origin(String namespace, String flowId, String runId, String taskId, int attempt) {
    this(namespace, flowId, runId, taskId, attempt, null);
  }

  /** The letters a trigger sets aside outside any run: task {@code trigger:<id>}, no run. */
  public static Origin ofTrigger(String namespace, String flowId, String triggerId, String part) {
    return new Origin(namespace, flowId, null, "trigger:" + triggerId, 0, part);
  }

  /** The stable id of this origin's batch: a retried attempt of the same number replaces it. */
  public String batchId() {
    String key =
        namespace
            + "/"
            + flowId
            + "/"
            + runId
            + "/"
            + taskId
            + "/"
            + attempt
            + (part == null ? "" : "/" + part);
    return dev.weir.util.Hashes.sha256(key).substring(0, 16);
  }

  /**
   * The file name of this origin's letters: {@code <run>/<task>-<attempt>.jsonl}, or {@code
   * no-run/<task>-<part>.jsonl}.
   */
  public String fileName() {
    return (runId == null ? "no-run" : runId)
        + "/"
        + taskId.replaceAll("[^A-Za-z0-9_.\\[\\]-]", "_")
        + "-"
        + (part == null ? String.valueOf(attempt) : part.replaceAll("[^A-Za-z0-9_-]", "_"))
        + ".jsonl";
  }
}
