package dev.weir.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code weir server} nodes in JVMs of their own on one PostgreSQL schema, for the cluster tests:
 * each with its own home, port and node id, all loading one flows directory.
 */
final class ClusterNodes implements AutoCloseable {
  static final String TOKEN = "cluster-test-token";

  /** One node process. */
  record Node(String id, Path dir, int port, Process process) {
    String log() throws IOException {
      return Files.readString(dir.resolve("child.out"))
          + Files.readString(dir.resolve("child.err"));
    }

    void signal(String signal) throws Exception {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
    }
  }

  private final Path root;
  private final String dbUrl;
  private final Path flows;
  private final Duration lease;
  private final Duration heartbeat;
  private final List<Node> nodes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  ClusterNodes(Path root, String dbUrl, Path flows, Duration lease, Duration heartbeat) {
    this.root = root;
    this.dbUrl = dbUrl;
    this.flows = flows;
    this.lease = lease;
    this.heartbeat = heartbeat;
  }

  private String waitPath = "/health";
  private Path staging;

  /** Nodes started from now on stage datasets in {@code dir}, shared by all. */
  ClusterNodes staging(Path dir) {
    this.staging = dir;
    return this;
  }

  private List<String> serverArgs = List.of();

  /** Nodes started from now on get these arguments too (e.g. {@code --role scheduler}). */
  ClusterNodes serverArgs(String... args) {
    this.serverArgs = List.of(args);
    return this;
  }

  /**
   * Starts {@code weir worker} processes w1…wN (their ids after {@code prefix}) and waits until
   * each joined the cluster.
   */
  List<Node> startWorkers(int n, String prefix, String... args) throws Exception {
    var started = new ArrayList<Node>();
    for (int i = 1; i <= n; i++) {
      String id = prefix + i;
      Path dir = Files.createDirectories(root.resolve(id));
      var cmd =
          new ArrayList<>(
              List.of(
                  "worker",
                  "--db",
                  dbUrl,
                  "--home",
                  dir.resolve("home").toString(),
                  "--node-id",
                  id,
                  "--lease",
                  lease.toMillis() + "ms",
                  "--heartbeat",
                  heartbeat.toMillis() + "ms"));
      cmd.addAll(List.of(args));
      var env = new java.util.HashMap<String, String>();
      if (staging != null) {
        env.put("WEIR_STAGING", staging.toString());
      }
      Process p = Cli.child(dir, env, cmd.toArray(String[]::new));
      Node node = new Node(id, dir, 0, p);
      nodes.add(node);
      started.add(node);
    }
    for (Node node : started) {
      Cli.waitFor(
          node.dir(),
          node.process(),
          () -> Files.readString(node.dir().resolve("child.out")).contains("Weir worker"));
    }
    return started;
  }

  /** Starts nodes n1…nN and waits until each answers {@code path} (a flow it must have loaded). */
  List<Node> start(int n, String path) throws Exception {
    waitPath = path;
    for (int i = 1; i <= n; i++) {
      String id = "n" + i;
      Path dir = Files.createDirectories(root.resolve(id));
      int port = freePort();
      var env = new java.util.HashMap<String, String>(Map.of("WEIR_API_TOKENS", TOKEN));
      if (staging != null) {
        env.put("WEIR_STAGING", staging.toString());
      }
      var cmd =
          new ArrayList<>(
              List.of(
                  "server",
                  "--db",
                  dbUrl,
                  "--home",
                  dir.resolve("home").toString(),
                  "--flows",
                  flows.toString(),
                  "--port",
                  Integer.toString(port),
                  "--node-id",
                  id,
                  "--lease",
                  lease.toMillis() + "ms",
                  "--heartbeat",
                  heartbeat.toMillis() + "ms"));
      cmd.addAll(serverArgs);
      Process p = Cli.child(dir, env, cmd.toArray(String[]::new));
      nodes.add(new Node(id, dir, port, p));
    }
    var servers = nodes.stream().filter(node -> node.port() > 0).toList();
    for (Node node : servers) {
      Cli.waitFor(node.dir(), node.process(), () -> answers(node));
    }
    return servers;
  }

  private boolean answers(Node node) {
    try {
      return get(node, "/health").statusCode() == 200 && get(node, waitPath).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  HttpResponse<String> get(Node node, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/api/v1" + path))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Starts a run on {@code node}; the answer's body, or null when the node did not answer. */
  String startRun(Node node, String namespace, String flow, String inputsJson) {
    try {
      var r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + node.port()
                              + "/api/v1/flows/"
                              + namespace
                              + "/"
                              + flow
                              + "/runs"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": " + inputsJson + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new AssertionError(
            "starting a run on " + node.id() + ": " + r.statusCode() + " " + r.body());
      }
      return r.body();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Every node's output, for a failing test's message. */
  String logs() {
    var out = new StringBuilder();
    for (Node node : nodes) {
      try {
        out.append("---- ").append(node.id()).append('\n').append(node.log());
      } catch (IOException e) {
        out.append("---- ").append(node.id()).append(": ").append(e).append('\n');
      }
    }
    return out.toString();
  }

  Connection db() throws SQLException {
    return DriverManager.getConnection(dbUrl);
  }

  static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    for (Node node : nodes) {
      node.signal("CONT"); // a stopped node cannot even die
      node.process().destroy();
    }
    for (Node node : nodes) {
      if (!node.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        node.process().destroyForcibly().waitFor();
      }
    }
  }
}
