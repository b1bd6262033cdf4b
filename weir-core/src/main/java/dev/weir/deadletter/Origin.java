package dev.weir.deadletter;

/**
 * Who set records aside: a task attempt of a run, or (from server code, e.g. a queue trigger whose
 * run could not start) a source outside any run, with {@code runId} null and attempt 0.
 */
public record Origin(String namespace, String flowId, String runId, String taskId, int attempt) {
  public Origin {
    java.util.Objects.requireNonNull(namespace, "namespace");
    java.util.Objects.requireNonNull(flowId, "flowId");
    java.util.Objects.requireNonNull(taskId, "taskId");
  }

  /** The stable id of this origin's batch: a retried attempt of the same number replaces it. */
  public String batchId() {
    String key = namespace + "/" + flowId + "/" + runId + "/" + taskId + "/" + attempt;
    return dev.weir.util.Hashes.sha256(key).substring(0, 16);
  }

  /** The file name of this origin's letters: {@code <run>/<task>-<attempt>.jsonl}. */
  public String fileName() {
    return (runId == null ? "no-run" : runId)
        + "/"
        + taskId.replaceAll("[^A-Za-z0-9_.\\[\\]-]", "_")
        + "-"
        + attempt
        + ".jsonl";
  }
}
