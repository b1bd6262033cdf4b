package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.engine.gate.CircuitBreakers.State;
import dev.weir.engine.gate.ClusterBreakers;
import dev.weir.server.ServerFixture;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of one PostgreSQL with a circuit breaker that opens after 2 connection failures: one
 * failure on each node opens it, and a task of either node then waits QUEUED.
 */
class ClusterBreakerTest {
  @TempDir Path dir;
  private final List<ServerFixture> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(ServerFixture::close);
  }

  private String start(ServerFixture node, String flow) {
    return node.post("/flows/cluster/" + flow + "/runs", "{}").json().path("runId").asText();
  }

  @Test
  void a_connection_failure_on_each_of_two_nodes_opens_the_circuit_for_both() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    for (int i = 1; i <= 2; i++) {
      var fx = new ServerFixture(dir.resolve("n" + i));
      fx.writeFlow(
          "down.yaml",
          """
          id: down
          namespace: cluster
          tasks:
            - {id: t, type: test.fail, connection: warehouse, connectionFailure: true}
          """);
      fx.writeFlow(
          "ok.yaml",
          """
          id: ok
          namespace: cluster
          tasks:
            - {id: t, type: test.ok, connection: warehouse}
          """);
      fx.start(
          fx.options()
              .withStore(StoreAddress.of(url))
              .withGates(Map.of(), new CircuitBreakers.Settings(2, Duration.ofMinutes(5)))
              .withCluster(
                  new ClusterSettings("n" + i, Duration.ofSeconds(30), Duration.ofSeconds(5))));
      nodes.add(fx);
    }
    ServerFixture one = nodes.get(0);
    ServerFixture two = nodes.get(1);
    assertThat(two.server.gates().breakers()).isInstanceOf(ClusterBreakers.class);

    assertThat(one.awaitRun(start(one, "down")).path("state").asText()).isEqualTo("FAILED");
    assertThat(two.server.gates().breakers().state("warehouse")).isEqualTo(State.CLOSED);
    assertThat(two.awaitRun(start(two, "down")).path("state").asText()).isEqualTo("FAILED");
    assertThat(one.server.gates().breakers().state("warehouse")).isEqualTo(State.OPEN);

    String waiting = start(one, "ok");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() ->
            one.get("/runs/" + waiting + "/logs")
                .json()
                .path("lines")
                .toString()
                .contains(
                    "connection 'warehouse' circuit open after 2 consecutive connection failures"
                        + " across the cluster; waiting "));
    assertThat(one.get("/runs/" + waiting).json().path("tasks").get(0).path("state").asText())
        .isEqualTo("QUEUED");
    var metrics =
        two.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + two.server.port() + "/metrics"))
                .header("Authorization", "Bearer " + ServerFixture.TOKEN)
                .GET());
    assertThat(metrics.body()).contains("weir_circuit_breaker_state{connection=\"warehouse\"} 2.0");
  }
}
