package dev.weir.engine.gate;

import dev.weir.engine.TaskGate;
import dev.weir.task.TaskLogger;
import java.time.InstantSource;
import java.util.Map;

/**
 * The gates of {@code weir server}: first the circuit breaker of the task's connection, then its
 * pool. In that order a task waiting for an open circuit does not hold a pool slot that tasks of
 * other connections could use.
 */
public final class Gates implements TaskGate {
  private final BreakerGate breakers;
  private final Pools pools;
  private final TaskGate chain;

  public Gates(BreakerGate breakers, Pools pools) {
    this(breakers, pools, TaskGate.NONE);
  }

  /**
   * @param breakers counted by this process ({@link CircuitBreakers}) or by the cluster ({@link
   *     ClusterBreakers})
   * @param shared the pools' slots held across the cluster ({@link ClusterPools}), taken once the
   *     node's own slot is: its waiting attempts queue fairly at home before they ask the store
   */
  public Gates(BreakerGate breakers, Pools pools, TaskGate shared) {
    this.breakers = breakers;
    this.pools = pools;
    this.chain = TaskGate.chain(breakers, pools, shared);
  }

  public static Gates of(
      Map<String, Integer> pools, CircuitBreakers.Settings breaker, InstantSource clock) {
    return new Gates(new CircuitBreakers(breaker, clock), new Pools(pools));
  }

  public BreakerGate breakers() {
    return breakers;
  }

  public Pools pools() {
    return pools;
  }

  @Override
  public boolean guards(Request request) {
    return chain.guards(request);
  }

  @Override
  public Permit acquire(Request request, TaskLogger log) throws InterruptedException {
    return chain.acquire(request, log);
  }

  @Override
  public String toString() {
    return breakers + "; " + pools;
  }
}
