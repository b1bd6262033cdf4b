package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.Engine;
import dev.weir.server.ServerFixture;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.Claimant;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.StoreAddress;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run a live node owns but never started (its claim committed, the answer was lost; its start
 * failed after the claim): no other node adopts it while its owner lives, so the owner finds it at
 * its worker's round and runs it.
 */
class LostRunTest {
  @TempDir Path dir;
  private ServerFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void a_run_a_live_node_owns_but_does_not_execute_goes_on_there() throws Exception {
    String url = TestDatabases.freshPostgresSchemaUrl();
    fx = new ServerFixture(dir);
    fx.writeFlow("lost.yaml", "id: lost\nnamespace: cluster\ntasks:\n  - {id: a, type: noop}\n");
    fx.start(
        fx.options()
            .withStore(StoreAddress.of(url))
            .withCluster(new ClusterSettings("n1", Duration.ofSeconds(3), Duration.ofMillis(200))));
    var flow = fx.server.flows().get(new FlowKey("cluster", "lost")).orElseThrow();
    Engine.Prepared p =
        fx.server
            .engine()
            .prepare(
                new Engine.StartRequest(flow.flow(), flow.file(), Map.of(), "manual", null, null));
    // stored owned by this node, as a claim leaves it, and never started
    Claimant self = fx.server.cluster().claimant();
    RunRecord owned = p.run().withOwner(RunState.QUEUED, null, self.label());
    fx.server
        .store()
        .write(new StateStore.Batch(List.of(owned), List.of(), List.of(), List.of()).ownedBy(self));

    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> fx.get("/runs/" + p.run().id()).json().path("state").asText(),
            s -> s.equals("SUCCEEDED"));
    assertThat(fx.get("/runs/" + p.run().id()).json().path("state").asText())
        .isEqualTo("SUCCEEDED");
  }
}
