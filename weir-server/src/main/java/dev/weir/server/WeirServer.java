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
import dev.weir.logs.JsonLogFiles;
import dev.weir.logs.LogRetention;
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
import dev.weir.staging.StagingGc;
import dev.weir.store.JdbcStateStore;
import dev.weir.task.TaskRegistry;
import dev.weir.task.plugin.Plugins;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weir server}: loads and watches the flows, fires their triggers, runs them through the
 * same engine as {@code weir run}, and serves the REST API. What a previous process left unfinished
 * resumes at start. It puts the server's parts together: the API and UI are {@link ServerApi}'s,
 * the periodic work {@link ServerLoops}', the log files and retention {@link ServerHousekeeping}'s.
 */
public final class WeirServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WeirServer.class);
  // how soon a stream flow's run starts after it is deployed, or after its backoff has passed
  private static final java.time.Duration STREAM_TICK = java.time.Duration.ofSeconds(2);

  private final ServerOptions options;
  private final JdbcStateStore store;
  private final ServerStore serverStore;
  private final Engine engine;
  private final Gates gates;
  private final FlowRegistry flows;
  private final FlowWatcher watcher;
  private final RunLauncher launcher;
  private final Scheduler scheduler;
  private final ClusterNode cluster;
  private final ClusterSignals signals;
  private final ClusterFlows clusterFlows;
  private final ClusterPools sharedPools;
  // runs attempts routed to workers here; null on a scheduler, and on H2 (one process)
  private final AttemptWorker attemptWorker;

  private final ApiServer api;
  private final EventTriggers triggers;
  private final StreamKeeper streams;
  private final Alerts alerts;
  private final ServerLoops loops;
  private final List<AutoCloseable> parts = new ArrayList<>();
  // what hears every run and task change (metrics, lineage, alerts add themselves here)
  private final RunListeners listeners = new RunListeners();
  private final LineageEmitter lineage;
  // what /metrics serves: this server's own, so that servers of one JVM (tests) count apart
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final RunMetrics metrics = new RunMetrics(registry);
  private final ServerHousekeeping housekeeping;
  private final StagingArea staging;
  private final MetricsRoutes metricsRoutes;
  private final Plugins plugins;
  private volatile int port;

  private WeirServer(ServerOptions options, Consumer<String> announceToken) {
    this.options = options;
    dev.weir.store.StoreAddress address =
        options.store() != null ? storeSecretsRead(options) : null;
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
    parts.add(scheduler);
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
    parts.add(triggers);
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
    parts.add(streams);
    var backfills =
        new Backfills(
            store.dataSource(), flows, launcher, engine, options.clock(), cluster::leadsFlows);
    parts.add(backfills);
    Tokens tokens = Tokens.load(options.tokens(), serverStore, options.clock(), announceToken);
    ServerGauges.register(registry, launcher, gates, scheduler, metrics, options.clock());
    this.metricsRoutes =
        new MetricsRoutes(
            registry, tokens, options.observability().metricsPublic(), engine.masker());
    this.api = ServerApi.assemble(this, taskTypes, tokens, backfills, metricsRoutes, parts::add);
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

  /**
   * The store's address with its {@code secret()} read as a flow's are: {@code WEIR_SECRET_<NAME>}
   * in the server's environment, then the file {@code <NAME>} in its secrets directory. The
   * engine's masker learns every such value when it starts, so a password read here is masked in
   * its logs.
   */
  static dev.weir.store.StoreAddress storeSecretsRead(ServerOptions options) {
    var secrets =
        new dev.weir.expr.Secrets(
            options.environment(), options.secretsDir(), new dev.weir.expr.Masker());
    return options.store().resolve(secrets, "the state store (db)");
  }

  /**
   * Starts a server.
   *
   * @param announceToken told the API token the server made at its first start (only then)
   */
  public static WeirServer start(ServerOptions options, Consumer<String> announceToken) {
    return new WeirServer(options, announceToken);
  }

  public int port() {
    return port;
  }

  /** Every endpoint under {@code /api/v1} this server answers (openapi.json is checked on it). */
  public java.util.List<dev.weir.server.api.Routes.Endpoint> apiEndpoints() {
    return api.endpoints();
  }

  /** The plugin jars loaded and skipped at start (docs/plugins.md). */
  public Plugins plugins() {
    return plugins;
  }

  public FlowRegistry flows() {
    return flows;
  }

  public FlowWatcher watcher() {
    return watcher;
  }

  public RunLauncher launcher() {
    return launcher;
  }

  /** This server as a node of the cluster on its store. */
  public ClusterNode cluster() {
    return cluster;
  }

  /** How this node and the others of its cluster wake each other (nothing on H2). */
  public ClusterSignals signals() {
    return signals;
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public JdbcStateStore store() {
    return store;
  }

  public ServerStore serverStore() {
    return serverStore;
  }

  /** What keeps the stream flows' runs going (docs/streams.md). */
  public StreamKeeper streams() {
    return streams;
  }

  public EventTriggers triggers() {
    return triggers;
  }

  public Engine engine() {
    return engine;
  }

  /** Add a listener here to hear every run and task change of this server. */
  public RunListeners listeners() {
    return listeners;
  }

  /** The pools and circuit breakers every task passes (their state, for metrics). */
  public Gates gates() {
    return gates;
  }

  public ServerOptions options() {
    return options;
  }

  /** Log retention, when {@code logs.retention} is set: {@link LogRetention#sweep()} runs now. */
  public Optional<LogRetention> logRetention() {
    return Optional.ofNullable(housekeeping.logRetention());
  }

  /** The JSON-lines log files, unless {@code logs.files: false}. */
  public Optional<JsonLogFiles> logFiles() {
    return Optional.ofNullable(housekeeping.logFiles());
  }

  /** What {@code GET /metrics} answers now. */
  public String metricsText() {
    return metricsRoutes.text();
  }

  /** The staging retention of this server's home ({@code staging:} of the flows' weir.yaml). */
  public StagingGc stagingGc() {
    return housekeeping.stagingGc();
  }

  /** The flows' alerts and SLA checks. */
  public Alerts alerts() {
    return alerts;
  }

  /**
   * Stops taking work, lets running runs finish within the grace period, then stops. Runs still
   * going after it are left as they are in the store and resume at the next start.
   */
  @Override
  public void close() {
    launcher.stopAccepting();
    loops.close();
    for (AutoCloseable p : parts) {
      closeQuietly(p);
    }
    long deadline = System.nanoTime() + options.grace().toNanos();
    while (!launcher.handles().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closeQuietly(api);
    if (lineage != null) {
      lineage.close(); // after the runs: their last events are queued by now
    }
    closeQuietly(alerts);
    closeQuietly(attemptWorker); // what it still runs is queued again by the others
    // the lease ends now: other nodes adopt at once what this one leaves (and fence its late
    // writes)
    closeQuietly(cluster);
    signals.send(Signal.RUNS); // the others adopt what it left now, not at their next heartbeat
    closeQuietly(signals);
    int left = launcher.handles().size();
    if (left > 0) {
      log.warn(
          "{} run(s) still going after {} of grace; they resume when the server starts again",
          left,
          Duration.ofNanos(options.grace().toNanos()));
      if (housekeeping.logFiles() != null) {
        housekeeping.logFiles().flush();
      }
      return; // the store stays open for their last writes until the process exits
    }
    engine.close();
    StagingLocation.close(staging);
    if (housekeeping.logFiles() != null) {
      housekeeping.logFiles().close();
    }
    store.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
