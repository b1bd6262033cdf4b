package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.server.ServerOptions;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes on one PostgreSQL wake each other by LISTEN/NOTIFY: with a heartbeat and a flow scan of 30
 * s, a queued run and a deployed flow reach another node at once; the listening session comes back
 * after it is cut; and without any signal, polling still gets there.
 */
class ClusterSignalsTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  /**
   * How soon a node acts on a signal in these tests: far below LONG (the scans and heartbeats that
   * would otherwise find the change), with room for a busy 2-core machine running both nodes.
   */
  private static final Duration SIGNALLED = Duration.ofSeconds(5);

  private static final String LIMITED =
      """
      id: limited
      namespace: cluster
      concurrency: {limit: 1, onLimit: queue}
      inputs:
        - {id: seconds, type: int, default: 0}
      tasks:
        - {id: wait, type: shell, command: "sleep {{ inputs.seconds }}"}
      """;
  private static final String HELLO =
      """
      id: hello
      namespace: cluster
      tasks:
        - {id: say, type: log, message: "%s"}
      """;

  @TempDir Path dir;
  private final List<ServerFixture> nodes = new ArrayList<>();
  // node ids of this test alone: other tests' clusters share the database (and its channel)
  private final String prefix = "sig" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
  private String url;

  @AfterEach
  void stop() {
    nodes.forEach(ServerFixture::close);
  }

  private ServerFixture node(int i, Duration lease, Duration heartbeat, Duration scan)
      throws Exception {
    var fx = new ServerFixture(dir.resolve("n" + i));
    if (i == 1) {
      fx.writeFlow("limited.yaml", LIMITED); // the first node watches its directory
    }
    ServerOptions o =
        fx.options()
            .withStore(StoreAddress.of(url))
            .withCluster(new ClusterSettings(nodeId(i), lease, heartbeat));
    fx.start(
        new ServerOptions(
            o.host(),
            o.port(),
            o.home(),
            o.store(),
            o.flowsDir(),
            o.tokens(),
            o.pools(),
            o.circuitBreaker(),
            o.clock(),
            scan,
            o.grace(),
            o.environment(),
            o.secretsDir(),
            o.lineage(),
            o.observability(),
            o.alerts(),
            o.cluster()));
    nodes.add(fx);
    return fx;
  }

  private String nodeId(int i) {
    return prefix + "-n" + i;
  }

  private ServerFixture quietNode(int i) throws Exception {
    return node(i, Duration.ofSeconds(90), LONG, LONG);
  }

  @Test
  void a_queued_run_starts_at_once_when_its_flow_has_room_again_on_another_node() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    ServerFixture n1 = quietNode(1);
    ServerFixture n2 = quietNode(2);
    assertThat(n2.get("/flows/cluster/limited").status()).isEqualTo(200); // taken at its start

    var first = n1.post("/flows/cluster/limited/runs", "{\"inputs\": {\"seconds\": 30}}").json();
    assertThat(first.path("outcome").asText()).as(first.toString()).isEqualTo("STARTED");
    String running = first.path("runId").asText();
    awaitSleeping(n1, running); // a cancel racing the run's own writes is refused (try again)
    var second = n2.post("/flows/cluster/limited/runs", "{}").json();
    assertThat(second.path("outcome").asText()).as(second.toString()).isEqualTo("QUEUED");
    String queued = second.path("runId").asText();

    // cancelled on n2 while n1 executes it: n1 hears of it only at its next write (after 30 s),
    // and no node would look at the queue before its heartbeat (30 s)
    long t0 = System.nanoTime();
    var cancel = n2.post("/runs/" + running + "/cancel", "{}");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !n2.get("/runs/" + queued).json().path("state").asText().equals("QUEUED"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("queued run started " + ms + " ms after the cancel on another node");
    assertThat(n2.awaitRun(queued).path("state").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void a_flow_deployed_on_one_node_is_taken_by_another_long_before_its_scan() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    ServerFixture n1 = quietNode(1);
    ServerFixture n2 = quietNode(2);

    long t0 = System.nanoTime();
    var deployed = n1.post("/flows", HELLO.formatted("v1"), "application/x-yaml");
    assertThat(deployed.status()).as(deployed.body()).isBetween(200, 201);
    within(SIGNALLED, () -> source(n2).contains("v1"));
    System.out.println(
        "deployed flow seen on n2 after " + (System.nanoTime() - t0) / 1_000_000 + " ms");

    assertThat(n1.post("/flows/cluster/hello/disable", "{}").status()).isEqualTo(200);
    within(SIGNALLED, () -> !n2.get("/flows/cluster/hello").json().path("enabled").asBoolean());
  }

  @Test
  void the_listening_session_comes_back_after_it_is_cut_and_catches_up() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    ServerFixture n1 = quietNode(1);
    ServerFixture n2 = quietNode(2);
    String name = "weir-signals " + nodeId(2);
    within(Duration.ofSeconds(5), () -> listener(name) != 0);
    int cut = listener(name);

    try (var c = DriverManager.getConnection(url);
        var ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
      ps.setInt(1, cut);
      ps.execute();
    }
    // said while n2 listens to nobody: heard of when it listens again (every kind acted on once)
    var deployed = n1.post("/flows", HELLO.formatted("while cut"), "application/x-yaml");
    assertThat(deployed.status()).as(deployed.body()).isBetween(200, 201);
    within(Duration.ofSeconds(5), () -> source(n2).contains("while cut"));

    within(Duration.ofSeconds(10), () -> listener(name) != 0 && listener(name) != cut);
    long t0 = System.nanoTime();
    n1.post("/flows", HELLO.formatted("after"), "application/x-yaml");
    within(SIGNALLED, () -> source(n2).contains("after"));
    System.out.println(
        "after the reconnect: seen on n2 after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
  }

  @Test
  void without_any_signal_polling_still_gets_there() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    Duration lease = Duration.ofSeconds(6);
    Duration heartbeat = Duration.ofSeconds(1);
    Duration scan = Duration.ofMillis(300);
    ServerFixture n1 = node(1, lease, heartbeat, scan);
    ServerFixture n2 = node(2, lease, heartbeat, scan);
    n1.server.signals().close();
    n2.server.signals().close();
    assertThat(listener("weir-signals " + nodeId(1))).isZero();
    assertThat(listener("weir-signals " + nodeId(2))).isZero();

    n1.post("/flows", HELLO.formatted("polled"), "application/x-yaml");
    within(Duration.ofSeconds(5), () -> source(n2).contains("polled"));

    var first = n1.post("/flows/cluster/limited/runs", "{\"inputs\": {\"seconds\": 30}}").json();
    assertThat(first.path("outcome").asText()).as(first.toString()).isEqualTo("STARTED");
    String running = first.path("runId").asText();
    awaitSleeping(n1, running); // a cancel racing the run's own writes is refused (try again)
    var second = n2.post("/flows/cluster/limited/runs", "{}").json();
    assertThat(second.path("outcome").asText()).as(second.toString()).isEqualTo("QUEUED");
    var cancel = n2.post("/runs/" + running + "/cancel", "{}");
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    // found at a heartbeat's round
    assertThat(n2.awaitRun(second.path("runId").asText()).path("state").asText())
        .isEqualTo("SUCCEEDED");
  }

  // the run's task is in its sleep: the run writes nothing until the sleep ends
  private static void awaitSleeping(ServerFixture fx, String runId) {
    within(
        Duration.ofSeconds(10),
        () -> {
          var run = fx.get("/runs/" + runId).json();
          return run.path("state").asText().equals("RUNNING")
              && run.path("tasks").path(0).path("state").asText().equals("RUNNING");
        });
  }

  private static String source(ServerFixture fx) {
    var r = fx.get("/flows/cluster/hello");
    return r.status() == 200 ? r.json().path("source").asText() : "";
  }

  // the backend pid of the session with this application_name, 0 when there is none
  private int listener(String applicationName) throws Exception {
    try (var c = DriverManager.getConnection(url);
        var ps =
            c.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE application_name = ? ORDER BY pid")) {
      ps.setString(1, applicationName);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  private static void within(Duration limit, Callable<Boolean> condition) {
    Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(20)).until(condition);
  }
}
