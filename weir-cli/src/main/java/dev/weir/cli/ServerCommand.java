package dev.weir.cli;

import dev.weir.server.ServerConfigFile;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import dev.weir.server.cluster.ClusterSettings;
import dev.weir.server.cluster.NodeRole;
import dev.weir.store.StoreAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "server",
    description =
        "Run the Weir server: load and watch flows, fire their triggers, serve the REST API.")
final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--flows",
      paramLabel = "DIR",
      defaultValue = "${env:WEIR_FLOWS}",
      description =
          "Directory of flow files to load and watch (env WEIR_FLOWS; default: <home>/flows).")
  Path flows;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "${env:WEIR_PORT}",
      description = "HTTP port (env WEIR_PORT; default: 8080).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      defaultValue = "${env:WEIR_HOST}",
      description =
          "Address to bind (env WEIR_HOST; default: 127.0.0.1; 0.0.0.0 for every interface).")
  String host;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      defaultValue = "${env:WEIR_DB}",
      description =
          "State store (env WEIR_DB; default: H2 in the home), e.g."
              + " jdbc:postgresql://host/weir?user=weir; may use {{ secret('NAME') }}")
  String db;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "Weir's home: the H2 store and staging data (default: .weir beside the nearest"
              + " weir.yaml upward from the flows, then from here; else $WEIR_HOME, else ~/.weir).")
  Path home;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "${env:WEIR_CONFIG}",
      description =
          "Server config (YAML; env WEIR_CONFIG): host, port, db, flows, tokens, pools,"
              + " circuitBreaker, grace, lineage, logs, metrics, alerts.")
  Path config;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      defaultValue = "${env:WEIR_LOG_FORMAT}",
      description =
          "The server's own log on stderr: text (default) or JSON lines (env WEIR_LOG_FORMAT).")
  String logFormat;

  @Mixin ClusterOptions clusterOptions = new ClusterOptions();

  @Option(
      names = "--role",
      paramLabel = "all|scheduler|api|worker",
      defaultValue = "${env:WEIR_ROLE}",
      description =
          "What this node does (env WEIR_ROLE; default: all). scheduler: the API, schedules,"
              + " triggers and runs, every task handed to workers; api: the API and UI only, its"
              + " runs executed by the other nodes; worker: only tasks (as `weir worker`).")
  String role;

  @Override
  public Integer call() throws InterruptedException {
    JsonConsoleLog json = JsonConsoleLog.installIfAsked(spec, logFormat);
    var options = options(); // before logging is set up: a wrong config file fails at once
    if (options.cluster().role() == NodeRole.WORKER) {
      return WorkerCommand.run(spec, options, json);
    }
    LogSetup.forServer(
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory(),
        json != null);
    dev.weir.server.api.Ports.requireFree(options.host(), options.port());
    PrintWriter out = spec.commandLine().getOut();
    WeirServer server =
        WeirServer.start(
            options,
            token -> {
              out.println("A new API token was made for this server. It is shown only now:");
              out.println();
              out.println("    " + token);
              out.println();
              out.println("Send it as `Authorization: Bearer <token>`; set WEIR_API_TOKENS or");
              out.println("`tokens:` in the server config to choose your own.");
              out.flush();
            });
    if (json != null) {
      json.useMasker(server.engine().masker());
    }
    out.printf(
        "Weir server on http://%s:%d/api/v1 (flows in %s, home %s)%n",
        options.host(), server.port(), options.deployDir(), options.home());
    out.printf(
        "Web UI: http://%s:%d/ (sign in with an API token)%n",
        browserHost(options.host()), server.port());
    // what the server's log says at INFO, which its console leaves out; skipped jars are WARNs
    server
        .plugins()
        .loaded()
        .forEach(j ->
            out.printf(
                "Plugin %s: %s%n",
                j.jar(),
                String.join(", ", j.types().stream().map(dev.weir.task.TaskType::name).toList())));
    out.flush();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "weir-server-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The server's options: each from its flag, else its environment variable ({@link
   * EnvironmentDefaults}), else the config file, else the default.
   */
  ServerOptions options() {
    Surroundings surroundings = Surroundings.of(spec);
    ServerConfigFile file =
        config == null
            ? ServerConfigFile.empty()
            : ServerConfigFile.load(surroundings.resolve(config));
    var tokens = new ArrayList<>(file.tokens());
    String env = surroundings.env("WEIR_API_TOKENS");
    if (env != null) {
      tokens.addAll(
          Arrays.stream(env.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
    }
    Path flowsDir = flows != null ? surroundings.resolve(flows) : file.flows();
    Path h = Home.resolve(surroundings, home, flowsDir).dir();
    String secretsDir = surroundings.env("WEIR_SECRETS_DIR");
    return new ServerOptions(
        host != null ? host : file.host(),
        port != null ? port : file.port() != null ? file.port() : 8080,
        h,
        db != null ? StoreAddress.of(db) : file.db(),
        flowsDir,
        tokens,
        file.pools(),
        file.circuitBreaker(),
        null,
        null,
        file.grace(),
        surroundings.env(),
        secretsDir == null ? null : surroundings.resolve(Path.of(secretsDir)),
        file.lineage(),
        file.observability(),
        file.alerts(),
        cluster());
  }

  private ClusterSettings cluster() {
    NodeRole r;
    try {
      r = role == null ? NodeRole.ALL : NodeRole.parse(role);
    } catch (RuntimeException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    return clusterOptions.settings(spec, r);
  }

  /** What a browser on this machine opens for a server bound to all interfaces. */
  static String browserHost(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }
}
