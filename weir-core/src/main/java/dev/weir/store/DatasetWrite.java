package dev.weir.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The last time a task of a flow staged its dataset successfully: how fresh that dataset is.
 *
 * @param taskId the task that stages the dataset (a dataset is named by its task's id)
 * @param runId the run of that last write
 * @param writtenAt when that attempt ended
 * @param rows the rows it staged, -1 when unknown
 */
public record DatasetWrite(
    String namespace, String flowId, String taskId, String runId, Instant writtenAt, long rows) {
  public DatasetWrite {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(flowId, "flowId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(writtenAt, "writtenAt");
  }
}
