package dev.weir.engine.gate;

import dev.weir.task.TaskLogger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A circuit breaker per connection name, across all flows of this process. After {@code failures}
 * consecutive connection failures ({@link dev.weir.task.TaskFailedException#connectionFailure()})
 * of tasks using one connection, the circuit opens: tasks using it wait instead of running, for
 * {@code openFor}. Then it is half-open: one trial task runs; its success closes the circuit, its
 * connection failure opens it again. A success of any task using the connection resets the count.
 */
public final class CircuitBreakers implements BreakerGate {
  /** How often a waiting task looks at the clock again (the clock may be a test's). */
  static final Duration TICK = Duration.ofSeconds(1);

  private final Settings settings;
  private final InstantSource clock;
  private final Duration tick;
  private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

  /**
   * @param failures consecutive connection failures that open the circuit (≥ 1)
   * @param openFor how long it stays open before a trial task may go (> 0)
   */
  public record Settings(int failures, Duration openFor) {
    public static final Settings DEFAULTS = new Settings(5, Duration.ofSeconds(60));

    public Settings {
      if (failures < 1) {
        throw new IllegalArgumentException(
            "circuitBreaker.failures must be a whole number ≥ 1, got " + failures);
      }
      if (openFor == null || openFor.isNegative() || openFor.isZero()) {
        throw new IllegalArgumentException(
            "circuitBreaker.openFor must be a positive duration such as 60s, got " + openFor);
      }
    }

    @Override
    public String toString() {
      return "opens after "
          + failures
          + " consecutive connection failures, for "
          + Breaker.shown(openFor);
    }
  }

  /** The state of one connection's circuit. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /**
   * @param consecutiveFailures connection failures since the last success
   * @param openUntil when an open circuit half-opens; null unless OPEN
   */
  public record Status(State state, int consecutiveFailures, Instant openUntil) {}

  public CircuitBreakers(Settings settings, InstantSource clock) {
    this(settings, clock, TICK);
  }

  /**
   * @param tick how often waiting tasks look at {@code clock}; tests shorten it
   */
  public CircuitBreakers(Settings settings, InstantSource clock, Duration tick) {
    this.settings = settings;
    this.clock = clock;
    this.tick = tick;
  }

  @Override
  public boolean guards(Request request) {
    return request.connection() != null;
  }

  @Override
  public Permit acquire(Request request, TaskLogger log) throws InterruptedException {
    return breakers
        .computeIfAbsent(request.connection(), c -> new Breaker(c, settings, clock, tick))
        .admit(log);
  }

  /** The state of {@code connection}'s circuit; CLOSED for one no task has used. */
  @Override
  public State state(String connection) {
    Breaker b = breakers.get(connection);
    return b == null ? State.CLOSED : b.status().state();
  }

  /** Every connection used so far → its circuit, by name (for metrics and the API). */
  @Override
  public Map<String, Status> statuses() {
    var m = new TreeMap<String, Status>();
    breakers.forEach((k, b) -> m.put(k, b.status()));
    return m;
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "circuit breaker per connection (" + settings + ")";
  }
}
