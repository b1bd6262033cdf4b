package dev.weir.engine;

import dev.weir.flow.Dag;
import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The task runs of one run and every change to them. Each change is a named transition that {@link
 * TaskState#canBecome} checks; it is queued for the round's store write, counted for the phase's
 * end, and wakes the tasks downstream when the task is done.
 */
final class TaskTable {
  private final Map<String, TaskSlot> slots = new LinkedHashMap<>();
  private final Map<Phase, Dag> dags = new EnumMap<>(Phase.class);
  private final Map<Phase, Integer> open = new EnumMap<>(Phase.class);
  private final LinkedHashSet<TaskSlot> candidates = new LinkedHashSet<>();
  private final List<TaskSlot> endedItemTasks = new ArrayList<>();
  private final Changes changes;

  TaskTable(Map<Phase, Dag> dags, Changes changes) {
    this.dags.putAll(dags);
    this.changes = changes;
    for (Phase p : Phase.values()) {
      open.put(p, 0);
    }
  }

  /** Adds a task of the flow with its latest stored attempt (inserted when {@code fresh}). */
  TaskSlot add(TaskDef def, TaskRunRecord current, boolean fresh) {
    return add(
        new TaskSlot(def, Place.top(def.id(), dags.get(def.phase())), null, -1, current), fresh);
  }

  /** Adds a task of one forEach item, as {@code group[key]/task}. */
  TaskSlot add(TaskSlot slot, boolean fresh) {
    slots.put(slot.id(), slot);
    if (fresh) {
      changes.insert(slot.current);
    }
    if (!slot.current.state().isTerminal()) {
      open.merge(slot.def.phase(), 1, Integer::sum);
    }
    return slot;
  }

  /** Forgets an ended task run of a finished forEach item: memory stays flat over many items. */
  void remove(TaskSlot s) {
    if (!s.state().isTerminal()) {
      throw new IllegalStateException("task '" + s.id() + "' is " + s.state() + ", not ended");
    }
    slots.remove(s.id());
    candidates.remove(s);
  }

  /** Takes the forEach item tasks that ended since the last call. */
  List<TaskSlot> takeEndedItemTasks() {
    if (endedItemTasks.isEmpty()) {
      return List.of();
    }
    var out = new ArrayList<>(endedItemTasks);
    endedItemTasks.clear();
    return out;
  }

  Collection<TaskSlot> all() {
    return slots.values();
  }

  /** The task run by its id ({@code load}, {@code group[key]/load}); null when not held. */
  TaskSlot get(String runTaskId) {
    return slots.get(runTaskId);
  }

  /**
   * The definition of a task run: a task of the flow, or of a forEach item ({@code
   * group[key]/task}) whether held or not (not resumed yet, or forgotten); null when the flow has
   * no such task.
   */
  TaskDef defOf(String runTaskId, Flow flow) {
    TaskSlot s = slots.get(runTaskId);
    if (s != null) {
      return s.def;
    }
    String id = runTaskId.substring(runTaskId.lastIndexOf('/') + 1);
    return flow.everyTask().stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
  }

  Dag dag(Phase p) {
    return dags.get(p);
  }

  /** Tasks of {@code p} not ended yet. */
  int open(Phase p) {
    return open.get(p);
  }

  /** Takes the tasks whose upstream changed since the last call, to decide on them. */
  TaskSlot nextCandidate() {
    if (candidates.isEmpty()) {
      return null;
    }
    TaskSlot s = candidates.iterator().next();
    candidates.remove(s);
    return s;
  }

  void consider(TaskSlot s) {
    candidates.add(s);
  }

  // ---- named transitions

  void queue(TaskSlot s, Instant now) {
    update(s, s.current.queued(now));
  }

  void start(TaskSlot s, Instant now) {
    update(s, s.current.running(now));
  }

  /** A sensor's next check: RUNNING again, its first start kept for its timeout. */
  void recheck(TaskSlot s) {
    update(s, s.current.checking());
  }

  /** A sensor found nothing yet: WAITING until {@code nextCheck}, holding no thread. */
  void waitUntil(TaskSlot s, Instant nextCheck) {
    update(s, s.current.waiting(nextCheck));
  }

  void succeed(
      TaskSlot s, Instant now, String outputs, String dataset, long rows, String stateUpdates) {
    update(
        s,
        s.current
            .ended(TaskState.SUCCEEDED, now, null, outputs, dataset, rows)
            .withStateUpdates(stateUpdates));
  }

  /** Ends the attempt FAILED or TIMED_OUT, with what it output before it failed. */
  void fail(TaskSlot s, TaskState how, Instant now, String why, String outputs) {
    if (how != TaskState.FAILED && how != TaskState.TIMED_OUT) {
      throw new IllegalArgumentException(how + " is not a failure");
    }
    update(s, s.current.ended(how, now, why, outputs, null, -1));
  }

  void skip(TaskSlot s, Instant now, String why) {
    update(s, s.current.ended(TaskState.SKIPPED, now, why, null, null, -1));
  }

  void upstreamFailed(TaskSlot s, Instant now, String why) {
    update(s, s.current.ended(TaskState.UPSTREAM_FAILED, now, why, null, null, -1));
  }

  void cancel(TaskSlot s, Instant now, String why) {
    update(s, s.current.ended(TaskState.CANCELLED, now, why, null, null, -1));
  }

  void timeOut(TaskSlot s, Instant now, String why) {
    update(s, s.current.ended(TaskState.TIMED_OUT, now, why, null, null, -1));
  }

  /** A forEach that rendered its items: RUNNING, with its items kept in the row for a resume. */
  void startGroup(TaskSlot s, Instant now, String itemsJson) {
    update(s, s.current.running(now).withOutputs(itemsJson));
  }

  /** The next attempt of an ended task, waiting for its retry time. */
  void retryAt(TaskSlot s, int runAttempt, Instant at) {
    insert(
        s,
        TaskRunRecord.pending(s.current.runId(), s.id(), s.attempt() + 1, runAttempt)
            .retryWait(at));
  }

  /** The next attempt of an ended task, to run as soon as it is ready. */
  void again(TaskSlot s, int runAttempt) {
    insert(s, TaskRunRecord.pending(s.current.runId(), s.id(), s.attempt() + 1, runAttempt));
  }

  // ---- bookkeeping

  private void update(TaskSlot s, TaskRunRecord next) {
    if (!s.state().canBecome(next.state())) {
      throw new IllegalStateException(
          "task '"
              + s.id()
              + "' attempt "
              + s.attempt()
              + ": "
              + s.state()
              + " cannot become "
              + next.state());
    }
    move(s, next);
    changes.update(next);
  }

  private void insert(TaskSlot s, TaskRunRecord next) {
    if (!s.state().isTerminal()) {
      throw new IllegalStateException(
          "task '"
              + s.id()
              + "' gets attempt "
              + next.attempt()
              + " while attempt "
              + s.attempt()
              + " is "
              + s.state());
    }
    move(s, next);
    changes.insert(next);
  }

  private void move(TaskSlot s, TaskRunRecord next) {
    boolean wasOpen = !s.state().isTerminal();
    boolean isOpen = !next.state().isTerminal();
    if (wasOpen != isOpen) {
      open.merge(s.def.phase(), isOpen ? 1 : -1, Integer::sum);
    }
    s.current = next;
    if (!isOpen) {
      for (String down : s.place.dag().downstream(s.def.id())) {
        TaskSlot d = slots.get(s.place.prefix() + down);
        if (d != null) {
          candidates.add(d);
        }
      }
      if (wasOpen && !s.isTop()) {
        endedItemTasks.add(s);
      }
    }
    changes.notify(s.def, next);
  }
}
