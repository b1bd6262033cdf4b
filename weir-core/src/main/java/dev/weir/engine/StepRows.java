package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The coordinator's side of steps ({@link dev.weir.task.Steps}): stores what attempts report of
 * their steps as task runs, in the round's one write, and tells listeners (the audit trail and
 * lineage hear a step as a task run). A step reported after its attempt stopped is dropped; the
 * steps an attempt leaves open end {@code CANCELLED} when it stops, and those a stopped process
 * left {@code RUNNING} end {@code FAILED} (interrupted) when the run goes on.
 */
final class StepRows {
  // per parent task run: its attempt in flight, and its steps stored in that attempt by id
  private record Attempt(int number, Map<String, TaskRunRecord> steps) {}

  private final Map<String, Attempt> attempts = new HashMap<>();
  private final Changes changes;

  StepRows(Changes changes) {
    this.changes = changes;
  }

  /**
   * Stores a step's start or end.
   *
   * @param parent the attempt's slot while that attempt is in flight, else null (a late report)
   * @param dropped says in the parent attempt's log that a report was dropped
   */
  void changed(StepChange c, TaskSlot parent, Runnable dropped) {
    if (parent == null) {
      return; // its attempt ended (cancelled, timed out): it closed the step already
    }
    Attempt a = attempts.get(parent.id());
    if (a == null || a.number() != c.attempt()) {
      a = new Attempt(c.attempt(), new LinkedHashMap<>());
      attempts.put(parent.id(), a);
    }
    TaskRunRecord had = a.steps().get(c.stepId());
    boolean starts =
        c.state() == TaskState.RUNNING
            || c.state() == TaskState.SKIPPED
            || c.state() == TaskState.UPSTREAM_FAILED;
    if (starts == (had != null) || (had != null && !had.state().canBecome(c.state()))) {
      dropped.run(); // started twice (a sensor's next check), or ended twice
      return;
    }
    TaskRunRecord row =
        had != null
            ? had
            : TaskRunRecord.pending(
                parent.current.runId(), c.stepId(), c.attempt(), parent.current.runAttempt());
    row =
        c.state() == TaskState.RUNNING
            ? row.running(c.at())
            : row.ended(c.state(), c.at(), c.error(), c.outputs(), null, c.rows());
    a.steps().put(c.stepId(), row);
    if (had == null) {
      changes.insert(row);
    } else {
      changes.update(row);
    }
    if (c.audit() != null) {
      changes.audit(c.audit());
    }
    changes.notify(parent.def, row);
  }

  /** The parent's attempt no longer runs: its steps still open end CANCELLED. */
  void parentStopped(TaskSlot parent, Instant now) {
    Attempt a = attempts.remove(parent.id());
    if (a == null) {
      return;
    }
    String why =
        "attempt "
            + a.number()
            + " of task '"
            + parent.id()
            + "' stopped before this step ended (cancelled, timed out, or it left the step open)";
    for (TaskRunRecord row : a.steps().values()) {
      if (!row.state().isTerminal()) {
        end(row.ended(TaskState.CANCELLED, now, why, null, null, -1), parent.def);
      }
    }
  }

  /**
   * Steps a stopped process left RUNNING (its attempts run again): FAILED as interrupted, as their
   * parents' attempts are.
   *
   * @param defOf the task definition of a step's parent task run id, or null when not known
   */
  void endLeftovers(List<TaskRunRecord> stored, Instant now, Function<String, TaskDef> defOf) {
    var open = new ArrayList<TaskRunRecord>();
    for (TaskRunRecord r : stored) {
      if (!r.state().isTerminal() && StepIds.isStep(r.taskId())) {
        open.add(r);
      }
    }
    for (TaskRunRecord r : open) {
      TaskRunRecord ended =
          r.ended(TaskState.FAILED, now, Interrupted.MESSAGE, r.outputs(), null, r.rows());
      end(ended, defOf.apply(StepIds.parentOf(r.taskId())));
    }
  }

  private void end(TaskRunRecord row, TaskDef def) {
    changes.update(row);
    if (def != null) {
      changes.notify(def, row);
    }
  }
}
