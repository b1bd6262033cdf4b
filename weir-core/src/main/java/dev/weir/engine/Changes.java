package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskAuditRecord;
import dev.weir.store.TaskRunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one coordinator round. A row changed twice in a round is written once with its
 * latest value (a task that goes QUEUED then RUNNING at once is one UPDATE, with both times).
 */
final class Changes {
  private record Key(String taskId, int attempt) {}

  private record Notice(TaskDef def, TaskRunRecord row) {}

  private final Map<Key, TaskRunRecord> inserts = new LinkedHashMap<>();
  private final Map<Key, TaskRunRecord> updates = new LinkedHashMap<>();
  private final List<Notice> notices = new ArrayList<>();
  private final List<TaskAuditRecord> audits = new ArrayList<>();
  private RunRecord run;

  void insert(TaskRunRecord r) {
    inserts.put(new Key(r.taskId(), r.attempt()), r);
  }

  void update(TaskRunRecord r) {
    Key k = new Key(r.taskId(), r.attempt());
    if (inserts.containsKey(k)) {
      inserts.put(k, r);
    } else {
      updates.put(k, r);
    }
  }

  void notify(TaskDef def, TaskRunRecord row) {
    notices.add(new Notice(def, row));
  }

  /** Audit facts of an attempt that ended this round, written with its end. */
  void audit(TaskAuditRecord a) {
    audits.add(a);
  }

  void run(RunRecord r) {
    run = r;
  }

  /** Whether something is to be written and all of it is rows of steps (no task, no run). */
  boolean onlySteps() {
    if (run != null || (inserts.isEmpty() && updates.isEmpty())) {
      return false;
    }
    for (Key k : inserts.keySet()) {
      if (!StepIds.isStep(k.taskId())) {
        return false;
      }
    }
    for (Key k : updates.keySet()) {
      if (!StepIds.isStep(k.taskId())) {
        return false;
      }
    }
    return true;
  }

  boolean isEmpty() {
    return inserts.isEmpty() && updates.isEmpty() && run == null;
  }

  StateStore.Batch batch() {
    return new StateStore.Batch(
        List.of(),
        run == null ? List.of() : List.of(run),
        new ArrayList<>(inserts.values()),
        new ArrayList<>(updates.values()),
        audits);
  }

  /** Tells a run that goes on before its tasks' changes, and a run that ended after them. */
  void published(RunListener listener) {
    boolean ended = run != null && run.state().isTerminal();
    if (run != null && !ended) {
      listener.runChanged(run);
    }
    for (TaskAuditRecord a : audits) {
      listener.taskAudited(a);
    }
    for (Notice n : notices) {
      listener.taskChanged(n.def(), n.row());
    }
    if (ended) {
      listener.runChanged(run);
    }
  }

  void clear() {
    inserts.clear();
    updates.clear();
    notices.clear();
    audits.clear();
    run = null;
  }
}
