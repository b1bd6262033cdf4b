package dev.weir.store;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Task attempts routed to workers ({@code weir_attempt_queue}): the node coordinating a run queues
 * an attempt, a worker claims it ({@code FOR UPDATE SKIP LOCKED}, raising its fencing token) and
 * stores its result with that token; the coordinator reads the result and deletes the row. A late
 * worker (its claim was given to another after its node's lease expired, or the run was taken over)
 * stores nothing.
 */
public interface AttemptQueue {
  /**
   * Queues an attempt for the workers; its id. Queueing an attempt that is queued already (the same
   * run, task and attempt: a write tried again after its answer was lost) gives the row there.
   */
  long enqueue(AttemptTicket ticket);

  /**
   * The state of these attempts; an id missing from the answer is gone (its run was taken over or
   * ended, and the attempt with it).
   */
  Map<Long, QueuedAttempt> states(Collection<Long> ids);

  /**
   * Deletes an attempt: its result was read, or it is cancelled (its worker stops at its next
   * check).
   */
  void drop(long id);

  /** Deletes every attempt of a run: this node takes it over, so what others queued is theirs. */
  int dropRun(String runId);

  /**
   * Deletes the attempts of runs that ended (a run cancelled on another node than its coordinator,
   * a coordinator that died): nobody reads them any more, and a worker should not run them.
   *
   * @param runId one run, or null for every run
   */
  int dropEnded(String runId);

  /**
   * Queues again the attempts {@code worker} claimed in its epoch and does not hold any more (a
   * claim whose answer was lost, a result it could not store): they would wait for ever otherwise.
   */
  int requeueUnheld(Claimant worker, Set<Long> held);

  /**
   * Claims the oldest waiting attempt a worker serving {@code pools} may take: of one of those
   * pools, or of any pool or none when {@code pools} is empty.
   */
  Optional<ClaimedAttempt> claim(Claimant worker, Set<String> pools);

  /** Stores a claimed attempt's result; false (nothing stored) when the claim is no longer held. */
  boolean finish(long id, long fence, String outcome);

  /** Of these claims (id to fence), the ids whose claim is no longer held by {@code worker}. */
  Set<Long> lost(Claimant worker, Map<Long, Long> claims);

  /**
   * Queues again the attempts claimed by nodes that are gone (lease expired, started again): their
   * tokens go up, so a worker that was only stopped stores nothing when it wakes.
   */
  int requeueOrphans();

  /** Attempts in the queue, waiting, claimed or done and not yet read. */
  int size();
}
