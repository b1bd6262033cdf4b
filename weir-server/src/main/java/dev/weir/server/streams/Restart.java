package dev.weir.server.streams;

import dev.weir.flow.Backoff;
import dev.weir.flow.RetryPolicy;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * What the keeper does for one stream flow, decided from its latest runs alone (newest first), so
 * that any node that leads decides alike after another has died.
 *
 * @param run the run it is about: the one going (to cancel), or the latest that ended (the start
 *     follows it); null when the flow has none
 */
record Restart(Action action, Instant at, int failures, String reason, RunRecord run) {
  enum Action {
    /** A run is going; nothing to do. */
    NONE,
    /** Start a run at {@link #at}. */
    START,
    /** Cancel the running one: the flow was disabled or a new revision was deployed. */
    CANCEL,
    /** The last run of this revision ended SUCCEEDED (it was told to stop): leave it stopped. */
    STOPPED
  }

  /** Backoff after failures: 5 s, doubling, at most 5 min. */
  static final RetryPolicy DEFAULT_BACKOFF =
      new RetryPolicy(
          Integer.MAX_VALUE,
          Backoff.EXPONENTIAL,
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          false);

  /**
   * @param recent the flow's latest runs, newest first
   * @param revision the deployed revision's hash
   */
  static Restart decide(
      List<RunRecord> recent, String revision, boolean enabled, RetryPolicy backoff) {
    // a run going counts whatever its place: runs made in one clock tick have no order
    RunRecord going = recent.stream().filter(r -> !r.state().isTerminal()).findFirst().orElse(null);
    if (going != null) {
      if (!enabled) {
        return new Restart(Action.CANCEL, null, 0, "the flow was disabled", going);
      }
      if (!revision.equals(going.revision())) {
        return new Restart(
            Action.CANCEL, null, 0, "a new revision of the flow was deployed", going);
      }
      return new Restart(Action.NONE, null, 0, null, going);
    }
    RunRecord latest = recent.isEmpty() ? null : recent.get(0);
    if (!enabled) {
      return new Restart(Action.NONE, null, 0, null, null);
    }
    if (latest == null) {
      return new Restart(Action.START, Instant.MIN, 0, "the stream has not run yet", null);
    }
    if (!revision.equals(latest.revision())) {
      return new Restart(
          Action.START, Instant.MIN, 0, "a new revision of the flow was deployed", latest);
    }
    if (latest.state() == RunState.SUCCEEDED) {
      return new Restart(
          Action.STOPPED, null, 0, "run " + latest.id() + " ended SUCCEEDED", latest);
    }
    int failures = 0;
    for (RunRecord r : recent) {
      if (r.state() == RunState.SUCCEEDED || !revision.equals(r.revision())) {
        break;
      }
      failures++;
    }
    Duration wait = backoff.delayAfter(failures, new Random(0));
    Instant ended = latest.endedAt() == null ? Instant.MIN : latest.endedAt();
    return new Restart(
        Action.START,
        ended.equals(Instant.MIN) ? ended : ended.plus(wait),
        failures,
        "run " + latest.id() + " ended " + latest.state() + " (" + failures + " in a row)",
        latest);
  }
}
