package dev.weir.server.backfills;

import dev.weir.store.RunState;
import java.time.Instant;

/**
 * One schedule slot of a backfill and the run made for it.
 *
 * @param no its place in the backfill, from 0, in time order
 * @param claimedAt when the backfill began starting its run; set with no run id only if the server
 *     stopped in between
 * @param runId the run, or null while none was made
 * @param runState that run's state now (null without a run, or when the run is gone from the store)
 * @param error why no run could be made for it, or null
 */
public record Slot(
    int no, Instant logicalDate, Instant claimedAt, String runId, RunState runState, String error) {

  /** Not started yet, and not given up on. */
  public boolean pending() {
    return runId == null && error == null;
  }

  /** Its run is queued or running. */
  public boolean inFlight() {
    return runId != null && runState != null && !runState.isTerminal();
  }

  /** What the API shows: PENDING, ERROR, or the run's state (UNKNOWN when the run is gone). */
  public String status() {
    if (error != null) {
      return "ERROR";
    }
    if (runId == null) {
      return "PENDING";
    }
    return runState == null ? "UNKNOWN" : runState.name();
  }
}
