package dev.weir.server.runs;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.flow.Concurrency;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the server's runs and keeps each flow within its {@code concurrency} limit: a run over the
 * limit waits QUEUED (started when one ends), is not created (skip), or is recorded FAILED (fail).
 * Hears every run end, to start the next queued one and to tell listeners (flow triggers,
 * backfills). The runs it did not start — left by earlier processes, or by other nodes — are {@link
 * RunRecovery}'s; creating and starting new ones is {@link RunStarter}'s.
 */
public final class RunLauncher {
  private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);

  private final Engine engine;
  // the JDBC store: launchAll writes the runs and its caller's rows in one transaction
  private final JdbcStateStore store;
  private final FlowRegistry flows;
  private final InstantSource clock;
  private final Map<String, RunHandle> handles = new ConcurrentHashMap<>();
  private final Map<FlowKey, Set<String>> running = new HashMap<>();
  private final List<Consumer<RunRecord>> endListeners = new CopyOnWriteArrayList<>();
  private final RunListener listener;
  private final FlowQueue queue;
  private final RunRecovery recovery;
  private final RunStarter starter;
  private volatile boolean accepting = true;
  // set on a node that serves the API only: told of each run it stores for the others to take
  private volatile Consumer<FlowKey> handOff;
  // told of each run this node took over from another that may still execute it
  private volatile Consumer<RunRecord> takenOver = r -> {};

  public RunLauncher(Engine engine, JdbcStateStore store, FlowRegistry flows, InstantSource clock) {
    this(engine, store, flows, clock, RunListener.NONE);
  }

  /**
   * @param listener told of the runs this launcher ends without the engine (a queued run cancelled,
   *     a run refused by {@code onLimit: fail}), as the engine tells of the others
   */
  public RunLauncher(
      Engine engine,
      JdbcStateStore store,
      FlowRegistry flows,
      InstantSource clock,
      RunListener listener) {
    this.engine = engine;
    this.store = store;
    this.flows = flows;
    this.clock = clock;
    this.listener = listener;
    this.queue = new FlowQueue(engine, store, flows, clock, listener, this::track);
    this.recovery = new RunRecovery(this, engine, store);
    this.starter = new RunStarter(this, engine, store, queue);
  }

  /**
   * Makes this launcher execute no run: every run it starts is stored QUEUED for a node that
   * executes runs, and {@code tell} is told of its flow (a signal, so that they take it now).
   */
  public void handOff(Consumer<FlowKey> tell) {
    this.handOff = tell;
  }

  /** Told of each run this node takes over from another node (a cancel, a forced resume). */
  public void onTakeOver(Consumer<RunRecord> told) {
    this.takenOver = told;
  }

  /** Runs waiting for their flow's concurrency limit, and since when the oldest has waited. */
  public record Queue(int runs, Optional<Instant> oldest) {}

  public Queue queue() {
    var flowsWaiting = store.queuedFlows();
    return new Queue(
        flowsWaiting.stream().mapToInt(StateStore.QueuedFlow::runs).sum(),
        flowsWaiting.stream().map(StateStore.QueuedFlow::oldest).min(Comparator.naturalOrder()));
  }

  /**
   * Starts what the queues of every flow have room for: at start, at every heartbeat of the node
   * (runs that ended on other nodes, queues a dead node left) and when a run here ends.
   */
  public void drainAll() {
    if (accepting) {
      queue.drainAll();
    }
  }

  /** What became of a start request. */
  public enum Outcome {
    STARTED,
    QUEUED,
    SKIPPED,
    REFUSED
  }

  /**
   * @param run the run created, empty when skipped
   */
  public record Started(Outcome outcome, Optional<RunRecord> run, String reason) {}

  /** What a trigger or a person asks for. */
  public record Request(
      Map<String, String> inputs,
      String trigger,
      Instant logicalDate,
      Map<String, Object> triggerData) {
    public static Request manual(Map<String, String> inputs) {
      return new Request(inputs, "manual", null, null);
    }
  }

  /** Called with the final record of every run that ends. */
  public void onRunEnded(Consumer<RunRecord> listener) {
    endListeners.add(listener);
  }

  /**
   * Starts a run of {@code flow}, within its concurrency limit.
   *
   * @throws WeirException when the flow is disabled or the inputs are wrong
   */
  public Started start(DeployedFlow flow, Request request) {
    return start(flow, RunStarter.startRequest(flow, request));
  }

  /**
   * Starts a run as {@link #start(DeployedFlow, Request)} does, of the definition {@code start}
   * names (a subflow's pinned revision), counted against {@code flow}'s concurrency limit.
   *
   * @throws WeirException when the flow is disabled or the inputs are wrong
   */
  public Started start(DeployedFlow flow, Engine.StartRequest start) {
    return starter.start(flow, start);
  }

  /** A run of a flow without a concurrency limit, made but not stored yet ({@link #prepare}). */
  public record Prepared(DeployedFlow flow, Engine.Prepared run) {}

  /**
   * Makes the run a request asks for without storing it, for {@link #launchAll}. Only for a flow
   * with no concurrency limit: its runs start at once, whatever else runs.
   *
   * @throws WeirException when the server is stopping, the flow is disabled or the inputs are wrong
   */
  public Prepared prepare(DeployedFlow flow, Request request) {
    return starter.prepare(flow, request);
  }

  /**
   * Stores prepared runs and the caller's rows ({@code also}) in one transaction, then starts the
   * runs. When the transaction fails nothing is stored and nothing starts.
   */
  public void launchAll(List<Prepared> runs, JdbcStateStore.AlsoWrite also) {
    starter.launchAll(runs, also);
  }

  /** Stops a run: a running one is interrupted, a queued one never starts. */
  public synchronized RunRecord cancel(String runId, String reason) {
    RunRecord run = store.resolveRun(runId);
    RunHandle h = handles.get(run.id());
    if (h != null) {
      h.cancel(reason);
      return run;
    }
    if (run.state().isTerminal()) {
      throw new WeirException("run " + run.id() + " already ended " + run.state());
    }
    RunRecord cancelled;
    if (run.state() == RunState.QUEUED && run.owner() == null) {
      cancelled = run.ended(RunState.CANCELLED, clock.instant(), reason);
      if (!store.endQueued(cancelled)) {
        throw new WeirException(
            "run " + run.id() + " started just now, on another node; cancel it there");
      }
    } else {
      // another node (or a dead process) executes it: take it over, so that the owner's next
      // write is fenced off and it stops, and end it with its unfinished tasks
      cancelled = engine.endElsewhere(run, RunState.CANCELLED, reason);
      takenOver.accept(cancelled);
    }
    listener.runChanged(cancelled);
    endListeners.forEach(l -> safely(l, cancelled));
    return cancelled;
  }

  /** Runs a failed or cancelled run again from its failed tasks. */
  public synchronized RunRecord retry(String runId) {
    RunRecord run = store.resolveRun(runId);
    Consumer<FlowKey> tell = handOff;
    if (tell != null) {
      RunRecord queued = engine.retryQueued(run.id());
      tell.accept(new FlowKey(run.namespace(), run.flowId()));
      return queued;
    }
    RunHandle h = engine.retry(run.id());
    track(new FlowKey(run.namespace(), run.flowId()), h);
    return store.findRun(run.id()).orElse(run);
  }

  /**
   * Continues a run whose process died (an orphan): its succeeded tasks are kept, the interrupted
   * ones run again, in this server. Refused for a run this server executes already, a queued run
   * (it starts in its turn) and an ended one; without {@code force} also while the recorded owner
   * process looks alive.
   *
   * @throws WeirException saying why the run cannot be resumed
   */
  public RunRecord resume(String runId, boolean force) {
    return recovery.resume(runId, force);
  }

  /**
   * Picks up what a previous server process left: interrupted runs resume, queued ones wait for
   * their turn again (oldest first).
   */
  public void recover() {
    recovery.recover();
  }

  /**
   * Takes over a run whose cluster node is gone (its lease ran out, or it started again) and
   * continues it here.
   *
   * @return false when it was not taken: this server runs it already, is stopping, or another node
   *     took it first
   */
  public boolean adopt(RunRecord run) {
    return recovery.adopt(run);
  }

  /**
   * Executes a run this node owns but does not execute (see {@link
   * dev.weir.server.cluster.ClusterNode}): taken over from itself, which raises its fence.
   */
  public boolean resumeOwn(RunRecord run) {
    return recovery.resumeOwn(run);
  }

  /**
   * Stops executing every run of this server at once, writing nothing more for them: this node lost
   * its place in the cluster, and another node continues them.
   */
  public void giveUpRuns(String reason) {
    recovery.giveUpRuns(reason);
  }

  /** Runs of this flow that count against its concurrency limit now, on every node. */
  public int active(FlowKey key) {
    return store.activeRuns(key.namespace(), key.id());
  }

  public Optional<RunHandle> handle(String runId) {
    return Optional.ofNullable(handles.get(runId));
  }

  /** Refuses new runs and asks every running one to stop (they resume on the next start). */
  public void stopAccepting() {
    accepting = false;
  }

  /** False once the server is stopping: {@link #start} refuses then. */
  public boolean accepting() {
    return accepting;
  }

  public java.util.Collection<RunHandle> handles() {
    return List.copyOf(handles.values());
  }

  /** Whether this launcher executes the run now. */
  boolean tracks(String runId) {
    return handles.containsKey(runId);
  }

  /**
   * Whether this launcher executes no run, handing each to the nodes that do ({@link #handOff}).
   */
  boolean handsOff() {
    return handOff != null;
  }

  /** Where runs go on a node that executes none ({@link #handOff}); null on one that does. */
  Consumer<FlowKey> handOffTarget() {
    return handOff;
  }

  /** Tells that this node took {@code run} over from another that may still execute it. */
  void tellTakenOver(RunRecord run) {
    takenOver.accept(run);
  }

  synchronized void track(FlowKey key, RunHandle h) {
    handles.put(h.runId(), h);
    running.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(h.runId());
    h.completion().whenComplete((run, error) -> ended(key, h.runId(), run));
  }

  private void ended(FlowKey key, String runId, RunRecord run) {
    synchronized (this) {
      handles.remove(runId);
      Set<String> r = running.get(key);
      if (r != null) {
        r.remove(runId);
      }
    }
    Concurrency limit = flows.get(key).map(f -> f.flow().concurrency()).orElse(null);
    if (accepting && limit != null) {
      try {
        queue.drain(key, limit.limit());
      } catch (WeirException e) {
        log.warn("the queue of {} could not be read: {}", key, e.getMessage());
      }
    }
    RunRecord last = run != null ? run : store.findRun(runId).orElse(null);
    if (last != null) {
      endListeners.forEach(l -> safely(l, last));
    }
  }

  private static void safely(Consumer<RunRecord> l, RunRecord run) {
    try {
      l.accept(run);
    } catch (RuntimeException e) {
      log.warn("a run-end listener failed for run {}: {}", run.id(), e.toString());
    }
  }

  /** The flow is disabled: triggers and manual starts are refused (HTTP 409). */
  public static final class FlowDisabledException extends WeirException {
    public FlowDisabledException(String message) {
      super(message);
    }
  }
}
