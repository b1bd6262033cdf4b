package dev.weir.engine;

import dev.weir.flow.TaskDef;
import dev.weir.store.AttemptQueue;
import dev.weir.store.AttemptTicket;
import dev.weir.store.QueuedAttempt;
import dev.weir.task.TaskLogger;
import dev.weir.task.TaskResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's side of routed attempts: queues an attempt for the workers and waits for its
 * result. One poller thread per engine reads the state of every attempt in flight with one query,
 * quickly while results come in and more slowly while none do (a worker's result waits at most
 * {@link #SLOWEST} ms to be seen).
 */
final class RoutedAttempts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RoutedAttempts.class);
  static final long FASTEST = 10;
  static final long SLOWEST = 250;

  private final AttemptQueue queue;
  private final dev.weir.store.StateStore store;
  private volatile AttemptRouting routing = AttemptRouting.NONE;
  private final Map<Long, Waiter> waiting = new ConcurrentHashMap<>();
  // runs that routed an attempt in this process: their leftovers are dropped when they end
  private final Set<String> routedRuns = ConcurrentHashMap.newKeySet();
  private final Object wake = new Object();
  private Thread poller;
  private volatile boolean closed;

  private record Waiter(
      CompletableFuture<QueuedAttempt> result, TaskLogger log, String[] claimer) {}

  RoutedAttempts(dev.weir.store.StateStore store) {
    this.store = store;
    this.queue = store.attempts();
  }

  void route(AttemptRouting r) {
    routing = r == null ? AttemptRouting.NONE : r;
  }

  /** Whether an attempt of this task goes to a worker. */
  boolean routes(TaskDef def) {
    return routing.routed(def);
  }

  /**
   * Queues the attempt and waits for a worker's result.
   *
   * @param steps hears the steps the attempt recorded on the worker (see {@link AttemptSteps})
   * @throws InterruptedException when the attempt is cancelled or timed out meanwhile: the queued
   *     attempt is withdrawn (its worker stops at its next check)
   */
  TaskResult run(
      AttemptTicket ticket, TaskLogger log, java.util.function.Consumer<StepChange> steps)
      throws InterruptedException {
    routedRuns.add(ticket.runId());
    long id = queue.enqueue(ticket);
    log.info(
        "queued for a worker"
            + (ticket.pool() == null ? "" : " of pool " + ticket.pool())
            + " (attempt queue id "
            + id
            + ")");
    var w = new Waiter(new CompletableFuture<>(), log, new String[1]);
    waiting.put(id, w);
    startPoller();
    QueuedAttempt done;
    try {
      done = w.result().get();
    } catch (InterruptedException e) {
      withdraw(id);
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      waiting.remove(id);
    }
    if (done == null) {
      // another node took the run over (this coordinator is stale: its writes are fenced off), or
      // the run ended: retryable, should this coordinator be the current one after all
      throw new dev.weir.task.TaskFailedException(
          "the attempt was withdrawn from the worker queue (its run was taken over or ended)");
    }
    // what the task's checks found, stored here: a worker that lost its claim stores nothing
    var checks = RoutedOutcome.checks(done.outcome());
    if (checks != null) {
      store.saveChecks(ticket.runId(), ticket.taskId(), ticket.attempt(), checks);
    }
    // the steps it recorded there, told to the coordinator before the attempt's own end
    RoutedOutcome.steps(done.outcome()).forEach(steps);
    queue.drop(id);
    return RoutedOutcome.read(done.outcome());
  }

  private void withdraw(long id) {
    try {
      queue.drop(id);
    } catch (RuntimeException e) {
      LOG.warn("could not withdraw routed attempt {}: {}", id, e.getMessage());
    }
  }

  /** The run is taken over here: what earlier owners queued for it is theirs, and goes. */
  void forget(String runId) {
    try {
      queue.dropRun(runId);
    } catch (RuntimeException e) {
      LOG.warn("could not drop the routed attempts of run {}: {}", runId, e.getMessage());
    }
  }

  /**
   * The run's coordinator here ended: what is queued of it goes if the run ended (a coordinator
   * that lost the run to another node leaves that node's attempts alone).
   */
  void runEnded(String runId) {
    if (routedRuns.remove(runId)) {
      try {
        queue.dropEnded(runId);
      } catch (RuntimeException e) {
        LOG.warn("could not drop the routed attempts of run {}: {}", runId, e.getMessage());
      }
    }
  }

  /** A worker stored a result somewhere: look now rather than at the next poll. */
  void wake() {
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  private synchronized void startPoller() {
    synchronized (wake) {
      wake.notifyAll();
    }
    if (poller == null || !poller.isAlive()) {
      poller = Thread.ofVirtual().name("weir-routed-attempts").start(this::poll);
    }
  }

  private void poll() {
    long pause = FASTEST;
    while (!closed) {
      if (waiting.isEmpty()) {
        synchronized (this) {
          if (waiting.isEmpty()) {
            poller = null;
            return;
          }
        }
      }
      boolean changed = false;
      try {
        changed = check();
      } catch (RuntimeException e) {
        LOG.warn("reading the state of routed attempts failed: {}", e.getMessage());
      }
      pause = changed ? FASTEST : Math.min(SLOWEST, pause * 2);
      synchronized (wake) {
        try {
          wake.wait(pause);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private boolean check() {
    List<Long> ids = List.copyOf(waiting.keySet());
    if (ids.isEmpty()) {
      return false;
    }
    Map<Long, QueuedAttempt> states = queue.states(ids);
    boolean changed = false;
    for (long id : ids) {
      Waiter w = waiting.get(id);
      if (w == null) {
        continue;
      }
      QueuedAttempt q = states.get(id);
      if (q == null) {
        w.result().complete(null);
        changed = true;
      } else if (q.state() == QueuedAttempt.State.DONE) {
        w.result().complete(q);
        changed = true;
      } else if (q.state() == QueuedAttempt.State.CLAIMED
          && !q.claimedBy().equals(w.claimer()[0])) {
        w.claimer()[0] = q.claimedBy();
        w.log().info("worker " + q.claimedBy() + " runs it");
        changed = true;
      }
    }
    return changed;
  }

  @Override
  public void close() {
    closed = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }
}
