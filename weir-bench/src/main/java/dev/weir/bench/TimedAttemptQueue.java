package dev.weir.bench;

import dev.weir.bench.AttemptTimes.Call;
import dev.weir.bench.AttemptTimes.Step;
import dev.weir.store.AttemptQueue;
import dev.weir.store.AttemptTicket;
import dev.weir.store.Claimant;
import dev.weir.store.ClaimedAttempt;
import dev.weir.store.QueuedAttempt;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link AttemptQueue} that notes each attempt's steps and each statement in {@link
 * AttemptTimes}.
 */
final class TimedAttemptQueue implements AttemptQueue {
  private final AttemptQueue queue;
  private final AttemptTimes times;
  // the last successful claim of this node's worker thread: {start, end}, or null
  private long[] lastHit;

  TimedAttemptQueue(AttemptQueue queue, AttemptTimes times) {
    this.queue = queue;
    this.times = times;
  }

  @Override
  public long enqueue(AttemptTicket ticket) {
    long id = queue.enqueue(ticket);
    times.enqueued(id, ticket, System.nanoTime());
    times.called(Call.ENQUEUE);
    return id;
  }

  @Override
  public Map<Long, QueuedAttempt> states(Collection<Long> ids) {
    Map<Long, QueuedAttempt> states = queue.states(ids);
    long now = System.nanoTime();
    times.called(Call.STATES);
    states.values().stream()
        .filter(q -> q.state() == QueuedAttempt.State.DONE)
        .forEach(q -> times.reached(q.id(), Step.SEEN, now));
    return states;
  }

  @Override
  public void drop(long id) {
    queue.drop(id);
    times.reached(id, Step.DROPPED, System.nanoTime());
    times.called(Call.DROP);
  }

  @Override
  public int dropRun(String runId) {
    return queue.dropRun(runId);
  }

  @Override
  public int dropEnded(String runId) {
    return queue.dropEnded(runId);
  }

  @Override
  public int requeueUnheld(dev.weir.store.Claimant worker, java.util.Set<Long> held) {
    return queue.requeueUnheld(worker, held);
  }

  @Override
  public Optional<ClaimedAttempt> claim(Claimant worker, Set<String> pools) {
    long start = System.nanoTime();
    // one node's worker claims on one thread: this is the same thread as the last claim's
    if (lastHit != null) {
      times.claimLoop(lastHit[0], lastHit[1], start);
      lastHit = null;
    }
    Optional<ClaimedAttempt> got = queue.claim(worker, pools);
    long now = System.nanoTime();
    got.ifPresent(c -> times.reached(c.id(), Step.CLAIMED, now));
    times.called(got.isPresent() ? Call.CLAIM_HIT : Call.CLAIM_EMPTY);
    lastHit = got.isPresent() ? new long[] {start, now} : null;
    return got;
  }

  @Override
  public boolean finish(long id, long fence, String outcome) {
    boolean stored = queue.finish(id, fence, outcome);
    if (stored) {
      times.reached(id, Step.FINISHED, System.nanoTime());
    }
    times.called(Call.FINISH);
    return stored;
  }

  @Override
  public Set<Long> lost(Claimant worker, Map<Long, Long> claims) {
    times.called(Call.LOST);
    return queue.lost(worker, claims);
  }

  @Override
  public int requeueOrphans() {
    times.called(Call.REQUEUE_ORPHANS);
    return queue.requeueOrphans();
  }

  @Override
  public int size() {
    return queue.size();
  }
}
