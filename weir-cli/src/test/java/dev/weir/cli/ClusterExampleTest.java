package dev.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/cluster for real: its start-cluster.sh starts three node JVMs on a fresh PostgreSQL
 * schema (the script's {@code weir} is a wrapper running this test's class path), a run of the
 * example flow succeeds on node 2, node 1 killed with {@code kill -9} leaves the others answering,
 * and stop-cluster.sh ends every node.
 */
class ClusterExampleTest {
  private static final String TOKEN = "cluster-example-test-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Integer> ports = new ArrayList<>();
  private Path example;
  private final List<Long> started = new ArrayList<>();

  /** Kills what is left of the nodes, also when the test failed before stop-cluster.sh. */
  @AfterEach
  void killLeftovers() throws Exception {
    if (example == null) {
      return;
    }
    var all = new java.util.LinkedHashSet<>(started);
    all.addAll(pids());
    all.addAll(workerPids());
    for (long pid : all) {
      ProcessHandle.of(pid)
          .filter(p -> p.info().commandLine().map(c -> c.contains("weir")).orElse(true))
          .ifPresent(ProcessHandle::destroyForcibly);
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    for (long pid : all) {
      while (running(pid) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
    }
  }

  @Test
  void three_nodes_run_the_flow_survive_a_killed_node_and_stop() throws Exception {
    if (!Files.isExecutable(Path.of("/bin/sh"))) {
      org.junit.jupiter.api.Assumptions.abort("no /bin/sh to run examples/cluster's scripts");
    }
    String db = TestDatabases.freshPostgresSchemaUrl(); // skips without PostgreSQL
    example = copyExample();
    for (int i = 0; i < 3; i++) {
      int port;
      do {
        port = ClusterNodes.freePort();
      } while (ports.contains(port));
      ports.add(port);
    }
    var env =
        Map.of(
            "WEIR_DB",
            db,
            "WEIR_API_TOKENS",
            TOKEN,
            "WEIR_CMD",
            wrapper().toString(),
            "WEIR_CLUSTER_PORTS",
            ports.get(0) + " " + ports.get(1) + " " + ports.get(2),
            "WEIR_LEASE",
            "3s",
            "WEIR_HEARTBEAT",
            "500ms");

    String out = script("start-cluster.sh", env, 180);
    assertThat(out).contains("every node answers");
    started.addAll(pids());
    assertThat(started).hasSize(3);
    for (int port : ports) {
      waitUntil(() -> get(port, "/flows/cluster/hello").statusCode() == 200, "flow on " + port);
    }

    String runId = startRun(ports.get(1));
    waitUntil(
        () -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state(ports.get(1), runId)),
        "run " + runId + " to end");
    assertThat(state(ports.get(1), runId)).as(logs()).isEqualTo("SUCCEEDED");

    long n1 = pids().get(0);
    new ProcessBuilder("kill", "-9", Long.toString(n1)).start().waitFor(10, TimeUnit.SECONDS);
    waitUntil(() -> !running(n1), "n1 to die");
    assertThat(running(n1)).as("n1 after kill -9").isFalse();
    for (int port : ports.subList(1, 3)) {
      assertThat(get(port, "/health").statusCode()).isEqualTo(200);
      assertThat(state(port, runId)).isEqualTo("SUCCEEDED");
    }

    // the flow file is where a node writes a revision it takes from another: no second copy
    assertThat(logs()).doesNotContain("cannot be loaded").doesNotContain("defined twice");
    try (Stream<Path> files = Files.walk(example.resolve("flows"))) {
      assertThat(files.filter(Files::isRegularFile).map(f -> example.relativize(f).toString()))
          .containsExactly("flows/cluster/hello.yaml");
    }

    List<Long> before = pids();
    String stopped = script("stop-cluster.sh", Map.of(), 120);
    assertThat(stopped).contains("every node stopped");
    for (long pid : before) {
      assertThat(running(pid)).as("node pid %d after stop-cluster.sh", pid).isFalse();
    }
    assertThat(pids()).isEmpty();
  }

  @Test
  void with_workers_every_task_runs_on_a_worker_and_stop_ends_them_too() throws Exception {
    if (!Files.isExecutable(Path.of("/bin/sh"))) {
      org.junit.jupiter.api.Assumptions.abort("no /bin/sh to run examples/cluster's scripts");
    }
    String db = TestDatabases.freshPostgresSchemaUrl(); // skips without PostgreSQL
    example = copyExample();
    for (int i = 0; i < 3; i++) {
      int port;
      do {
        port = ClusterNodes.freePort();
      } while (ports.contains(port));
      ports.add(port);
    }
    var env =
        Map.of(
            "WEIR_DB",
            db,
            "WEIR_API_TOKENS",
            TOKEN,
            "WEIR_CMD",
            wrapper().toString(),
            "WEIR_CLUSTER_PORTS",
            ports.get(0) + " " + ports.get(1) + " " + ports.get(2),
            "WEIR_CLUSTER_WORKERS",
            "2");

    String out = script("start-cluster.sh", env, 180);
    assertThat(out).contains("started worker w1").contains("started worker w2");
    started.addAll(pids());
    started.addAll(workerPids());
    assertThat(workerPids()).hasSize(2);
    waitUntil(() -> get(ports.get(0), "/flows/cluster/hello").statusCode() == 200, "the flow");

    String runId = startRun(ports.get(0));
    waitUntil(
        () -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state(ports.get(0), runId)),
        "run " + runId + " to end");
    assertThat(state(ports.get(0), runId)).as(logs()).isEqualTo("SUCCEEDED");
    String runLog = get(ports.get(0), "/runs/" + runId + "/logs").body();
    assertThat(runLog.split("runs on worker w", -1)).as(runLog).hasSize(4); // its three tasks

    List<Long> before = new ArrayList<>(pids());
    before.addAll(workerPids());
    assertThat(script("stop-cluster.sh", Map.of(), 120)).contains("every node stopped");
    for (long pid : before) {
      assertThat(running(pid)).as("pid %d after stop-cluster.sh", pid).isFalse();
    }
  }

  private List<Long> workerPids() throws IOException {
    var pids = new ArrayList<Long>();
    for (String id : List.of("w1", "w2")) {
      Path f = example.resolve(".nodes").resolve(id).resolve("pid");
      if (Files.exists(f)) {
        pids.add(Long.parseLong(Files.readString(f).trim()));
      }
    }
    return pids;
  }

  /** Runs one of the example's scripts; its output, or a failure with it. */
  private String script(String name, Map<String, String> env, int seconds) throws Exception {
    var pb =
        new ProcessBuilder("/bin/sh", example.resolve(name).toString())
            .directory(example.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".out").toFile());
    pb.environment().remove("WEIR_HOME");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(name + " took more than " + seconds + " s\n" + logs());
    }
    String out = Files.readString(dir.resolve(name + ".out"));
    assertThat(p.exitValue()).as(name + ":\n" + out + logs()).isZero();
    return out;
  }

  /**
   * The {@code weir} the script runs (WEIR_CMD): this test's class path in a new JVM, as {@link
   * Cli#child} starts it, with the test directory as the user's home.
   */
  private Path wrapper() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path args = dir.resolve("java.args");
    Files.writeString(
        args,
        String.join(
            "\n",
            "--enable-native-access=ALL-UNNAMED",
            quoted("-Duser.home=" + dir),
            "-cp",
            quoted(System.getProperty("java.class.path")),
            Main.class.getName()));
    Path weir = dir.resolve("weir");
    Files.writeString(weir, "#!/bin/sh\nexec '" + java + "' @'" + args + "' \"$@\"\n");
    Files.setPosixFilePermissions(weir, PosixFilePermissions.fromString("rwx------"));
    return weir;
  }

  private static String quoted(String arg) {
    return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private Path copyExample() throws IOException {
    Path src = Path.of("../examples/cluster").toAbsolutePath().normalize();
    Path dst = dir.resolve("cluster");
    try (Stream<Path> walk = Files.walk(src)) {
      for (Path p : walk.toList()) {
        String rel = src.relativize(p).toString();
        if (rel.startsWith(".nodes")) {
          continue; // someone's local cluster
        }
        Files.copy(p, dst.resolve(rel));
      }
    }
    return dst;
  }

  /** Whether {@code pid} runs: not gone, and not a zombie its new parent has not reaped yet. */
  private static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (Files.exists(stat)) {
      try {
        String s = Files.readString(stat);
        char state = s.charAt(s.lastIndexOf(')') + 2);
        if (state == 'Z' || state == 'X') {
          return false;
        }
      } catch (IOException e) {
        return false; // it went away while read
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The pids in the nodes' pid files, n1 first. */
  private List<Long> pids() throws IOException {
    var pids = new ArrayList<Long>();
    for (String id : List.of("n1", "n2", "n3")) {
      Path f = example.resolve(".nodes").resolve(id).resolve("pid");
      if (Files.exists(f)) {
        pids.add(Long.parseLong(Files.readString(f).trim()));
      }
    }
    return pids;
  }

  private String startRun(int port) throws Exception {
    var r =
        http.send(
            request(port, "/flows/cluster/hello/runs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"seconds\": 1}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    return JSON.readTree(r.body()).get("runId").asText();
  }

  private String state(int port, String runId) throws Exception {
    HttpResponse<String> r = get(port, "/runs/" + runId);
    JsonNode run = JSON.readTree(r.body());
    return r.statusCode() == 200 ? run.path("state").asText() : "HTTP " + r.statusCode();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(request(port, path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1" + path))
        .header("Authorization", "Bearer " + TOKEN)
        .timeout(Duration.ofSeconds(10));
  }

  private void waitUntil(Cli.Check check, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (IOException e) {
        // not answering yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "\n" + logs());
      }
      Thread.sleep(100);
    }
  }

  /** Every node's log, for a failing assertion. */
  private String logs() {
    var out = new StringBuilder();
    for (String id : List.of("n1", "n2", "n3")) {
      Path log = example.resolve(".nodes").resolve(id).resolve("server.log");
      try {
        out.append("---- ").append(id).append('\n').append(Files.readString(log));
      } catch (IOException e) {
        out.append("---- ").append(id).append(": ").append(e).append('\n');
      }
    }
    return out.toString();
  }
}
