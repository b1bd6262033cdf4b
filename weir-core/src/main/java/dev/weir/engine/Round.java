package dev.weir.engine;

import dev.weir.store.Fence;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One coordinator round's end: every change of the round written in one transaction, listeners
 * told, then what had to wait for the write — ending what interrupted attempts left running, and
 * starting attempts.
 */
final class Round {
  private final EngineServices services;
  private final String runId;
  private final Interrupted.TaskLog log;
  private final Changes changes = new Changes();
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final Map<String, Integer> interrupted = new LinkedHashMap<>();
  private final Fence fence;
  private RunRecord committedRun;

  Round(EngineServices services, RunRecord run, Fence fence, Interrupted.TaskLog log) {
    this.services = services;
    this.fence = fence;
    this.runId = run.id();
    this.log = log;
    this.committedRun = run;
  }

  Changes changes() {
    return changes;
  }

  /** What runs once the round is stored, in order. */
  List<Runnable> afterCommit() {
    return afterCommit;
  }

  /** An attempt the stopped process was running: its leftover processes end after the write. */
  void interrupted(String taskId, int attempt) {
    interrupted.put(taskId, attempt);
  }

  /** The run as the store holds it: what the last write stored, not what was meant. */
  RunRecord committedRun() {
    return committedRun;
  }

  /**
   * Whether the round's write may wait: it holds only step rows, and nothing waits for the write
   * (no attempt to start, no leftover to end).
   */
  boolean onlyStepRows() {
    return interrupted.isEmpty() && afterCommit.isEmpty() && changes.onlySteps();
  }

  void commit() {
    if (!changes.isEmpty()) {
      // fenced: once another claim took the run, the write fails and changes nothing
      StateStore.Batch batch = changes.batch().fenced(fence);
      services.store().write(batch);
      if (!batch.updateRuns().isEmpty()) {
        committedRun = batch.updateRuns().get(batch.updateRuns().size() - 1);
      }
      changes.published(services.listener());
      changes.clear();
    }
    if (!interrupted.isEmpty()) {
      // stored (listeners know the run is RUNNING again), and before any attempt starts
      var attempts = new LinkedHashMap<>(interrupted);
      interrupted.clear();
      Interrupted.endLeftovers(services.store(), runId, attempts, log);
    }
    for (Runnable r : afterCommit) {
      r.run();
    }
    afterCommit.clear();
  }
}
