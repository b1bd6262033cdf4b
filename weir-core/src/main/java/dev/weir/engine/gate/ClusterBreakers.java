package dev.weir.engine.gate;

import dev.weir.engine.gate.CircuitBreakers.Settings;
import dev.weir.engine.gate.CircuitBreakers.State;
import dev.weir.engine.gate.CircuitBreakers.Status;
import dev.weir.store.BreakerRecord;
import dev.weir.store.Claimant;
import dev.weir.store.StateStore;
import dev.weir.task.TaskLogger;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breakers of {@link CircuitBreakers}, counted by every node of a cluster: the state of
 * each connection's circuit lives in the store, so failures on three nodes add up, an open circuit
 * holds the tasks of every node, and one trial task in the whole cluster finds out whether the
 * connection is back. Times are the database's, so nodes with skewed clocks agree.
 *
 * <p>A waiting task reads the circuit again at each tick (sooner when a task of this node using the
 * connection ended), and while a trial of another node is out backs off from 50 ms to the tick. A
 * trial held by a node that died is free again once its lease expired.
 *
 * <p>When the store does not answer, the task goes: a breaker saves a failing connection some load,
 * and must not hold every task of the cluster because the store is away (the engine's own writes
 * wait for it anyway). A trial whose end could not be written is freed at the next ask of a task of
 * this node using the connection.
 */
public final class ClusterBreakers implements BreakerGate {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterBreakers.class);
  private static final long FIRST_PAUSE_MS = 50;
  private static final Status CLOSED = new Status(State.CLOSED, 0, null);

  private final StateStore store;
  private final Settings settings;
  private final Supplier<Claimant> node;
  private final long tickMs;
  private final Object changed = new Object();
  // trials of this node's attempts whose end the store did not hear: token → connection
  private final Map<String, String> unreleased = new ConcurrentHashMap<>();
  private static final int RELEASE_TRIES = 5;

  /**
   * @param node this node in its current epoch (the holder of the trials its tasks take)
   */
  public ClusterBreakers(StateStore store, Settings settings, Supplier<Claimant> node) {
    this(store, settings, node, CircuitBreakers.TICK);
  }

  /**
   * @param tick how often waiting tasks read the circuit again; tests shorten it
   */
  public ClusterBreakers(
      StateStore store, Settings settings, Supplier<Claimant> node, Duration tick) {
    this.store = store;
    this.settings = settings;
    this.node = node;
    this.tickMs = Math.max(1, tick.toMillis());
  }

  @Override
  public boolean guards(Request request) {
    return request.connection() != null;
  }

  @Override
  public Permit acquire(Request request, TaskLogger log) throws InterruptedException {
    String connection = request.connection();
    var told = new Told(connection, log);
    String token = null; // the trial this attempt asked for, once it asked
    long pause = FIRST_PAUSE_MS;
    boolean lostRace = false;
    // an InterruptedException is the cancel: a trial taken was returned with its permit, so the
    // attempt holds nothing here
    while (true) {
      BreakerRecord b;
      try {
        freeUnreleased(connection);
        b = store.circuitBreakers().find(connection).orElse(null);
      } catch (RuntimeException e) {
        cancelledIn(connection, null);
        return unreachable(connection, token, told, e);
      }
      if (b == null || b.closed()) {
        return permit(connection, token, false);
      }
      if (b.open()) {
        told.open(b);
        pause(Math.min(b.millisLeft() + 1, tickMs));
        continue;
      }
      Claimant self = b.trialHolder() == null ? self() : null;
      if (self != null) {
        token = token == null ? UUID.randomUUID().toString() : token;
        try {
          if (store.circuitBreakers().takeTrial(connection, self, token)) {
            told.trial();
            return permit(connection, token, true);
          }
        } catch (RuntimeException e) {
          // perhaps taken, its answer lost: the permit names the token, its end frees it
          cancelledIn(connection, token);
          return unreachable(connection, token, told, e);
        }
        if (!lostRace) {
          lostRace = true; // another task took it a moment ago: read who, at once
          continue;
        }
      }
      lostRace = false;
      told.trialOut(b.trialHolder());
      pause(pause);
      pause = Math.min(tickMs, pause * 2);
    }
  }

  /**
   * A cancel that came while the store was asked: an interrupted virtual thread's socket is closed,
   * so the store's failure is the cancel's doing, and the attempt must end, not go.
   */
  private void cancelledIn(String connection, String token) throws InterruptedException {
    if (!Thread.interrupted()) {
      return;
    }
    if (token != null) {
      unreleased.put(token, connection); // a take whose answer was lost holds it: free it now
      // a few tries: the socket the cancel closed may leave the store a moment to notice
      for (int i = 0; i < RELEASE_TRIES && unreleased.containsKey(token); i++) {
        if (i > 0) {
          sleepUninterrupted(50L * i);
        }
        freeUnreleased(connection);
      }
      if (unreleased.containsKey(token)) {
        LOG.warn(
            "connection '{}': the trial a cancelled task may hold could not be freed yet; the"
                + " next task asking frees it",
            connection);
      }
    }
    throw new InterruptedException(
        "cancelled while asking for the circuit of '" + connection + "'");
  }

  private static void sleepUninterrupted(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      // not set again: it would close the store's socket under the next try; the caller throws
      // InterruptedException for the cancel anyway
    }
  }

  private Claimant self() {
    try {
      return node.get();
    } catch (RuntimeException e) {
      return null; // the node's lease is not current: it takes no trial until it is
    }
  }

  private void pause(long ms) throws InterruptedException {
    synchronized (changed) {
      changed.wait(Math.max(1, ms));
    }
  }

  private Permit unreachable(String connection, String token, Told told, RuntimeException e) {
    LOG.warn(
        "connection '{}': cannot read its circuit from the store, the task goes: {}",
        connection,
        e.getMessage());
    told.unreachable();
    return permit(connection, token, false);
  }

  private void freeUnreleased(String connection) {
    unreleased.forEach((token, c) -> {
      if (c.equals(connection)) {
        try {
          store.circuitBreakers().releaseTrial(connection, token);
          unreleased.remove(token);
        } catch (RuntimeException e) {
          // still away: the next ask tries again
        }
      }
    });
  }

  private Permit permit(String connection, String token, boolean trial) {
    var done = new AtomicBoolean();
    return outcome -> {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      // a cancelled attempt's thread may still be interrupted: its interrupt would close the
      // store's socket under the write that frees the trial
      boolean interrupted = Thread.interrupted();
      try {
        ended(connection, token, trial, outcome);
      } catch (RuntimeException e) {
        LOG.warn(
            "connection '{}': the store did not hear how a task using it ended ({}): {}",
            connection,
            outcome,
            e.getMessage());
        if (token != null) {
          unreleased.put(token, connection);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        synchronized (changed) {
          changed.notifyAll();
        }
      }
    };
  }

  private void ended(String connection, String token, boolean trial, Outcome outcome) {
    switch (outcome) {
      case SUCCEEDED -> {
        if (store.circuitBreakers().recordSuccess(connection)) {
          LOG.info(
              "connection '{}' circuit closed: a task using it succeeded{}",
              connection,
              trial ? " (the trial)" : "");
        }
      }
      case CONNECTION_FAILED -> {
        if (store
            .circuitBreakers()
            .recordFailure(connection, settings.failures(), settings.openFor(), token)) {
          LOG.warn(
              "connection '{}' circuit open after {}; tasks using it on every node wait {} before"
                  + " one trial task goes",
              connection,
              openedBecause(connection),
              Breaker.shown(settings.openFor()));
        }
      }
      case FAILED, CANCELLED -> {
        if (token != null) {
          store
              .circuitBreakers()
              .releaseTrial(connection, token); // it told nothing: the next task tries
        }
      }
    }
  }

  private String openedBecause(String connection) {
    try {
      return store
          .circuitBreakers()
          .find(connection)
          .map(ClusterBreakers::because)
          .orElse("failures");
    } catch (RuntimeException e) {
      return "connection failures";
    }
  }

  static String because(BreakerRecord b) {
    return b.openedAfter() == 0
        ? "a trial task failed to connect again"
        : b.openedAfter() + " consecutive connection failures across the cluster";
  }

  @Override
  public State state(String connection) {
    return store
        .circuitBreakers()
        .find(connection)
        .map(ClusterBreakers::status)
        .orElse(CLOSED)
        .state();
  }

  /** Every connection any node counted a failure of; none when the store does not answer. */
  @Override
  public Map<String, Status> statuses() {
    var m = new TreeMap<String, Status>();
    try {
      store.circuitBreakers().all().forEach(b -> m.put(b.connection(), status(b)));
    } catch (RuntimeException e) {
      LOG.warn("circuit breakers: cannot read them from the store: {}", e.getMessage());
    }
    return m;
  }

  private static Status status(BreakerRecord b) {
    State s = b.closed() ? State.CLOSED : b.open() ? State.OPEN : State.HALF_OPEN;
    return new Status(s, b.failures(), s == State.OPEN ? b.openUntil() : null);
  }

  @Override
  public Settings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "circuit breaker per connection, shared by the cluster (" + settings + ")";
  }

  /** What a waiting attempt has told its log, so it says each thing once. */
  private static final class Told {
    private final String connection;
    private final TaskLogger log;
    private java.time.Instant openUntil;
    private boolean trialOut;

    Told(String connection, TaskLogger log) {
      this.connection = connection;
      this.log = log;
    }

    void open(BreakerRecord b) {
      if (b.openUntil().equals(openUntil)) {
        return;
      }
      openUntil = b.openUntil();
      log.warn(
          "connection '"
              + connection
              + "' circuit open after "
              + because(b)
              + "; waiting "
              + Breaker.shown(Duration.ofMillis(b.millisLeft())));
    }

    void trial() {
      log.info(
          "connection '"
              + connection
              + "' circuit half-open: this task is the trial for the cluster; its success closes"
              + " the circuit");
    }

    void trialOut(String holder) {
      if (trialOut) {
        return;
      }
      trialOut = true;
      log.info(
          "connection '"
              + connection
              + "' circuit half-open: waiting for the result of its trial task"
              + (holder == null ? "" : " (on node " + holder + ")"));
    }

    void unreachable() {
      log.warn(
          "connection '"
              + connection
              + "': its circuit cannot be read from the state store just now; this task goes");
    }
  }
}
