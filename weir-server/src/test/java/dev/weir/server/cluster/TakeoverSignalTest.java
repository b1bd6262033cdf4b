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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run cancelled on another node than the one executing it stops there at once: the cancelling
 * node's takeover is told by a signal, and the executing node checks its claim then, instead of at
 * its next write (which a long task puts off until it ends).
 */
class TakeoverSignalTest {
  @TempDir Path dir;
  private final List<ServerFixture> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.reversed().forEach(ServerFixture::close);
  }

  private ServerFixture node(String url, String id) throws Exception {
    var fx = new ServerFixture(dir.resolve(id));
    nodes.add(fx);
    Path trace = dir.resolve("trace.log");
    fx.writeFlow(
        "long.yaml",
        """
        id: long
        namespace: cluster
        tasks:
          - id: wait
            type: shell
            command: |
              echo started >> %s
              sleep 20
              echo finished >> %s
        """
            .formatted(trace, trace));
    // a long heartbeat: only the signal can make the executing node look before the task ends
    fx.start(
        fx.options()
            .withStore(StoreAddress.of(url))
            .withCluster(new ClusterSettings(id, Duration.ofSeconds(60), Duration.ofSeconds(20))));
    return fx;
  }

  private static void await(String what, Duration limit, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void a_run_cancelled_on_another_node_stops_where_it_runs_within_moments() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    ServerFixture n1 = node(url, "n1");
    ServerFixture n2 = node(url, "n2");
    Path trace = dir.resolve("trace.log");

    String runId = n1.post("/flows/cluster/long/runs", "{}").json().path("runId").asText();
    await("the task started on n1", Duration.ofSeconds(20), () -> Files.exists(trace));
    var cancelled = n2.post("/runs/" + runId + "/cancel", "{}");
    assertThat(cancelled.status()).as(cancelled.body()).isLessThan(300);
    long asked = System.nanoTime();

    await(
        "n1 stopped executing the run",
        Duration.ofSeconds(5),
        () -> !n1.server.engine().executes(runId));
    System.out.println(
        "n1 stopped the run " + (System.nanoTime() - asked) / 1_000_000 + " ms after the cancel");
    assertThat(n2.get("/runs/" + runId).json().path("state").asText()).isEqualTo("CANCELLED");
    Thread.sleep(500);
    assertThat(Files.readString(trace)).isEqualTo("started\n");
  }
}
