package dev.weir.engine.gate;

import dev.weir.engine.TaskGate;
import dev.weir.store.Claimant;
import dev.weir.store.PoolClaim;
import dev.weir.store.StateStore;
import dev.weir.task.TaskLogger;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named pools held across the nodes of a cluster: an attempt that got its node's slot ({@link
 * Pools}, fair within the node) also takes one of the pool's slots in the store, so that a pool of
 * 2 runs two tasks at once whatever the number of nodes. An attempt finding every slot taken asks
 * again after a short pause (shorter when an attempt of this node just gave one back); slots of a
 * node that died are free once its lease ran out.
 */
public final class ClusterPools implements TaskGate {
  private static final Logger log = LoggerFactory.getLogger(ClusterPools.class);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  private final StateStore store;
  private final Map<String, Integer> sizes;
  private final Supplier<Claimant> node;
  private final Object released = new Object();
  // the slots this node's attempts hold now, as pool/slot/run/task/attempt
  private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile java.util.Set<StateStore.HeldSlot> suspects = java.util.Set.of();

  /**
   * @param sizes the pools of this node's config; each gets its slots in the store now
   * @param node this node in its current epoch
   */
  public ClusterPools(StateStore store, Map<String, Integer> sizes, Supplier<Claimant> node) {
    this.store = store;
    this.sizes = new TreeMap<>(sizes);
    this.node = node;
    this.sizes.forEach(store::ensurePool);
  }

  @Override
  public boolean guards(Request request) {
    return request.pool() != null && sizes.containsKey(request.pool());
  }

  @Override
  public Permit acquire(Request request, TaskLogger taskLog) throws InterruptedException {
    int size = sizes.get(request.pool());
    var claim =
        new PoolClaim(
            request.pool(), size, node.get(), request.runId(), request.taskId(), request.attempt());
    long pause = FIRST_PAUSE.toMillis();
    boolean told = false;
    while (true) {
      OptionalInt slot = take(claim);
      if (slot.isPresent()) {
        return release(claim, slot.getAsInt());
      }
      if (!told) {
        told = true;
        taskLog.info(
            "waiting for pool '"
                + request.pool()
                + "' across the cluster ("
                + inUse(request.pool())
                + "/"
                + size
                + " in use on all nodes)");
      }
      synchronized (released) {
        released.wait(pause); // an InterruptedException here is the cancel: nothing is held
      }
      pause = Math.min(LONGEST_PAUSE.toMillis(), pause * 2);
    }
  }

  // the store out of reach counts as no slot free: the attempt waits, as for a full pool
  private OptionalInt take(PoolClaim claim) {
    try {
      return store.acquirePoolSlot(claim);
    } catch (RuntimeException e) {
      log.warn("pool '{}': cannot ask the store for a slot: {}", claim.pool(), e.getMessage());
      return OptionalInt.empty();
    }
  }

  private String inUse(String pool) {
    try {
      return Integer.toString(store.poolSlotsInUse(pool));
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /**
   * Gives back the slots this node holds in the store that none of its attempts holds: a take whose
   * answer was lost, a release that failed. Found so twice in a row (a take in progress is between
   * its commit and its permit for a moment only).
   *
   * @return how many were given back
   */
  public int releaseStray() {
    Claimant self;
    try {
      self = node.get();
    } catch (RuntimeException e) {
      return 0; // the lease is not current: the slots are freed with the epoch
    }
    int released = 0;
    var stray = new java.util.HashSet<StateStore.HeldSlot>();
    for (StateStore.HeldSlot h : store.poolSlotsHeldBy(self.node(), self.epoch())) {
      var claim = new PoolClaim(h.pool(), h.slot() + 1, self, h.runId(), h.taskId(), h.attempt());
      if (held.contains(key(claim, h.slot()))) {
        continue;
      }
      if (suspects.contains(h)) {
        store.releasePoolSlot(claim, h.slot());
        released++;
        log.warn(
            "pool '{}': slot {} was held for run {} task {} by nothing here; given back",
            h.pool(),
            h.slot(),
            h.runId(),
            h.taskId());
      } else {
        stray.add(h);
      }
    }
    suspects = stray;
    if (released > 0) {
      synchronized (this.released) {
        this.released.notifyAll();
      }
    }
    return released;
  }

  private static String key(PoolClaim c, int slot) {
    return c.pool() + "/" + slot + "/" + c.runId() + "/" + c.taskId() + "/" + c.attempt();
  }

  private Permit release(PoolClaim claim, int slot) {
    var done = new AtomicBoolean();
    String key = key(claim, slot);
    held.add(key);
    return outcome -> {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      held.remove(key);
      try {
        store.releasePoolSlot(claim, slot);
      } catch (RuntimeException e) {
        // held until this node's epoch ends (a restart, or a lost lease): never two at once
        log.warn(
            "pool '{}': slot {} of run {} task {} not given back: {}",
            claim.pool(),
            slot,
            claim.runId(),
            claim.taskId(),
            e.getMessage());
      }
      synchronized (released) {
        released.notifyAll();
      }
    };
  }

  @Override
  public String toString() {
    return "pools shared by the cluster " + sizes;
  }
}
