package dev.weir.server.cluster;

import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's worker: adopts the runs of gone nodes, starts what the flows' queues have room
 * for, and looks for runs of its own that nothing here executes. A round comes every heartbeat
 * (after the last one ended), and in between when {@link #wake woken} by another node's signal (a
 * run ended, a node left), at most one per {@link #MIN_GAP} however many signals come. The rounds
 * run on a thread of their own, so that the heartbeat never waits on them.
 *
 * <p>Only the heartbeat's rounds look for lost runs and stray pool slots: those act on what two
 * rounds in a row found, which must be a heartbeat apart (a run being started is between its claim
 * and its coordinator for a moment only).
 */
final class NodeWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeWorker.class);
  private static final int ADOPT_AT_ONCE = 100;

  /** The least time between two rounds a signal asked for. */
  static final Duration MIN_GAP = Duration.ofMillis(100);

  private final ClusterNode node;
  private final StateStore store;
  private final ClusterNode.Host host;
  private final long everyNanos;
  private final Map<String, Integer> failedAdoptions = new HashMap<>();
  private final Set<String> unadoptable = new HashSet<>();
  // runs this node owns that nothing here executed at the last heartbeat round
  private Set<String> suspects = Set.of();
  // runs resumed here because nothing executed them: how often, and the round before which they
  // are left alone (a run that stops again at once, on an internal error, waits twice as long
  // each time, up to MAX_LOST_WAIT rounds)
  private final Map<String, long[]> lostResumes = new HashMap<>();
  private long beats;
  static final int MAX_LOST_WAIT = 64;
  private final Object lock = new Object();
  private boolean woken;
  private boolean closed;
  private volatile Thread thread;

  NodeWorker(ClusterNode node, StateStore store, ClusterNode.Host host, Duration every) {
    this.node = node;
    this.store = store;
    this.host = host;
    this.everyNanos = every.toNanos();
  }

  /** Runs a first round now (orphans are adopted before the server serves), then the thread. */
  void start() {
    round(true);
    thread = Thread.ofPlatform().daemon().name("weir-cluster-work").start(this::loop);
  }

  /** Asks for a round now (soon after the last one), not at the next heartbeat. */
  void wake() {
    synchronized (lock) {
      woken = true;
      lock.notifyAll();
    }
  }

  private void loop() {
    long last = System.nanoTime();
    long next = last + everyNanos;
    while (true) {
      boolean beat;
      try {
        synchronized (lock) {
          while (true) {
            if (closed) {
              return;
            }
            long now = System.nanoTime();
            long early = last + MIN_GAP.toNanos();
            if (now - next >= 0 || (woken && now - early >= 0)) {
              beat = now - next >= 0;
              woken = false;
              break;
            }
            long until = woken && early - next < 0 ? early : next;
            TimeUnit.NANOSECONDS.timedWait(lock, until - now);
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      round(beat);
      last = System.nanoTime();
      if (beat) {
        next = last + everyNanos;
      }
    }
  }

  // runs of gone nodes, then the queues; on the heartbeat's rounds, what was lost here too
  void round(boolean beat) {
    try {
      if (node.current()) {
        adoptOrphans();
      }
      if (node.current()) {
        host.drainQueues();
      }
      if (beat && node.current()) {
        host.releaseStraySlots();
        resumeLost();
      }
    } catch (RuntimeException e) {
      log.warn("cluster node {}: adopting runs failed: {}", node.nodeId(), e.getMessage());
    }
  }

  /**
   * Runs this node owns in its epoch that nothing here executes, found so in two rounds in a row:
   * executed again here, or they would wait for this node to die.
   */
  private void resumeLost() {
    beats++;
    var lost = new HashSet<String>();
    var owned = new HashSet<String>();
    for (RunRecord run : store.runsOwnedBy(node.nodeId(), node.epoch())) {
      owned.add(run.id());
      if (host.executes(run.id())) {
        continue;
      }
      lost.add(run.id());
      long[] before = lostResumes.get(run.id());
      if (before != null && beats < before[1]) {
        continue; // resumed lately and stopped again: later
      }
      if (suspects.contains(run.id()) && host.resumeOwn(run)) {
        long times = before == null ? 1 : before[0] + 1;
        long wait = Math.min(MAX_LOST_WAIT, 1L << Math.min(times, 6));
        lostResumes.put(run.id(), new long[] {times, beats + wait});
        log.warn(
            "cluster node {}: run {} was this node's but nothing executed it; it goes on here{}",
            node.nodeId(),
            run.id(),
            times > 1 ? " (time " + times + "; next check in " + wait + " heartbeats)" : "");
        lost.remove(run.id());
      }
    }
    suspects = lost;
    lostResumes.keySet().retainAll(owned); // ended or taken elsewhere: forgotten
  }

  /** Adopts runs of gone nodes, oldest first; another node adopting one first is no error. */
  private void adoptOrphans() {
    // orphans this node failed to adopt again and again (a revision it cannot parse) are looked
    // past, so that they do not hide the others behind the oldest-first limit
    List<RunRecord> orphans = store.orphanedRuns(ADOPT_AT_ONCE + unadoptable.size());
    for (RunRecord run : orphans) {
      if (!node.current()) {
        break;
      }
      if (unadoptable.contains(run.id())) {
        continue;
      }
      if (host.adopt(run)) {
        failedAdoptions.remove(run.id());
        log.info("cluster node {} adopted run {} from {}", node.nodeId(), run.id(), run.owner());
      } else if (failedAdoptions.merge(run.id(), 1, Integer::sum) >= 3
          && unadoptable.size() < 10_000) {
        unadoptable.add(run.id());
        failedAdoptions.remove(run.id());
        log.warn(
            "cluster node {} could not adopt run {} three times and looks past it; other nodes may",
            node.nodeId(),
            run.id());
      }
    }
  }

  /** Stops; a round in progress is interrupted (not waited for). */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
