package dev.weir.engine.gate;

import dev.weir.engine.TaskGate;
import dev.weir.engine.gate.CircuitBreakers.Settings;
import dev.weir.engine.gate.CircuitBreakers.State;
import dev.weir.engine.gate.CircuitBreakers.Status;
import java.util.Map;

/**
 * A circuit breaker per connection name, as metrics and the API read it: counted in this process
 * ({@link CircuitBreakers}) or by every node of a cluster ({@link ClusterBreakers}).
 */
public interface BreakerGate extends TaskGate {
  /** The state of {@code connection}'s circuit; CLOSED for one no task has failed on. */
  State state(String connection);

  /** Every connection with a circuit, by name: its state, count and when an open one half-opens. */
  Map<String, Status> statuses();

  Settings settings();
}
