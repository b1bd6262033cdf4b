package dev.weir.store;

/**
 * What a coordinator sees of an attempt it routed.
 *
 * @param claimedBy {@code node#epoch} of the worker holding it, or null while it waits
 * @param outcome the worker's result (JSON the engine reads) once DONE, else null
 */
public record QueuedAttempt(long id, State state, String claimedBy, String outcome) {
  /** Where a routed attempt is. */
  public enum State {
    /** Waiting for a worker. */
    QUEUED,
    /** A worker executes it. */
    CLAIMED,
    /** The worker stored its result. */
    DONE
  }
}
