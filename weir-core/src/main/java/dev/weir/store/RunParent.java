package dev.weir.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A run started by a {@code subflow} task, and what started it: the parent run, the task and its
 * attempt.
 *
 * @param createdAt when the link was recorded, which orders a task's children
 */
public record RunParent(
    String runId, String parentRunId, String parentTaskId, int parentAttempt, Instant createdAt) {
  public RunParent {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(parentRunId, "parentRunId");
    Objects.requireNonNull(parentTaskId, "parentTaskId");
    Objects.requireNonNull(createdAt, "createdAt");
    if (parentAttempt < 1) {
      throw new IllegalArgumentException("parentAttempt must be 1 or more, was " + parentAttempt);
    }
  }
}
