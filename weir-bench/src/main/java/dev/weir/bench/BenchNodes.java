package dev.weir.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code weir server} cluster nodes as JVMs of their own, started from the runnable jar as an
 * operator would start them, all on one store and one flows directory. Closing stops them (SIGTERM,
 * then SIGKILL after 20 s), and a shutdown hook does the same if the benchmark is interrupted.
 */
final class BenchNodes implements AutoCloseable {
  /** One node process; its output goes to {@code dir/node.out} and {@code dir/node.err}. */
  record Node(String id, Path dir, int port, Process process) {
    String log() {
      try {
        return Files.readString(dir.resolve("node.out"))
            + Files.readString(dir.resolve("node.err"));
      } catch (IOException e) {
        return e.toString();
      }
    }

    /** CPU seconds (user + system) the process has used so far, from /proc; -1 when unknown. */
    double cpuSeconds() {
      try {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // clock ticks of 10 ms
      } catch (IOException | RuntimeException e) {
        return -1;
      }
    }
  }

  /** How each node JVM is started. */
  record Settings(
      Path jar, String heap, String db, Path flows, String lease, String heartbeat, String token) {}

  private final Path root;
  private final Settings settings;
  private final List<Node> nodes = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread hook = new Thread(this::stopAll, "bench-nodes-stop");

  BenchNodes(Path root, Settings settings) {
    this.root = root;
    this.settings = settings;
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts nodes n1…nN and waits until each answers {@code waitPath} of its API (at most 120 s).
   */
  List<Node> start(int n, String waitPath) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int i = 1; i <= n; i++) {
      String id = "n" + i;
      Path dir = Files.createDirectories(root.resolve(id));
      int port = freePort();
      var pb =
          new ProcessBuilder(
                  java,
                  "-Xmx" + settings.heap(),
                  "--enable-native-access=ALL-UNNAMED",
                  "-Duser.home=" + dir.toAbsolutePath(),
                  "-jar",
                  settings.jar().toString(),
                  "server",
                  "--db",
                  settings.db(),
                  "--home",
                  dir.resolve("home").toString(),
                  "--flows",
                  settings.flows().toString(),
                  "--port",
                  Integer.toString(port),
                  "--node-id",
                  id,
                  "--lease",
                  settings.lease(),
                  "--heartbeat",
                  settings.heartbeat())
              .directory(dir.toFile());
      pb.environment().remove("WEIR_HOME");
      pb.environment().put("WEIR_API_TOKENS", settings.token());
      pb.redirectOutput(dir.resolve("node.out").toFile());
      pb.redirectError(dir.resolve("node.err").toFile());
      nodes.add(new Node(id, dir, port, pb.start()));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (Node node : nodes) {
      while (!answers(node, "/health") || !answers(node, waitPath)) {
        if (!node.process().isAlive()) {
          throw new IllegalStateException("node " + node.id() + " exited:\n" + node.log());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("node " + node.id() + " did not answer:\n" + node.log());
        }
        Thread.sleep(100);
      }
    }
    return List.copyOf(nodes);
  }

  private boolean answers(Node node, String path) {
    try {
      var r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + node.port() + "/api/v1" + path))
                  .header("Authorization", "Bearer " + settings.token())
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (var s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void stopAll() {
    for (Node node : nodes) {
      node.process().destroy();
    }
    for (Node node : nodes) {
      try {
        if (!node.process().waitFor(20, TimeUnit.SECONDS)) {
          node.process().destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        node.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stopAll();
    nodes.clear();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs (and finds nothing left to stop)
    }
  }
}
