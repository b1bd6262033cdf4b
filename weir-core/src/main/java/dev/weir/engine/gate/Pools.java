package dev.weir.engine.gate;

import dev.weir.engine.TaskGate;
import dev.weir.task.TaskFailedException;
import dev.weir.task.TaskLogger;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Named pools ({@code pools:} of the server config): at most {@code size} tasks naming a pool
 * ({@code pool: name}) run at once in this process, across all flows. Waiting tasks get a slot in
 * the order they asked (fair semaphores). A task naming a pool that is not defined fails.
 */
public final class Pools implements TaskGate {
  private final Map<String, Pool> pools = new TreeMap<>();

  private record Pool(String name, int size, Semaphore slots) {
    int inUse() {
      return size - slots.availablePermits();
    }
  }

  /**
   * @param sizes pool name → how many tasks may be in it at once (≥ 1)
   */
  public Pools(Map<String, Integer> sizes) {
    sizes.forEach((name, size) -> {
      if (size == null || size < 1) {
        throw new IllegalArgumentException(
            "pool '" + name + "' must have a size ≥ 1, got " + size + "; e.g. `" + name + ": 4`");
      }
      pools.put(name, new Pool(name, size, new Semaphore(size, true)));
    });
  }

  @Override
  public boolean guards(Request request) {
    return request.pool() != null;
  }

  @Override
  public Permit acquire(Request request, TaskLogger log) throws InterruptedException {
    Pool pool = pools.get(request.pool());
    if (pool == null) {
      throw TaskFailedException.permanent(
          "pool '"
              + request.pool()
              + "' is not defined in the server config ("
              + (pools.isEmpty() ? "no pools are defined" : "defined pools: " + describe())
              + "); add it to the server config, e.g. `pools: {"
              + request.pool()
              + ": 4}`, or remove `pool:` from the task");
    }
    // a timed tryAcquire, unlike the plain one, does not jump the queue of a fair semaphore
    if (!pool.slots().tryAcquire(0, TimeUnit.SECONDS)) {
      int queued = pool.slots().getQueueLength();
      log.info(
          "waiting for pool '"
              + pool.name()
              + "' ("
              + pool.inUse()
              + "/"
              + pool.size()
              + " in use"
              + (queued > 0 ? ", " + queued + " waiting before this task" : "")
              + ")");
      pool.slots().acquire();
    }
    var released = new AtomicBoolean();
    return outcome -> {
      if (released.compareAndSet(false, true)) {
        pool.slots().release();
      }
    };
  }

  /** Pool name → size, as configured. */
  public Map<String, Integer> sizes() {
    var m = new TreeMap<String, Integer>();
    pools.forEach((k, p) -> m.put(k, p.size()));
    return m;
  }

  /** How many tasks hold a slot of {@code pool} now. */
  public int inUse(String pool) {
    Pool p = pools.get(pool);
    if (p == null) {
      throw new IllegalArgumentException("no pool '" + pool + "' (defined: " + describe() + ")");
    }
    return p.inUse();
  }

  /** How many tasks wait for a slot of {@code pool} now (an estimate, for metrics). */
  public int waiting(String pool) {
    Pool p = pools.get(pool);
    return p == null ? 0 : p.slots().getQueueLength();
  }

  private String describe() {
    var sb = new StringBuilder();
    pools
        .values()
        .forEach(p ->
            sb.append(sb.isEmpty() ? "" : ", ")
                .append(p.name())
                .append(" (")
                .append(p.size())
                .append(")"));
    return sb.isEmpty() ? "none" : sb.toString();
  }

  @Override
  public String toString() {
    return pools.isEmpty() ? "no pools" : "pools " + describe();
  }
}
