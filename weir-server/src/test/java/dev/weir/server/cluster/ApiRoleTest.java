package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.server.ServerFixture;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node of role {@code api} serves the API and executes nothing: the runs asked of it, retried
 * through it or of a limited flow are stored for the node that executes runs, which takes them at
 * once (a signal) and runs them.
 */
class ApiRoleTest {
  @TempDir Path dir;
  private String url;
  private final List<ServerFixture> nodes = new ArrayList<>();

  @BeforeEach
  void database() {
    url = TestDatabases.freshPostgresSchemaUrl();
  }

  @AfterEach
  void stop() {
    nodes.reversed().forEach(ServerFixture::close);
  }

  private ServerFixture node(String id, NodeRole role) throws Exception {
    var fx = new ServerFixture(dir.resolve(id));
    nodes.add(fx);
    Path flag = dir.resolve("failed-once");
    fx.writeFlow(
        "hello.yaml",
        """
        id: hello
        namespace: cluster
        tasks:
          - id: greet
            type: shell
            command: echo "hello from $(basename $(dirname $PWD))"
        """);
    fx.writeFlow(
        "flaky.yaml",
        """
        id: flaky
        namespace: cluster
        tasks:
          - id: once
            type: shell
            command: |
              if [ ! -f %s ]; then touch %s; exit 1; fi
              echo recovered
        """
            .formatted(flag, flag));
    fx.writeFlow(
        "limited.yaml",
        """
        id: limited
        namespace: cluster
        concurrency: {limit: 1, onLimit: queue}
        tasks:
          - id: wait
            type: shell
            command: sleep 0.2
        """);
    fx.start(
        fx.options()
            .withStore(StoreAddress.of(url))
            .withCluster(
                new ClusterSettings(id, Duration.ofSeconds(30), Duration.ofSeconds(10))
                    .withWork(role, Set.of(), 0)));
    return fx;
  }

  @Test
  void runs_asked_of_an_api_node_run_on_a_node_that_executes_runs() throws Exception {
    ServerFixture runner = node("runner", NodeRole.ALL);
    ServerFixture api = node("api", NodeRole.API);

    var answer = api.post("/flows/cluster/hello/runs", "{}");
    assertThat(answer.status()).isEqualTo(202);
    String runId = answer.json().path("runId").asText();
    var run = api.awaitRun(runId);
    assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    assertThat(run.path("owner").asText("")).doesNotStartWith("api#");
    assertThat(runner.get("/runs/" + runId + "/logs").body()).contains("hello from");

    var limited = new ArrayList<String>();
    for (int i = 0; i < 3; i++) {
      limited.add(api.post("/flows/cluster/limited/runs", "{}").json().path("runId").asText());
    }
    for (String id : limited) {
      assertThat(api.awaitRun(id).path("state").asText()).isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void a_retry_asked_of_an_api_node_runs_elsewhere_and_a_resume_is_refused_saying_why()
      throws Exception {
    node("runner", NodeRole.ALL);
    ServerFixture api = node("api", NodeRole.API);

    String runId = api.post("/flows/cluster/flaky/runs", "{}").json().path("runId").asText();
    assertThat(api.awaitRun(runId).path("state").asText()).isEqualTo("FAILED");

    var retried = api.post("/runs/" + runId + "/retry", "{}");
    assertThat(retried.status()).as(retried.body()).isLessThan(300);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String state;
    do {
      Thread.sleep(100);
      state = api.get("/runs/" + runId).json().path("state").asText();
      assertThat(System.nanoTime()).as("retried in time (%s)", state).isLessThan(deadline);
    } while (!state.equals("SUCCEEDED"));

    var resumed = api.post("/runs/" + runId + "/resume", "{}");
    assertThat(resumed.status()).isGreaterThanOrEqualTo(400);
  }

  @Test
  void an_api_node_without_postgresql_is_refused() throws Exception {
    var fx = new ServerFixture(dir.resolve("h2"));
    nodes.add(fx);
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
            fx.start(
                fx.options()
                    .withCluster(ClusterSettings.DEFAULTS.withWork(NodeRole.API, Set.of(), 0))))
        .hasMessageContaining("--role api")
        .hasMessageContaining("PostgreSQL");
  }
}
