package dev.weir.task;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs of other flows started by one task attempt, as children of its run: what the {@code subflow}
 * task uses, reached through {@link TaskContext#subflows()}. A child run records its parent (run,
 * task, attempt) in the state store before anyone waits for it.
 */
public interface Subflows {

  /**
   * What to run.
   *
   * @param namespace the child flow's namespace
   * @param flowId the child flow's id
   * @param revision a stored revision (its hash) to run instead of the flow's current one; null for
   *     the current one
   * @param inputs the child's inputs, as text, checked against its declared inputs
   */
  record Request(String namespace, String flowId, String revision, Map<String, String> inputs) {
    public Request {
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(flowId, "flowId");
      inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
    }

    /** {@code namespace.flowId}, as flows are named everywhere else. */
    public String key() {
      return namespace + "." + flowId;
    }
  }

  /**
   * Starts a child run: stored, linked to this attempt, then started (or queued behind its flow's
   * concurrency limit).
   *
   * @throws TaskFailedException (not retryable) when the flow is unknown (naming the flows known in
   *     its namespace), the revision is not stored, an input is wrong (naming it), or the child
   *     would run a flow that is already running it (a cycle, listing the chain)
   */
  ChildRun start(Request request);

  /**
   * The child run an earlier attempt of this task started and could not see to its end because Weir
   * stopped while it waited (the attempt ended {@code interrupted}): a resumed task waits for it
   * instead of starting a second one. Empty when there is none, or when that attempt ended on its
   * own (a retry starts a new child).
   */
  Optional<ChildRun> interrupted(Request request);
}
