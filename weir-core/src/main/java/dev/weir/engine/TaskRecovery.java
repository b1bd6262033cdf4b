package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.Dataset;
import java.time.Instant;

/**
 * What a coordinator makes of the task runs stored before it started (a resume, a retry, a run
 * taken over): each task's latest attempt placed in the {@link TaskTable} with the outputs of a
 * success restored, and what was left running, queued or waiting brought to where it can go on.
 */
final class TaskRecovery {
  private final EngineServices services;
  private final RunScope scope;
  private final TaskTable table;
  private final StoredRows stored;
  private final Round round;
  private final Dispatcher dispatcher;
  private final ForEachDriver forEach;
  private final int runAttempt;

  TaskRecovery(
      EngineServices services,
      RunScope scope,
      TaskTable table,
      StoredRows stored,
      Round round,
      Dispatcher dispatcher,
      ForEachDriver forEach,
      int runAttempt) {
    this.services = services;
    this.scope = scope;
    this.table = table;
    this.stored = stored;
    this.round = round;
    this.dispatcher = dispatcher;
    this.forEach = forEach;
    this.runAttempt = runAttempt;
  }

  /** Places every task of the flow: its latest stored attempt, or a new pending one. */
  void placeTasks() {
    for (TaskDef def : scope.flow.allTasks()) {
      TaskRunRecord cur = stored.take(def.id());
      boolean fresh = cur == null;
      if (fresh) {
        cur = TaskRunRecord.pending(scope.runId, def.id(), 1, runAttempt);
      }
      TaskSlot slot = table.add(def, cur, fresh);
      slot.failures = stored.failures(def.id());
      if (cur.state() == TaskState.SUCCEEDED) {
        restoreOutputs(slot);
      }
    }
  }

  /**
   * Brings a task run stored before this coordinator started to where it can go on: what was
   * running runs again (the try does not count), waits are timed again, a forEach goes on with its
   * items.
   */
  void recover(TaskSlot s) {
    Instant now = services.clock().instant();
    switch (s.state()) {
      case RUNNING, QUEUED -> {
        if (s.def.isForEach() && s.is(TaskState.RUNNING)) {
          forEach.resume(s);
          return;
        }
        if (s.is(TaskState.RUNNING)) {
          round.interrupted(s.id(), s.attempt());
        }
        table.fail(s, TaskState.FAILED, now, Interrupted.MESSAGE, null);
        table.again(s, runAttempt);
      }
      case RETRY_WAIT ->
          dispatcher.wakeAt(s, s.current.retryAt(), new EngineEvent.RetryDue(s.id(), s.attempt()));
      case WAITING -> {
        // a sensor between checks: its next check and its timeout were stored
        dispatcher.startTimeout(s);
        dispatcher.wakeAt(s, s.current.retryAt(), new EngineEvent.CheckDue(s.id(), s.attempt()));
      }
      default -> {}
    }
  }

  /** What a succeeded task gives downstream templates: its outputs and its dataset. */
  void restoreOutputs(TaskSlot s) {
    scope.outputs.put(s.id(), DatasetCodec.decodeOutputs(s.current.outputs()));
    Dataset d = DatasetCodec.decode(s.current.dataset());
    if (d != null) {
      scope.datasets.put(s.id(), d);
    }
  }
}
