package dev.weir.engine;

import dev.weir.flow.Durations;
import dev.weir.flow.TaskDef.Phase;
import dev.weir.store.RunRecord;
import dev.weir.store.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * How a run stops before its tasks are done: a cancel (every task run not ended is CANCELLED, its
 * attempt stopped) or the flow's timeout (the main tasks still open stop; onFailure and finally run
 * to the end). Only the coordinator's thread uses it, except {@link #askCancel}.
 */
final class RunStops {
  static final String RUN_TIMED_OUT = "run timed out after ";

  private final Duration limit; // the flow's timeout; null: none
  private final TaskTable table;
  private final AttemptOutcomes outcomes;
  private final InstantSource clock;
  private volatile boolean cancelAsked;
  private boolean cancelled;
  private String cancelReason;
  private boolean timedOut;
  private EngineTimer.Scheduled timer;

  RunStops(
      RunRecord run,
      Duration limit,
      TaskTable table,
      AttemptOutcomes outcomes,
      InstantSource clock) {
    this.limit = limit;
    this.table = table;
    this.outcomes = outcomes;
    this.clock = clock;
    this.timedOut = run.error() != null && run.error().startsWith(RUN_TIMED_OUT);
  }

  /**
   * A cancel was asked (from any thread). Marked before its event is queued: an attempt whose
   * failure the coordinator takes after this moment failed because of the cancel.
   */
  void askCancel() {
    cancelAsked = true;
  }

  boolean cancelAsked() {
    return cancelAsked;
  }

  boolean cancelled() {
    return cancelled;
  }

  String cancelReason() {
    return cancelReason;
  }

  /** The flow's timeout fired, in this coordinator or (stored with the run) before a resume. */
  boolean timedOut() {
    return timedOut;
  }

  /**
   * Nothing more starts for {@code s}: the run is cancelled, or timed out and it is a main task.
   */
  boolean stopping(TaskSlot s) {
    return cancelled || (timedOut && s.def.phase() == Phase.MAIN);
  }

  /** Starts the flow's timeout; on resume the limit counts from the run's first start. */
  void startTimer(EngineTimer timers, Instant started, Instant now, Runnable fired) {
    if (limit != null && !timedOut) {
      Duration left = limit.minus(Duration.between(started, now));
      timer = timers.schedule(left, fired);
    }
  }

  void stopTimer() {
    if (timer != null) {
      timer.cancel();
    }
  }

  /** Stops every attempt in flight and cancels every task run not ended. */
  void cancel(String reason) {
    cancelled = true;
    cancelReason = reason;
    Instant now = clock.instant();
    for (TaskSlot s : table.all()) {
      if (s.inFlight) {
        outcomes.stopped(s);
        s.control.cancel();
      }
      s.cancelTimers();
      if (!s.state().isTerminal()) {
        table.cancel(s, now, reason);
      }
    }
  }

  /**
   * The flow's timeout fired: the main tasks still open stop, TIMED_OUT when they ran, else
   * CANCELLED.
   *
   * @return false when it changes nothing: the run timed out already, or is past its main tasks
   *     (the limit is for them; onFailure and finally run to the end)
   */
  boolean timeOut(Phase phase) {
    if (phase != Phase.MAIN || timedOut) {
      return false;
    }
    timedOut = true;
    Instant now = clock.instant();
    String why = "the run timed out after " + Durations.format(limit);
    for (TaskSlot s : table.all()) {
      if (s.def.phase() != Phase.MAIN || s.state().isTerminal()) {
        continue;
      }
      boolean wasRunning = s.is(TaskState.RUNNING) || s.is(TaskState.WAITING);
      if (s.inFlight) {
        s.control.cancel();
      }
      outcomes.stopped(s);
      if (wasRunning) {
        table.timeOut(s, now, why);
      } else {
        table.cancel(s, now, why);
      }
    }
    return true;
  }

  /** The run's error once it timed out. */
  String timedOutMessage() {
    return RUN_TIMED_OUT + Durations.format(limit) + " (flow timeout)";
  }
}
