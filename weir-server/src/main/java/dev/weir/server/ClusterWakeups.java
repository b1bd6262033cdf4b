package dev.weir.server;

import dev.weir.engine.Engine;
import dev.weir.server.cluster.AttemptWorker;
import dev.weir.server.cluster.ClusterNode;
import dev.weir.server.cluster.ClusterSignals;
import dev.weir.server.cluster.Signal;
import dev.weir.server.flows.ClusterFlows;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.store.RunRecord;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node tells the other nodes of its cluster, and what it does when told ({@link
 * ClusterSignals}). It tells them when a run of a flow with a concurrency limit ends (the flow's
 * queue may have room: a run cancelled here while another node executes it, a node that stops
 * taking work) — the stored flows' changes and a node leaving are signalled where they are written.
 * Told, it runs its worker's round now (queues, orphans) or takes the stored flows now, on the
 * server's loop thread; signals that come while a take waits are one take.
 */
final class ClusterWakeups {
  private static final Logger log = LoggerFactory.getLogger(ClusterWakeups.class);

  private final ClusterSignals signals;
  private final ClusterNode node;
  private final FlowRegistry flows;
  private final ClusterFlows clusterFlows;
  private final Executor loop;
  private final AtomicBoolean followPending = new AtomicBoolean();

  private ClusterWakeups(
      ClusterSignals signals,
      ClusterNode node,
      FlowRegistry flows,
      ClusterFlows clusterFlows,
      Executor loop) {
    this.signals = signals;
    this.node = node;
    this.flows = flows;
    this.clusterFlows = clusterFlows;
    this.loop = loop;
  }

  /**
   * Wires the engine to the signals of routed attempts and takeovers, before {@link #start}: the
   * store's writes of routed attempts tell the workers and the coordinators, and a run taken over
   * here stops at once on the node that executed it.
   *
   * @param attemptWorker the worker of routed attempts here, or null
   */
  static void wireEngine(
      ClusterSignals signals, Engine engine, RunLauncher launcher, AttemptWorker attemptWorker) {
    // routed attempts: the store's writes tell the workers and the coordinators
    signals.on(Signal.Kind.RESULTS, engine::routedResultsStored);
    // a run taken over here stops at once on the node that executed it
    launcher.onTakeOver(run -> signals.send(Signal.taken(run.id())));
    signals.onEach(
        Signal.Kind.TAKEN,
        s -> {
          if (s == null) {
            engine.checkOwnershipOfAll();
          } else {
            engine.checkOwnership(s.subject());
          }
        });
    if (attemptWorker != null) {
      signals.on(Signal.Kind.ATTEMPTS, attemptWorker::wake);
    }
  }

  /** Registers the callbacks and the run-end hook, then starts listening. */
  static void start(
      ClusterSignals signals,
      ClusterNode node,
      RunLauncher launcher,
      FlowRegistry flows,
      ClusterFlows clusterFlows,
      Executor loop) {
    var w = new ClusterWakeups(signals, node, flows, clusterFlows, loop);
    signals.on(Signal.Kind.QUEUE, node::wake);
    signals.on(Signal.Kind.RUNS, node::wake);
    signals.on(Signal.Kind.FLOWS, w::followSoon);
    launcher.onRunEnded(w::runEnded);
    signals.start();
  }

  // only a limited flow's queue waits for an end; every other run end stays a local affair
  private void runEnded(RunRecord run) {
    var key = new FlowKey(run.namespace(), run.flowId());
    if (flows.get(key).map(f -> f.flow().concurrency() != null).orElse(false)) {
      signals.send(Signal.queue(run.namespace(), run.flowId()));
    }
  }

  private void followSoon() {
    if (!followPending.compareAndSet(false, true)) {
      return;
    }
    try {
      loop.execute(this::follow);
    } catch (RejectedExecutionException e) {
      followPending.set(false); // the server is stopping
    }
  }

  private void follow() {
    followPending.set(false);
    try {
      if (clusterFlows.sync() > 0) {
        node.wake(); // a flow new here may have runs queued that only now have a taker here
      }
    } catch (RuntimeException e) {
      log.warn("taking the flows other nodes stored failed: {}", e.toString());
    }
  }
}
