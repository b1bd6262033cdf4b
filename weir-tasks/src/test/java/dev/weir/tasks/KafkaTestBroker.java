package dev.weir.tasks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) in a child JVM, for tests. The
 * child's classpath is the one weir-test-kafka resolves (Kafka's server jars with their own Scala,
 * Jackson and log4j), never the test's, so neither side's dependencies clash; and a separate
 * process can be killed with {@code kill -9} and started again on the same ports and data.
 *
 * <p>Start it once per test class ({@code @BeforeAll}), {@link #close} it in {@code @AfterAll}. The
 * broker also halts when the test JVM dies, and a shutdown hook kills it when the JVM exits without
 * {@code close}. Topics are not created on first use (as on most production clusters): tests create
 * them with {@link #createTopic}.
 */
public final class KafkaTestBroker implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  /** Set by weir-tasks' and weir-server's surefire configuration. */
  private static final String CLASSPATH_PROPERTY = "weir.test.kafka.classpath";

  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final String classpath;
  private final Thread hook = new Thread(this::kill, "kafka-test-broker-kill");
  private Process process;

  private KafkaTestBroker(Path dir, int port, int controllerPort, String classpath) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.classpath = classpath;
  }

  /** Formats a fresh data directory and starts the broker; returns once it answers. */
  public static KafkaTestBroker start() throws Exception {
    Path dir = Files.createTempDirectory("weir-kafka-");
    int[] ports = freePorts(2);
    var broker = new KafkaTestBroker(dir, ports[0], ports[1], classpath());
    Runtime.getRuntime().addShutdownHook(broker.hook);
    try {
      broker.writeConfig();
      broker.format();
      broker.launch();
    } catch (Exception | Error e) {
      broker.close();
      throw e;
    }
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Kills the broker at once (SIGKILL), as a crash would; its data stays for {@link #restart}. */
  public void kill() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts the broker again on the same ports and data (killing it first if it still runs). */
  public void restart() throws Exception {
    kill();
    launch();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Creates a topic with replication factor 1 and waits until it can be used. */
  public void createTopic(String name, int partitions) throws Exception {
    try (Admin admin = Admin.create(adminConfig())) {
      admin
          .createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or ran
    }
    deleteTree(dir);
  }

  private void writeConfig() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Map<String, String> config =
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", "1"),
            Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
            Map.entry(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
            Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("log.dirs", dir.resolve("data").toString()),
            Map.entry("auto.create.topics.enable", "false"),
            // one node: every internal topic with one replica, and few partitions to load
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"));
    var lines = new ArrayList<String>();
    config.forEach((k, v) -> lines.add(k + "=" + v));
    Files.write(dir.resolve("server.properties"), lines);
    Files.writeString(
        dir.resolve("log4j2.properties"),
        String.join(
            "\n",
            "appender.out.type=Console",
            "appender.out.name=out",
            "appender.out.layout.type=PatternLayout",
            "appender.out.layout.pattern=[%d] %p %m (%c)%n",
            "rootLogger.level=WARN",
            "rootLogger.appenderRef.out.ref=out",
            "logger.raft.name=kafka.server.KafkaRaftServer",
            "logger.raft.level=INFO",
            ""));
  }

  private void format() throws Exception {
    String clusterId = Uuid.randomUuid().toString();
    Process p =
        command(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                clusterId,
                "-c",
                dir.resolve("server.properties").toString())
            .redirectOutput(dir.resolve("format.out").toFile())
            .start();
    if (!p.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kafka-storage format did not end in " + STARTUP);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "kafka-storage format failed (exit " + p.exitValue() + "): " + tail("format.out"));
    }
  }

  private void launch() throws Exception {
    process =
        command(KafkaTestBrokerMain.class.getName(), dir.resolve("server.properties").toString())
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.out").toFile()))
            .start();
    long deadline = System.nanoTime() + STARTUP.toNanos();
    awaitListener(deadline); // before a client tries: it would log a warning per refused connect
    Properties quick = adminConfig();
    quick.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    quick.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    try (Admin admin = Admin.create(quick)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the Kafka test broker exited with "
                  + process.exitValue()
                  + " while starting: "
                  + tail("broker.out"));
        }
        try {
          admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
          return;
        } catch (Exception notYet) {
          if (System.nanoTime() > deadline) {
            kill();
            throw new IllegalStateException(
                "the Kafka test broker did not answer within "
                    + STARTUP
                    + " on "
                    + bootstrapServers()
                    + ": "
                    + tail("broker.out"));
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private void awaitListener(long deadline) throws Exception {
    while (System.nanoTime() < deadline && process.isAlive()) {
      try (var socket = new java.net.Socket()) {
        socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
  }

  private ProcessBuilder command(String mainClass, String... args) throws Exception {
    String launcher =
        Paths.get(
                KafkaTestBrokerMain.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .toString();
    var cmd = new ArrayList<String>();
    cmd.add(javaBinary());
    cmd.addAll(
        List.of(
            "-Xms64m",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xshare:auto",
            "-Djava.io.tmpdir=" + dir,
            "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
            "-cp",
            launcher + java.io.File.pathSeparator + classpath,
            mainClass));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
  }

  private Properties adminConfig() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  private String tail(String file) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no " + file + ": " + e.getMessage() + ")";
    }
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * The broker's classpath, written by weir-test-kafka's build. Found through the system property
   * surefire sets, or by looking up from the working directory (a test run from an IDE).
   */
  private static String classpath() throws IOException {
    String configured = System.getProperty(CLASSPATH_PROPERTY);
    if (configured != null && Files.isRegularFile(Paths.get(configured))) {
      return Files.readString(Paths.get(configured)).strip();
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("weir-test-kafka/target/kafka-server.classpath");
      if (Files.isRegularFile(candidate)) {
        return Files.readString(candidate).strip();
      }
    }
    throw new IllegalStateException(
        "no Kafka broker classpath at "
            + configured
            + "; build it with ./mvnw -pl weir-test-kafka generate-resources");
  }

  private static int[] freePorts(int n) throws IOException {
    var sockets = new ArrayList<ServerSocket>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: the directory is under target/tmp
    }
  }
}
