package dev.weir.server;

import dev.weir.engine.Engine;
import dev.weir.engine.RunListeners;
import dev.weir.engine.gate.Gates;
import dev.weir.logs.JsonLogFiles;
import dev.weir.logs.LogRetention;
import dev.weir.server.alerts.Alerts;
import dev.weir.server.cluster.ClusterNode;
import dev.weir.server.cluster.ClusterSignals;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.flows.FlowWatcher;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.schedule.Scheduler;
import dev.weir.server.store.ServerStore;
import dev.weir.server.streams.StreamKeeper;
import dev.weir.server.triggers.EventTriggers;
import dev.weir.staging.StagingGc;
import dev.weir.store.JdbcStateStore;
import dev.weir.task.plugin.Plugins;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code weir server}: loads and watches the flows, fires their triggers, runs them through the
 * same engine as {@code weir run}, and serves the REST API. What a previous process left unfinished
 * resumes at start. {@link ServerParts} puts the server's parts together and starts them, {@link
 * ServerShutdown} stops them; the API and UI are {@link ServerApi}'s, the periodic work {@link
 * ServerLoops}', the log files and retention {@link ServerHousekeeping}'s.
 */
public final class WeirServer implements AutoCloseable {
  private final ServerParts parts;

  private WeirServer(ServerOptions options, Consumer<String> announceToken) {
    this.parts = new ServerParts(options, announceToken);
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
    return parts.port;
  }

  /** Every endpoint under {@code /api/v1} this server answers (openapi.json is checked on it). */
  public java.util.List<dev.weir.server.api.Routes.Endpoint> apiEndpoints() {
    return parts.api.endpoints();
  }

  /** The plugin jars loaded and skipped at start (docs/plugins.md). */
  public Plugins plugins() {
    return parts.plugins;
  }

  public FlowRegistry flows() {
    return parts.flows;
  }

  public FlowWatcher watcher() {
    return parts.watcher;
  }

  public RunLauncher launcher() {
    return parts.launcher;
  }

  /** This server as a node of the cluster on its store. */
  public ClusterNode cluster() {
    return parts.cluster;
  }

  /** How this node and the others of its cluster wake each other (nothing on H2). */
  public ClusterSignals signals() {
    return parts.signals;
  }

  public Scheduler scheduler() {
    return parts.scheduler;
  }

  public JdbcStateStore store() {
    return parts.store;
  }

  public ServerStore serverStore() {
    return parts.serverStore;
  }

  /** What keeps the stream flows' runs going (docs/streams.md). */
  public StreamKeeper streams() {
    return parts.streams;
  }

  public EventTriggers triggers() {
    return parts.triggers;
  }

  public Engine engine() {
    return parts.engine;
  }

  /** Add a listener here to hear every run and task change of this server. */
  public RunListeners listeners() {
    return parts.listeners;
  }

  /** The pools and circuit breakers every task passes (their state, for metrics). */
  public Gates gates() {
    return parts.gates;
  }

  public ServerOptions options() {
    return parts.options;
  }

  /** Log retention, when {@code logs.retention} is set: {@link LogRetention#sweep()} runs now. */
  public Optional<LogRetention> logRetention() {
    return Optional.ofNullable(parts.housekeeping.logRetention());
  }

  /** The JSON-lines log files, unless {@code logs.files: false}. */
  public Optional<JsonLogFiles> logFiles() {
    return Optional.ofNullable(parts.housekeeping.logFiles());
  }

  /** What {@code GET /metrics} answers now. */
  public String metricsText() {
    return parts.metricsRoutes.text();
  }

  /** The staging retention of this server's home ({@code staging:} of the flows' weir.yaml). */
  public StagingGc stagingGc() {
    return parts.housekeeping.stagingGc();
  }

  /** The flows' alerts and SLA checks. */
  public Alerts alerts() {
    return parts.alerts;
  }

  /**
   * Stops taking work, lets running runs finish within the grace period, then stops. Runs still
   * going after it are left as they are in the store and resume at the next start.
   */
  @Override
  public void close() {
    ServerShutdown.close(parts, parts.options.grace());
  }
}
