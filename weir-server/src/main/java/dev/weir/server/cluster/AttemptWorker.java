package dev.weir.server.cluster;

import dev.weir.engine.Engine;
import dev.weir.engine.RoutedWork;
import dev.weir.store.AttemptQueue;
import dev.weir.store.Claimant;
import dev.weir.store.ClaimedAttempt;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs task attempts other nodes routed to workers: claims them from the store's attempt queue (of
 * the pools this node serves, up to its slots), runs each on the engine, and stores its result with
 * the claim's fencing token. A claim lost meanwhile (this node's lease lapsed and another node
 * queued the attempt again, or the run was taken over or cancelled) stops the attempt at the next
 * check, and its result is discarded.
 */
public final class AttemptWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AttemptWorker.class);
  static final long FASTEST_MS = 20;
  static final long SLOWEST_MS = 500;
  // how often held claims are checked, and attempts of gone workers queued again
  static final long CHECK_MS = 500;

  private final AttemptQueue queue;
  private final Engine engine;
  private final Supplier<Claimant> claimant;
  private final Set<String> pools;
  private final int slots;
  private final Map<Long, Held> running = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private volatile boolean closed;
  private Thread thread;

  private record Held(long fence, Claimant as, RoutedWork work, String what) {}

  /**
   * @param claimant this node in its current epoch; throws while its lease is not current
   * @param pools the pools whose attempts it takes; empty for any
   * @param slots how many attempts it runs at once
   */
  public AttemptWorker(
      AttemptQueue queue,
      Engine engine,
      Supplier<Claimant> claimant,
      Set<String> pools,
      int slots) {
    this.queue = queue;
    this.engine = engine;
    this.claimant = claimant;
    this.pools = Set.copyOf(pools);
    this.slots = slots;
  }

  public synchronized void start() {
    thread = Thread.ofPlatform().daemon().name("weir-attempt-worker").start(this::loop);
    log.info(
        "task worker: up to {} attempts at once, of {}",
        slots,
        pools.isEmpty() ? "any pool" : "pools " + String.join(", ", pools));
  }

  /** An attempt was queued somewhere (another node's signal): claim now, not at the next poll. */
  public void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Attempts running here now. */
  public int running() {
    return running.size();
  }

  private void loop() {
    long pause = FASTEST_MS;
    long lastCheck = 0;
    while (!closed) {
      boolean claimed = false;
      try {
        if (System.nanoTime() - lastCheck > CHECK_MS * 1_000_000) {
          lastCheck = System.nanoTime();
          checkClaims();
        }
        claimed = running.size() < slots && claimOne();
      } catch (RuntimeException e) {
        log.warn("task worker: {}", e.getMessage());
      }
      if (claimed) {
        pause = FASTEST_MS;
        continue;
      }
      pause = Math.min(SLOWEST_MS, pause * 2);
      synchronized (wake) {
        try {
          wake.wait(pause);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private boolean claimOne() {
    Claimant me;
    try {
      me = claimant.get();
    } catch (RuntimeException notCurrent) {
      return false; // the lease is not current: claim nothing until it is
    }
    Optional<ClaimedAttempt> got = queue.claim(me, pools);
    if (got.isEmpty()) {
      return false;
    }
    ClaimedAttempt c = got.get();
    String what = c.ticket().runId() + "/" + c.ticket().taskId() + " #" + c.ticket().attempt();
    RoutedWork work = engine.runRouted(c, me.label());
    running.put(c.id(), new Held(c.fence(), me, work, what));
    if (!stillCurrent(me)) {
      // the watchdog gave this epoch's work up while the claim was on its way: not this one
      Held h = running.remove(c.id());
      if (h != null) {
        log.warn(
            "task worker: {} stops: its claim came back after this node gave its work up (another"
                + " worker takes it)",
            what);
        h.work().cancel();
      }
      return false;
    }
    work.outcome().thenAccept(outcome -> finished(c, outcome));
    return true;
  }

  private boolean stillCurrent(Claimant me) {
    try {
      return claimant.get().equals(me);
    } catch (RuntimeException notCurrent) {
      return false;
    }
  }

  private void finished(ClaimedAttempt c, String outcome) {
    Held h = running.get(c.id());
    if (h == null) {
      return; // given up: the claim was lost, or this node gave its work up
    }
    for (int tries = 1; ; tries++) {
      try {
        if (!queue.finish(c.id(), c.fence(), outcome)) {
          log.warn(
              "task worker: the result of {} is discarded: its claim was lost (the run was taken"
                  + " over or cancelled, or the attempt queued again)",
              h.what());
        }
        break;
      } catch (RuntimeException e) {
        if (tries >= 3 || closed) {
          // left CLAIMED by this node and held by nothing: queued again at the next check
          log.warn("task worker: storing the result of {} failed: {}", h.what(), e.getMessage());
          break;
        }
        try {
          Thread.sleep(200L * tries);
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    running.remove(c.id());
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  // claims this node lost stop their attempts; attempts of gone workers, of ended runs and claims
  // of this node that nothing here holds are queued again or dropped
  private void checkClaims() {
    queue.requeueOrphans();
    queue.dropEnded(null);
    try {
      // on this thread, between claims: every claim made here is in `running` by now
      queue.requeueUnheld(claimant.get(), Set.copyOf(running.keySet()));
    } catch (RuntimeException notCurrent) {
      // not current: its claims go back when its lease lapses
    }
    var byClaimant = new HashMap<Claimant, Map<Long, Long>>();
    running.forEach(
        (id, h) -> byClaimant.computeIfAbsent(h.as(), k -> new HashMap<>()).put(id, h.fence()));
    byClaimant.forEach((who, claims) -> {
      for (long id : queue.lost(who, claims)) {
        Held h = running.remove(id);
        if (h != null) {
          log.warn("task worker: {} stops: its claim was lost", h.what());
          h.work().cancel();
        }
      }
    });
  }

  /** Stops every attempt here without storing their results: the node lost its lease. */
  public void giveUp(String reason) {
    for (var id : Set.copyOf(running.keySet())) {
      Held h = running.remove(id);
      if (h != null) {
        log.warn("task worker: {} stops: {}", h.what(), reason);
        h.work().cancel();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    giveUp("the worker stops");
  }
}
