package dev.weir.server;

import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.lineage.LineageConfig;
import dev.weir.server.alerts.AlertSettings;
import dev.weir.server.cluster.ClusterSettings;
import dev.weir.store.StoreAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a server starts. Defaults: 127.0.0.1:8080, the H2 store in {@code home}, flows deployed over
 * the API kept in {@code <home>/flows}, files scanned every 2 s, 30 s of grace at shutdown.
 *
 * @param store the state store (PostgreSQL in production): a JDBC URL, a user and a password, each
 *     of which may use {@code secret()}; null for H2 in home
 * @param flowsDir the directory of flow files to load and watch, null for {@code <home>/flows}
 * @param tokens API tokens in clear (config file and WEIR_API_TOKENS); stored only hashed
 * @param pools named limits on tasks at once across all flows ({@code pool: name} on a task)
 * @param circuitBreaker when tasks of one connection stop trying it, and for how long; null for the
 *     defaults (5 failures, 60 s)
 * @param clock the time source of schedules and runs; tests pass a settable one
 * @param environment the process environment (secrets, child processes)
 * @param secretsDir a directory of secret files, or null
 * @param lineage where OpenLineage events of runs and task runs go, null for nowhere
 * @param observability log files, log retention and who may scrape {@code /metrics}; null for the
 *     defaults (files in {@code <home>/logs}, kept for ever, {@code /metrics} behind the token)
 * @param alerts links, throttle, retries and the mail server of flow alerts; null for the defaults
 * @param cluster this node's id and lease timing; null for the defaults (see {@link
 *     ClusterSettings})
 */
public record ServerOptions(
    String host,
    int port,
    Path home,
    StoreAddress store,
    Path flowsDir,
    List<String> tokens,
    Map<String, Integer> pools,
    CircuitBreakers.Settings circuitBreaker,
    InstantSource clock,
    Duration scanInterval,
    Duration grace,
    Map<String, String> environment,
    Path secretsDir,
    LineageConfig lineage,
    Observability observability,
    AlertSettings alerts,
    ClusterSettings cluster) {

  public ServerOptions {
    cluster = cluster == null ? ClusterSettings.DEFAULTS : cluster;
    observability = observability == null ? Observability.DEFAULTS : observability;
    alerts = alerts == null ? AlertSettings.DEFAULTS : alerts;
    host = host == null ? "127.0.0.1" : host;
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    pools = pools == null ? Map.of() : Map.copyOf(pools);
    circuitBreaker = circuitBreaker == null ? CircuitBreakers.Settings.DEFAULTS : circuitBreaker;
    clock = clock == null ? InstantSource.system() : clock;
    scanInterval = scanInterval == null ? Duration.ofSeconds(2) : scanInterval;
    grace = grace == null ? Duration.ofSeconds(30) : grace;
    environment = environment == null ? System.getenv() : Map.copyOf(environment);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
  }

  /** Options of a node with the default cluster settings. */
  public ServerOptions(
      String host,
      int port,
      Path home,
      StoreAddress store,
      Path flowsDir,
      List<String> tokens,
      Map<String, Integer> pools,
      CircuitBreakers.Settings circuitBreaker,
      InstantSource clock,
      Duration scanInterval,
      Duration grace,
      Map<String, String> environment,
      Path secretsDir,
      LineageConfig lineage,
      Observability observability,
      AlertSettings alerts) {
    this(
        host,
        port,
        home,
        store,
        flowsDir,
        tokens,
        pools,
        circuitBreaker,
        clock,
        scanInterval,
        grace,
        environment,
        secretsDir,
        lineage,
        observability,
        alerts,
        null);
  }

  /** Options without lineage, with the default log files, metrics access and alert settings. */
  public ServerOptions(
      String host,
      int port,
      Path home,
      String dbUrl,
      Path flowsDir,
      List<String> tokens,
      Map<String, Integer> pools,
      CircuitBreakers.Settings circuitBreaker,
      InstantSource clock,
      Duration scanInterval,
      Duration grace,
      Map<String, String> environment,
      Path secretsDir) {
    this(
        host,
        port,
        home,
        dbUrl == null ? null : StoreAddress.of(dbUrl),
        flowsDir,
        tokens,
        pools,
        circuitBreaker,
        clock,
        scanInterval,
        grace,
        environment,
        secretsDir,
        null,
        null,
        null);
  }

  /** Options with the default circuit breaker. */
  public ServerOptions(
      String host,
      int port,
      Path home,
      String dbUrl,
      Path flowsDir,
      List<String> tokens,
      Map<String, Integer> pools,
      InstantSource clock,
      Duration scanInterval,
      Duration grace,
      Map<String, String> environment,
      Path secretsDir) {
    this(
        host,
        port,
        home,
        dbUrl == null ? null : StoreAddress.of(dbUrl),
        flowsDir,
        tokens,
        pools,
        null,
        clock,
        scanInterval,
        grace,
        environment,
        secretsDir,
        null,
        null,
        null);
  }

  public static ServerOptions defaults(Path home) {
    return new ServerOptions(
        null, 8080, home, null, null, null, null, null, null, null, null, null);
  }

  /** These options with this node id and lease timing. */
  public ServerOptions withCluster(ClusterSettings c) {
    return copy(x -> x.cluster = c);
  }

  /** These options loading and watching the flows of {@code dir}. */
  public ServerOptions withFlowsDir(Path dir) {
    return copy(x -> x.flowsDir = dir);
  }

  /** The same options with this environment (what secrets and tasks see). */
  public ServerOptions withEnvironment(Map<String, String> env) {
    return copy(x -> x.environment = env);
  }

  /** The same options with these pool sizes. */
  public ServerOptions withPools(Map<String, Integer> sizes) {
    return copy(x -> x.pools = sizes);
  }

  /** These options, sending lineage to {@code lineage}. */
  public ServerOptions withLineage(LineageConfig lineage) {
    return copy(x -> x.lineage = lineage);
  }

  public ServerOptions withObservability(Observability o) {
    return copy(x -> x.observability = o);
  }

  /** These options with other alert settings. */
  public ServerOptions withAlerts(AlertSettings settings) {
    return copy(x -> x.alerts = settings);
  }

  /** These options with other pools and circuit-breaker settings. */
  public ServerOptions withGates(
      Map<String, Integer> pools, CircuitBreakers.Settings circuitBreaker) {
    return copy(x -> {
      x.pools = pools;
      x.circuitBreaker = circuitBreaker;
    });
  }

  /** These options with another time source. */
  public ServerOptions withClock(InstantSource clock) {
    return copy(x -> x.clock = clock);
  }

  /** These options with another process environment and secrets directory. */
  public ServerOptions withEnvironment(Map<String, String> environment, Path secretsDir) {
    return copy(x -> {
      x.environment = environment;
      x.secretsDir = secretsDir;
    });
  }

  /** These options with another state store. */
  public ServerOptions withDb(String dbUrl) {
    return withStore(dbUrl == null ? null : StoreAddress.of(dbUrl));
  }

  /** These options with another state store, its user and password apart from its URL. */
  public ServerOptions withStore(StoreAddress store) {
    return copy(x -> x.store = store);
  }

  public Path deployDir() {
    return flowsDir != null ? flowsDir : home.resolve("flows");
  }

  /**
   * Without the values that may be secret: the API tokens are counted, the environment (which holds
   * {@code WEIR_SECRET_*}) is counted, the store address prints itself masked.
   */
  @Override
  public String toString() {
    return "ServerOptions[host="
        + host
        + ", port="
        + port
        + ", home="
        + home
        + ", store="
        + store
        + ", flowsDir="
        + flowsDir
        + ", tokens="
        + tokens.size()
        + " (not shown), pools="
        + pools
        + ", environment="
        + environment.size()
        + " variables (not shown), secretsDir="
        + secretsDir
        + "]";
  }

  /** These options with what {@code change} sets in a copy of them (the withers' one way). */
  private ServerOptions copy(Consumer<Copy> change) {
    Copy x = new Copy(this);
    change.accept(x);
    return x.options();
  }

  /** Every component of some options, to set some of and make new options of. */
  private static final class Copy {
    String host;
    int port;
    Path home;
    StoreAddress store;
    Path flowsDir;
    List<String> tokens;
    Map<String, Integer> pools;
    CircuitBreakers.Settings circuitBreaker;
    InstantSource clock;
    Duration scanInterval;
    Duration grace;
    Map<String, String> environment;
    Path secretsDir;
    LineageConfig lineage;
    Observability observability;
    AlertSettings alerts;
    ClusterSettings cluster;

    Copy(ServerOptions o) {
      host = o.host;
      port = o.port;
      home = o.home;
      store = o.store;
      flowsDir = o.flowsDir;
      tokens = o.tokens;
      pools = o.pools;
      circuitBreaker = o.circuitBreaker;
      clock = o.clock;
      scanInterval = o.scanInterval;
      grace = o.grace;
      environment = o.environment;
      secretsDir = o.secretsDir;
      lineage = o.lineage;
      observability = o.observability;
      alerts = o.alerts;
      cluster = o.cluster;
    }

    ServerOptions options() {
      return new ServerOptions(
          host,
          port,
          home,
          store,
          flowsDir,
          tokens,
          pools,
          circuitBreaker,
          clock,
          scanInterval,
          grace,
          environment,
          secretsDir,
          lineage,
          observability,
          alerts,
          cluster);
    }
  }
}
