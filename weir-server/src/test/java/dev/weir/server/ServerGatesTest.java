package dev.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's pools and circuit breaker, from its options to the tasks of its flows. */
class ServerGatesTest {
  @TempDir Path dir;
  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    TestTasks.reset();
    fx = new ServerFixture(dir);
    fx.writeFlow(
        "load_a.yaml",
        """
        id: load_a
        tasks:
          - {id: load, type: test.block, latch: go, pool: warehouse}
        """);
    fx.writeFlow(
        "load_b.yaml",
        """
        id: load_b
        tasks:
          - {id: load, type: test.block, latch: go, pool: warehouse}
        """);
    fx.writeFlow(
        "typo.yaml",
        """
        id: typo
        tasks:
          - {id: load, type: test.ok, pool: wharehouse}
        """);
    ServerOptions o = fx.options();
    fx.server =
        WeirServer.start(
            o.withGates(
                Map.of("warehouse", 1), new CircuitBreakers.Settings(3, Duration.ofSeconds(30))),
            token -> {});
  }

  @AfterEach
  void stop() {
    TestTasks.open("go");
    fx.close();
  }

  private String startRun(String flow) {
    var r = fx.post("/flows/default/" + flow + "/runs", "{}");
    assertThat(r.status()).isEqualTo(202);
    return r.json().path("runId").asText();
  }

  @Test
  void the_engine_gets_the_configured_pools_and_breaker() {
    assertThat(fx.server.gates().pools().sizes()).isEqualTo(Map.of("warehouse", 1));
    assertThat(fx.server.gates().breakers().settings())
        .isEqualTo(new CircuitBreakers.Settings(3, Duration.ofSeconds(30)));
  }

  @Test
  void a_pool_limits_tasks_of_different_flows_and_a_waiting_task_shows_queued() {
    String a = startRun("load_a");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);
    String b = startRun("load_b");
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            fx.get("/runs/" + b + "/logs")
                .json()
                .path("lines")
                .toString()
                .contains("waiting for pool 'warehouse' (1/1 in use)"));
    assertThat(fx.get("/runs/" + b).json().path("tasks").get(0).path("state").asText())
        .isEqualTo("QUEUED");

    TestTasks.open("go");
    assertThat(fx.awaitRun(a).path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(fx.awaitRun(b).path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(TestTasks.MAX_INSIDE.get()).isEqualTo(1);
  }

  @Test
  void a_task_naming_a_pool_the_server_does_not_define_fails_naming_the_defined_ones() {
    var run = fx.awaitRun(startRun("typo"));
    assertThat(run.path("state").asText()).isEqualTo("FAILED");
    assertThat(run.path("error").asText())
        .isEqualTo(
            "task 'load' failed: pool 'wharehouse' is not defined in the server config (defined"
                + " pools: warehouse (1)); add it to the server config, e.g. `pools: {wharehouse:"
                + " 4}`, or remove `pool:` from the task");
  }
}
