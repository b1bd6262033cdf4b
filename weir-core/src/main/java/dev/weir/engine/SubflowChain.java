package dev.weir.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.store.RunParent;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.task.TaskFailedException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The runs above a run, parent by parent, and the check that a subflow about to start is not one of
 * them: a cycle {@code weir validate} could not see (a flow named by a template, or flows in
 * different places) fails the task instead of starting runs without end.
 */
final class SubflowChain {
  /** How deep subflows may nest: deeper is taken for a cycle through templates. */
  static final int MAX_DEPTH = 10;

  private SubflowChain() {}

  /**
   * A child names its parent in its trigger data, stored with the run itself: the link row is
   * written just after the child starts, and a quick child may already be starting its own.
   */
  static Optional<String> parentId(StateStore store, RunRecord run) {
    if (AttemptSubflows.TRIGGER.equals(run.trigger()) && run.triggerData() != null) {
      try {
        JsonNode id = DatasetCodec.JSON.readTree(run.triggerData()).get("parentRunId");
        if (id != null && id.isTextual()) {
          return Optional.of(id.textValue());
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        // not ours after all: ask the link table
      }
    }
    return store.parentOf(run.id()).map(RunParent::parentRunId);
  }

  /**
   * @param parent the run whose task starts the child
   * @param child {@code namespace.flowId} of the flow about to start
   * @throws TaskFailedException (not retryable) listing the chain when the child is one of the runs
   *     above or the chain is too deep
   */
  static void check(StateStore store, RunRecord parent, String child) {
    List<String> chain = new ArrayList<>(); // from the top run down to the parent
    boolean cycle = false;
    var seen = new HashSet<String>();
    RunRecord at = parent;
    while (at != null && seen.add(at.id())) {
      String key = at.namespace() + "." + at.flowId();
      chain.add(0, key + " (run " + at.id() + ")");
      cycle |= key.equals(child);
      at = parentId(store, at).flatMap(store::findRun).orElse(null);
    }
    String path = String.join(" → ", chain) + " → " + child;
    if (cycle) {
      throw TaskFailedException.permanent(
          "subflow cycle: "
              + path
              + "; a flow cannot run itself through subflows. Break the cycle: let one of"
              + " these flows stop calling the next");
    }
    if (chain.size() >= MAX_DEPTH) {
      throw TaskFailedException.permanent(
          "subflows nest more than "
              + MAX_DEPTH
              + " deep: "
              + path
              + "; this looks like a cycle through templated flow names");
    }
  }
}
