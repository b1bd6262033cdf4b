package dev.weir.engine;

import dev.weir.flow.Flow;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskState;
import java.time.Instant;

/**
 * The run's phases and how it ends: its main tasks, then onFailure (skipped when the main tasks did
 * not fail), then finally, each started once the one before has no task open; after the last the
 * run ends CANCELLED, FAILED (a main task failed, or the run timed out) or SUCCEEDED.
 */
final class RunPhases {
  private final EngineServices services;
  private final Flow flow;
  private final TaskTable table;
  private final RunStops stops;
  private Phase current = Phase.MAIN;

  RunPhases(EngineServices services, Flow flow, TaskTable table, RunStops stops) {
    this.services = services;
    this.flow = flow;
    this.table = table;
    this.stops = stops;
  }

  Phase current() {
    return current;
  }

  /** Whether tasks of the current phase have not ended yet. */
  boolean open() {
    return table.open(current) > 0;
  }

  /** Starts phase {@code p}: its pending tasks are considered. */
  void activate(Phase p) {
    current = p;
    for (TaskSlot s : table.all()) {
      if (s.def.phase() == p && s.is(TaskState.PENDING)) {
        table.consider(s);
      }
    }
  }

  /**
   * Starts the phase after the current one, which has no task open.
   *
   * @return false after the last phase: the run ends
   */
  boolean moveOn() {
    if (current == Phase.MAIN) {
      if (!failed()) {
        Instant now = services.clock().instant();
        for (TaskSlot s : table.all()) {
          if (s.def.phase() == Phase.ON_FAILURE && !s.state().isTerminal()) {
            table.skip(s, now, "the run did not fail");
          }
        }
      }
      activate(Phase.ON_FAILURE);
    } else if (current == Phase.ON_FAILURE) {
      activate(Phase.FINALLY);
    } else {
      return false;
    }
    return true;
  }

  /** The run as it ends now; a success first keeps the state its tasks proposed. */
  RunRecord ended(RunRecord run) {
    RunState state;
    String error = null;
    if (stops.cancelled()) {
      state = RunState.CANCELLED;
      error = stops.cancelReason();
    } else if (failed()) {
      state = RunState.FAILED;
      error = stops.timedOut() ? stops.timedOutMessage() : failureMessage(firstFailed());
    } else {
      state = RunState.SUCCEEDED;
      commitTaskState();
    }
    return run.ended(state, services.clock().instant(), error);
  }

  private boolean failed() {
    return stops.timedOut() || firstFailed() != null;
  }

  private TaskSlot firstFailed() {
    for (TaskSlot s : table.all()) {
      if (s.isTop()
          && s.def.phase() == Phase.MAIN
          && (s.is(TaskState.FAILED) || s.is(TaskState.TIMED_OUT))) {
        return s;
      }
    }
    return null;
  }

  /**
   * Keeps the state (watermarks) that succeeded tasks proposed, before the run is marked done: a
   * crash in between resumes the run, which finishes and writes the same values again.
   */
  private void commitTaskState() {
    for (TaskSlot s : table.all()) {
      if (s.is(TaskState.SUCCEEDED) && s.current.stateUpdates() != null) {
        DatasetCodec.decodeOutputs(s.current.stateUpdates())
            .forEach((k, v) ->
                services
                    .store()
                    .putState(flow.namespace(), flow.id(), s.id(), k, String.valueOf(v)));
      }
    }
  }

  private static String failureMessage(TaskSlot s) {
    if (s == null) {
      return "a task failed";
    }
    String how = s.is(TaskState.TIMED_OUT) ? "timed out" : "failed";
    return "task '" + s.id() + "' " + how + ": " + s.current.error();
  }
}
