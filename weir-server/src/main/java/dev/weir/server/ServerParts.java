package dev.weir.server;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.engine.RunListeners;
import dev.weir.engine.StagingArea;
import dev.weir.engine.gate.BreakerGate;
import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.engine.gate.ClusterBreakers;
import dev.weir.engine.gate.ClusterPools;
import dev.weir.engine.gate.Gates;
import dev.weir.engine.gate.Pools;
import dev.weir.lineage.LineageEmitter;
import dev.weir.server.alerts.Alerts;
import dev.weir.server.api.ApiServer;
import dev.weir.server.api.Tokens;
import dev.weir.server.backfills.Backfills;
import dev.weir.server.cluster.AttemptWorker;
import dev.weir.server.cluster.ClusterNode;
import dev.weir.server.cluster.ClusterSettings;
import dev.weir.server.cluster.ClusterSignals;
import dev.weir.server.cluster.Signal;
import dev.weir.server.cluster.StagingLocation;
import dev.weir.server.cluster.TaskRouting;
import dev.weir.server.flows.ClusterFlows;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.flows.FlowWatcher;
import dev.weir.server.metrics.MetricsRoutes;
import dev.weir.server.metrics.RunMetrics;
import dev.weir.server.metrics.ServerGauges;
import dev.weir.server.runs.RunConsoleLog;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.schedule.Scheduler;
import dev.weir.server.store.ServerStore;
import dev.weir.server.streams.StreamKeeper;
import dev.weir.server.triggers.EventTriggers;
import dev.weir.store.JdbcStateStore;
import dev.weir.task.TaskRegistry;
import dev.weir.task.plugin.Plugins;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a {@link WeirServer}, made, wired together and started in order at its start: the
 * store and this node of its cluster, the task gates, the engine and what hears its runs, the
 * flows, the triggers and schedules, and the API. {@link ServerShutdown} stops them in order.
 */
final class ServerParts {
  // logs as the server, as it did before the wiring moved here
  private static final Logger log = LoggerFactory.getLogger(WeirServer.class);
  // how soon a stream flow's run starts after it is deployed, or after its backoff has passed
  private static final java.time.Duration STREAM_TICK = java.time.Duration.ofSeconds(2);

  final ServerOptions options;
  final JdbcStateStore store;
  final ServerStore serverStore;
  final Engine engine;
  final Gates gates;
  final FlowRegistry flows;
  final FlowWatcher watcher;
  final RunLauncher launcher;
  final Scheduler scheduler;
  final ClusterNode cluster;
  final ClusterSignals signals;
  final ClusterFlows clusterFlows;
  final ClusterPools sharedPools;
  // runs attempts routed to workers here; null on a scheduler, and on H2 (one process)
  final AttemptWorker attemptWorker;

  final ApiServer api;
  final EventTriggers triggers;
  final StreamKeeper streams;
  final Alerts alerts;
  final ServerLoops loops;
  final List<AutoCloseable> closeables = new ArrayList<>();
  // what hears every run and task change (metrics, lineage, alerts add themselves here)
  final RunListeners listeners = new RunListeners();
  final LineageEmitter lineage;
  // what /metrics serves: this server's own, so that servers of one JVM (tests) count apart
  final PrometheusRegistry registry = new PrometheusRegistry();
  final RunMetrics metrics = new RunMetrics(registry);
  final ServerHousekeeping housekeeping;
  final StagingArea staging;
  final MetricsRoutes metricsRoutes;
  final Plugins plugins;
  volatile int port;

  ServerParts(ServerOptions options, Consumer<String> announceToken) {
    this.options = options;
    dev.weir.store.StoreAddress address =
        options.store() != null ? WeirServer.storeSecretsRead(options) : null;
    this.store = address != null ? address.open() : JdbcStateStore.h2(options.home());
    // a node of the cluster of servers on this store (of one, on H2): its runs are claimed as
    // node#epoch, and a node gone past its lease has its runs adopted by the others
    ClusterSettings work = options.cluster();
    TaskRouting routing = TaskRouting.of(work, options.store() != null);
    this.cluster = ClusterNode.join(store, work, options.home(), work.role().label());
    // on PostgreSQL the nodes wake each other (ClusterWakeups); the flows' changes are told in
    // the transactions that store them
    this.signals = ClusterSignals.open(address, store.dataSource(), cluster.nodeId());
    this.serverStore = new ServerStore(store.dataSource(), c -> signals.sendIn(c, Signal.FLOWS));
    // one H2 store is one process's: its pools need no slots in the store
    this.sharedPools =
        options.store() == null
            ? null
            : new ClusterPools(store, options.pools(), cluster::claimant);
    // and its breakers count in the process; on PostgreSQL every node counts in the store
    BreakerGate breakers =
        options.store() == null
            ? new CircuitBreakers(options.circuitBreaker(), options.clock())
            : new ClusterBreakers(store, options.circuitBreaker(), cluster::claimant);
    this.gates =
        new Gates(
            breakers,
            new Pools(options.pools()),
            sharedPools == null ? dev.weir.engine.TaskGate.NONE : sharedPools);
    log.info("task gates: {}", gates);
    TaskRegistry taskTypes = ServerTaskTypes.load(options);
    this.plugins = taskTypes.plugins();
    this.staging = StagingLocation.open(work.staging(), options.home(), options.environment());
    // subflows start through the launcher, made below: the host is attached to it then
    var subflows = new dev.weir.server.runs.ServerSubflows();
    this.engine =
        new Engine(
            store,
            taskTypes,
            new EngineOptions(
                    options.home(),
                    options.clock(),
                    options.environment(),
                    options.secretsDir(),
                    listeners,
                    gates)
                .withSubflows(subflows)
                .withClaimant(cluster::claimant)
                .withStaging(staging));
    engine.route(routing);
    this.attemptWorker =
        options.store() == null || !work.role().executesTasks()
            ? null
            : new AttemptWorker(
                store.attempts(), engine, cluster::claimant, work.pools(), work.slots());
    this.lineage =
        options.lineage() == null
            ? null
            : LineageEmitter.start(options.lineage(), store, engine.masker()::mask);
    if (lineage != null) {
      listeners.add(lineage);
      log.info("lineage: OpenLineage events of runs and task runs go to {}", options.lineage());
    }
    listeners.add(metrics);
    listeners.add(new dev.weir.server.metrics.StreamMetrics(registry));
    listeners.add(new RunConsoleLog(engine.masker()));
    this.housekeeping =
        ServerHousekeeping.open(options, store, staging, engine.masker(), listeners);
    this.flows =
        new FlowRegistry(engine.parser(), store, serverStore, options.clock(), options.deployDir());
    this.watcher = new FlowWatcher(options.deployDir(), flows);
    this.launcher = new RunLauncher(engine, store, flows, options.clock(), listeners);
    subflows.attach(engine, flows, launcher);
    this.alerts =
        new Alerts(
            options.alerts(),
            engine,
            store,
            store.dataSource(),
            flows,
            options.clock(),
            () -> "http://" + options.host() + ":" + port);
    listeners.add(alerts);
    launcher.onRunEnded(alerts::runEnded);
    this.clusterFlows = new ClusterFlows(flows, store, serverStore);
    long t0 = System.nanoTime();
    cluster.holdFlowsLease(); // then renewed with the node's heartbeat
    this.loops =
        new ServerLoops(cluster, clusterFlows, watcher, housekeeping, alerts, engine.masker());
    loops.scanFlows();
    log.info(
        "{} flows loaded from {} in {} ms{}",
        flows.all().size(),
        watcher.dir(),
        (System.nanoTime() - t0) / 1_000_000,
        watcher.problems().isEmpty() ? "" : "; " + watcher.problems().size() + " invalid");
    if (!work.role().coordinatesRuns()) {
      // an API node: what it starts, the nodes that execute runs take (told now by a signal)
      launcher.handOff(key -> signals.send(Signal.queue(key.namespace(), key.id())));
    }
    launcher.recover();
    cluster.start(new ServerNodeHost(launcher, engine, sharedPools, attemptWorker));
    if (attemptWorker != null) {
      attemptWorker.start();
    }
    this.scheduler = new Scheduler(engine, flows, launcher, serverStore, options.clock());
    closeables.add(scheduler);
    this.triggers =
        EventTriggers.start(
            engine,
            flows,
            launcher,
            store,
            serverStore,
            options.clock(),
            work.role().coordinatesRuns(),
            cluster::leadsFlows);
    closeables.add(triggers);
    this.streams =
        new StreamKeeper(
            flows,
            store,
            serverStore,
            launcher,
            taskTypes,
            options.clock(),
            cluster::leadsFlows,
            null);
    closeables.add(streams);
    var backfills =
        new Backfills(
            store.dataSource(), flows, launcher, engine, options.clock(), cluster::leadsFlows);
    closeables.add(backfills);
    Tokens tokens = Tokens.load(options.tokens(), serverStore, options.clock(), announceToken);
    ServerGauges.register(registry, launcher, gates, scheduler, metrics, options.clock());
    this.metricsRoutes =
        new MetricsRoutes(
            registry, tokens, options.observability().metricsPublic(), engine.masker());
    this.api =
        ServerApi.assemble(this, taskTypes, tokens, backfills, metricsRoutes, closeables::add);
    this.port = api.start(options.host(), options.port());
    loops.scanEvery(options.scanInterval());
    ClusterWakeups.wireEngine(signals, engine, launcher, attemptWorker);
    ClusterWakeups.start(signals, cluster, launcher, flows, clusterFlows, loops.executor());
    loops.sweepAndCheck(options.alerts().slaInterval());
    loops.sweepHourly("queue trigger fires", triggers.queues()::forgetOldFires);
    if (work.role().coordinatesRuns()) {
      scheduler.start(); // an API node fires no schedule: the nodes that execute runs do
      streams.start(STREAM_TICK);
    }
    log.info("Weir server listening on http://{}:{}/api/v1", options.host(), port);
    log.info("Weir UI on http://{}:{}/", options.host(), port);
  }
}
