package dev.weir.bench;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.server.cluster.AttemptWorker;
import dev.weir.server.cluster.ClusterNode;
import dev.weir.server.cluster.ClusterSettings;
import dev.weir.server.cluster.ClusterSignals;
import dev.weir.server.cluster.NodeRole;
import dev.weir.server.cluster.Signal;
import dev.weir.server.cluster.TaskRouting;
import dev.weir.store.RunRecord;
import dev.weir.store.StoreAddress;
import dev.weir.task.TaskRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One coordinating node and {@code workers} task workers in this JVM, on one PostgreSQL schema,
 * each with its own store (connection pool), cluster node (lease, epoch) and engine, wired as
 * {@code weir server} and {@code weir worker} wire them (a node's {@link ClusterNode}, an {@link
 * Engine} claiming as it, an {@link AttemptWorker} on the store's attempt queue). With no worker
 * the coordinator is a node of role {@code all} executing every task itself (and, as such a node
 * does, polling the attempt queue for routed work); with workers it is a {@code scheduler} routing
 * every attempt to them. Every node's attempt queue notes its steps in one {@link AttemptTimes}.
 *
 * <p>What the servers add around the engine (API, flow registry, schedules, metrics) is left out in
 * both shapes: the difference between them is the routing.
 */
final class InProcessNodes implements AutoCloseable {
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Engine coordinator;

  private InProcessNodes(String url, Path dir, int workers, int slots, AttemptTimes times)
      throws Exception {
    Path staging = Files.createDirectories(dir.resolve("staging"));
    NodeRole role = workers == 0 ? NodeRole.ALL : NodeRole.SCHEDULER;
    this.coordinator = node(url, dir, "coordinator", role, slots, staging, times);
    coordinator.route(new TaskRouting(role, Set.of()));
    for (int i = 1; i <= workers; i++) {
      node(url, dir, "w" + i, NodeRole.WORKER, slots, staging, times);
    }
  }

  /** Starts the nodes; closing it stops them, the workers first. */
  static InProcessNodes start(String url, Path dir, int workers, int slots, AttemptTimes times)
      throws Exception {
    return new InProcessNodes(url, dir, workers, slots, times);
  }

  /** The engine that starts and coordinates runs. */
  Engine coordinator() {
    return coordinator;
  }

  // a node's store, cluster membership, engine and (unless it is a scheduler) attempt worker
  private Engine node(
      String url, Path dir, String id, NodeRole role, int slots, Path staging, AttemptTimes times)
      throws Exception {
    var jdbc = StoreAddress.of(url).open();
    var store = new TimedStore(jdbc, false, new TimedAttemptQueue(jdbc.attempts(), times));
    open.add(store);
    Path home = Files.createDirectories(dir.resolve(id));
    ClusterSettings settings =
        new ClusterSettings(
                id, ClusterSettings.DEFAULT_LEASE, ClusterSettings.DEFAULT_HEARTBEAT, staging)
            .withWork(role, Set.of(), slots);
    ClusterNode cluster = ClusterNode.join(store, settings, home, role.label());
    open.add(cluster);
    var engine =
        new Engine(
            store,
            TaskRegistry.load(),
            EngineOptions.defaults(home).withClaimant(cluster::claimant).withStaging(staging));
    open.add(engine);
    AttemptWorker worker =
        role.executesTasks()
            ? new AttemptWorker(store.attempts(), engine, cluster::claimant, Set.of(), slots)
            : null;
    cluster.start(new Host(engine, worker));
    // the queue's writes wake the other side (NOTIFY), as in weir server and weir worker
    var signals = ClusterSignals.open(StoreAddress.of(url), jdbc.dataSource(), id);
    signals.on(Signal.Kind.RESULTS, engine::routedResultsStored);
    if (worker != null) {
      signals.on(Signal.Kind.ATTEMPTS, worker::wake);
    }
    signals.start();
    open.add(signals);
    if (worker != null) {
      worker.start();
      open.add(worker);
    }
    return engine;
  }

  /** What a node asks of its process: here only to give its work up, as a worker's does. */
  private record Host(Engine engine, AttemptWorker worker) implements ClusterNode.Host {
    @Override
    public void giveUpRuns(String reason) {
      engine.abandonAll(reason);
      if (worker != null) {
        worker.giveUp(reason);
      }
    }

    @Override
    public boolean adopt(RunRecord run) {
      return false; // one coordinator: no run is ever another node's
    }

    @Override
    public void drainQueues() {}

    @Override
    public void releaseStraySlots() {}

    @Override
    public void retire(String reason) {
      giveUpRuns(reason);
    }

    @Override
    public boolean executes(String runId) {
      return engine.executes(runId);
    }

    @Override
    public boolean resumeOwn(RunRecord run) {
      return false;
    }
  }

  /** Stops the workers, then the coordinator (the reverse of the start). */
  @Override
  public void close() {
    for (AutoCloseable c : open.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        System.out.println("closing " + c + " failed: " + e);
      }
    }
  }
}
