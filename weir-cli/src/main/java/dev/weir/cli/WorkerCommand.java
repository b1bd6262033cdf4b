package dev.weir.cli;

import dev.weir.server.ServerConfigFile;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirWorker;
import dev.weir.server.cluster.ClusterSettings;
import dev.weir.server.cluster.NodeRole;
import dev.weir.store.StoreAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "worker",
    description =
        "Run a worker of a cluster: execute the task attempts the servers on the same PostgreSQL"
            + " hand to workers, and nothing else.")
final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      defaultValue = "${env:WEIR_DB}",
      description =
          "The cluster's state store, the servers' PostgreSQL (env WEIR_DB), e.g."
              + " jdbc:postgresql://host/weir?user=weir; may use {{ secret('NAME') }}")
  String db;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "Weir's home: the node id, plugins and staging data (default: $WEIR_HOME, else"
              + " ~/.weir).")
  Path home;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "${env:WEIR_CONFIG}",
      description = "Server config (YAML; env WEIR_CONFIG): its db is used when --db is not given.")
  Path config;

  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      defaultValue = "${env:WEIR_LOG_FORMAT}",
      description = "The worker's log on stderr: text (default) or JSON lines.")
  String logFormat;

  @Mixin ClusterOptions clusterOptions = new ClusterOptions();

  @Override
  public Integer call() throws InterruptedException {
    JsonConsoleLog json = JsonConsoleLog.installIfAsked(spec, logFormat);
    return run(spec, options(), json);
  }

  private ServerOptions options() {
    Surroundings surroundings = Surroundings.of(spec);
    ServerConfigFile file =
        config == null
            ? ServerConfigFile.empty()
            : ServerConfigFile.load(surroundings.resolve(config));
    StoreAddress store = db != null ? StoreAddress.of(db) : file.db();
    if (store == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "a worker needs the cluster's PostgreSQL store: give --db (or WEIR_DB), e.g."
              + " jdbc:postgresql://db.internal/weir?user=weir");
    }
    Path h = Home.resolve(surroundings, home, null).dir();
    String secretsDir = surroundings.env("WEIR_SECRETS_DIR");
    ClusterSettings cluster = clusterOptions.settings(spec, NodeRole.WORKER);
    return new ServerOptions(
        "127.0.0.1",
        0,
        h,
        store,
        null,
        List.of(),
        file.pools(),
        file.circuitBreaker(),
        null,
        null,
        file.grace(),
        surroundings.env(),
        secretsDir == null ? null : surroundings.resolve(Path.of(secretsDir)),
        null,
        null,
        null,
        cluster);
  }

  /** Runs a worker until the process is stopped (also `weir server --role worker`). */
  static int run(CommandSpec spec, ServerOptions options, JsonConsoleLog json)
      throws InterruptedException {
    LogSetup.forServer(
        (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory(),
        json != null);
    WeirWorker worker = WeirWorker.start(options);
    if (json != null) {
      json.useMasker(worker.masker()); // the worker's log never shows a secret it knows
    }
    PrintWriter out = spec.commandLine().getOut();
    ClusterSettings c = options.cluster();
    out.printf(
        "Weir worker %s (epoch %d): tasks of %s, up to %d at once (home %s)%n",
        worker.cluster().nodeId(),
        worker.cluster().epoch(),
        c.pools().isEmpty() ? "any pool" : "pools " + String.join(", ", c.pools()),
        c.slots(),
        options.home());
    out.flush();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                },
                "weir-worker-shutdown"));
    stopped.await();
    return 0;
  }
}
