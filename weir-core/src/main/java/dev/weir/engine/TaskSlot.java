package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;

/**
 * One task of a run and its latest attempt, as the coordinator sees it. Only the {@link TaskTable}
 * changes {@link #current}; the rest is the coordinator's bookkeeping of the attempt in flight.
 */
final class TaskSlot {
  final TaskDef def;
  final Place place;

  /** The forEach this task runs in, once per item; null at the top of the flow. */
  final ForEachRun group;

  /** Its item's index in {@link #group}; -1 at the top. */
  final int itemIndex;

  /** For a forEach's own slot: its items, once it started them. */
  ForEachRun expansion;

  TaskRunRecord current;

  /** Failed tries of this run attempt that count against the retry policy. */
  int failures;

  AttemptControl control;
  AttemptContext context;

  /** The attempt's timeout, from its first RUNNING until it ends (across a sensor's waits). */
  EngineTimer.Scheduled timeout;

  /** A retry's or a sensor's next check. */
  EngineTimer.Scheduled wake;

  /** Its attempt was dispatched and has not reported: RUNNING, or QUEUED at the gate. */
  boolean inFlight;

  TaskSlot(TaskDef def, Place place, ForEachRun group, int itemIndex, TaskRunRecord current) {
    this.def = def;
    this.place = place;
    this.group = group;
    this.itemIndex = itemIndex;
    this.current = current;
  }

  /** The task run's id: the task's id, or {@code group[key]/task} inside a forEach. */
  String id() {
    return place.runTaskId();
  }

  boolean isTop() {
    return group == null;
  }

  TaskState state() {
    return current.state();
  }

  int attempt() {
    return current.attempt();
  }

  boolean is(TaskState s) {
    return current.state() == s;
  }

  void cancelTimers() {
    if (timeout != null) {
      timeout.cancel();
      timeout = null;
    }
    cancelWake();
  }

  void cancelWake() {
    if (wake != null) {
      wake.cancel();
      wake = null;
    }
  }

  @Override
  public String toString() {
    return id() + "#" + current.attempt() + " " + current.state();
  }
}
