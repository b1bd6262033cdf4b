package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server nodes on one PostgreSQL, each with a flows directory of its own: one watches its directory
 * for the cluster (the flows lease), and every node runs the revisions any node stored, within a
 * few seconds.
 */
class ClusterFlowsTest {
  private static final String FLOW =
      """
      id: hello
      namespace: cluster
      tasks:
        - {id: say, type: log, message: "%s"}
      """;

  @TempDir Path dir;
  private final List<ServerFixture> nodes = new ArrayList<>();
  private String url;

  @AfterEach
  void stop() {
    nodes.forEach(ServerFixture::close);
  }

  private ServerFixture node(int i) throws Exception {
    var fx = new ServerFixture(dir.resolve("n" + i));
    fx.start(
        fx.options()
            .withStore(StoreAddress.of(url))
            .withCluster(
                new ClusterSettings("n" + i, Duration.ofSeconds(30), Duration.ofSeconds(5))));
    nodes.add(fx);
    return fx;
  }

  private static String message(ServerFixture fx) {
    var r = fx.get("/flows/cluster/hello");
    return r.status() == 200 ? r.json().path("source").asText() : "";
  }

  private static void within5s(ServerFixture fx, String expectedText) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> message(fx).contains(expectedText));
  }

  @Test
  void a_flow_deployed_on_one_node_runs_on_another_within_5_s() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    ServerFixture n1 = node(1); // takes the flows lease: it watches its directory
    ServerFixture n2 = node(2);
    ServerFixture n3 = node(3);

    var listed = n2.get("/cluster/nodes").json().path("nodes");
    assertThat(listed).hasSize(3);
    assertThat(listed.get(0).path("id").asText()).isEqualTo("n1");
    assertThat(listed.get(0).path("alive").asBoolean()).isTrue();
    assertThat(listed.get(1).path("self").asBoolean()).isTrue();
    assertThat(n1.get("/cluster/nodes").json().path("nodes").get(0).path("leadsFlows").asBoolean())
        .isTrue();

    var deployed = n2.post("/flows", FLOW.formatted("from n2"), "application/x-yaml");
    assertThat(deployed.status()).as(deployed.body()).isBetween(200, 201);
    within5s(n3, "from n2");
    within5s(n1, "from n2");
    // the watching node keeps the text in its directory: a restart there does not go back
    assertThat(Files.readString(n1.flowsDir.resolve("cluster/hello.yaml"))).contains("from n2");

    String runId = n3.post("/flows/cluster/hello/runs", "{}").json().path("runId").asText();
    assertThat(n3.awaitRun(runId).path("state").asText()).isEqualTo("SUCCEEDED");

    // an edit in the watched directory reaches the others as the next revision
    n1.writeFlow("cluster/hello.yaml", FLOW.formatted("edited on n1"));
    within5s(n2, "edited on n1");
    within5s(n3, "edited on n1");
    assertThat(n3.get("/flows/cluster/hello").json().path("revision").asInt()).isEqualTo(2);

    // a file edited on a node that does not watch its directory changes nothing
    n2.writeFlow("cluster/hello.yaml", FLOW.formatted("stray edit on n2"));
    Thread.sleep(500);
    assertThat(message(n3)).contains("edited on n1");

    // removed on the watching node: forgotten everywhere
    Files.delete(n1.flowsDir.resolve("cluster/hello.yaml"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> n3.get("/flows/cluster/hello").status() == 404);
  }

  @Test
  void when_the_watching_node_leaves_another_takes_its_place() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    ServerFixture n1 = node(1);
    ServerFixture n2 = node(2);
    n1.writeFlow("cluster/hello.yaml", FLOW.formatted("v1"));
    within5s(n2, "v1");

    n1.close(); // gives the flows lease up as it leaves
    nodes.remove(n1);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> n2.server.cluster().leadsFlows());
    n2.writeFlow("cluster/hello.yaml", FLOW.formatted("v2 on n2"));
    within5s(n2, "v2 on n2");
  }

  @Test
  void nodes_sharing_one_flows_directory_leave_its_files_as_they_are() throws Exception {
    url = TestDatabases.freshPostgresSchemaUrl();
    Path shared = Files.createDirectories(dir.resolve("shared-flows"));
    Files.writeString(shared.resolve("hello.yaml"), FLOW.formatted("shared"));
    for (int i = 1; i <= 3; i++) {
      var fx = new ServerFixture(dir.resolve("n" + i));
      fx.start(
          fx.options()
              .withFlowsDir(shared)
              .withStore(StoreAddress.of(url))
              .withCluster(
                  new ClusterSettings("n" + i, Duration.ofSeconds(30), Duration.ofSeconds(5))));
      nodes.add(fx);
    }
    for (ServerFixture n : nodes) {
      within5s(n, "shared");
    }
    Thread.sleep(500); // a few scans of every node
    try (var files = Files.walk(shared)) {
      assertThat(files.filter(Files::isRegularFile).map(shared::relativize).map(Path::toString))
          .containsExactly("hello.yaml"); // no copy at cluster/hello.yaml beside it
    }
  }

  @Test
  void a_flow_file_removed_and_put_back_as_it_was_stays_on_a_single_server() throws Exception {
    var fx = new ServerFixture(dir.resolve("single")); // H2: a cluster of one
    nodes.add(fx);
    Path file = fx.writeFlow("hello.yaml", FLOW.formatted("kept"));
    fx.start();
    within5s(fx, "kept");
    Files.delete(file);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> fx.get("/flows/cluster/hello").status() == 404);
    fx.writeFlow("hello.yaml", FLOW.formatted("kept")); // a `git checkout -` puts it back
    within5s(fx, "kept");
    Thread.sleep(500); // several scans
    assertThat(file).exists();
    assertThat(fx.get("/flows/cluster/hello").status()).isEqualTo(200);
  }
}
