package dev.weir.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.TaskGate;
import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.PoolClaim;
import dev.weir.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pool slots held in the store by a node: given back when no attempt of the node holds them. */
class ClusterPoolsTest {
  @TempDir Path dir;
  private StateStore store;
  private Claimant node;
  private ClusterPools pools;

  @BeforeEach
  void open() {
    store = JdbcStateStore.h2(dir.resolve(".weir"));
    node = Claimant.node("n1", store.registerNode("n1", "all", "h", 1, Duration.ofHours(1)));
    pools = new ClusterPools(store, Map.of("warehouse", 1), () -> node);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static TaskGate.Request request(String task) {
    return new TaskGate.Request("ns", "flow", "r1", task, 1, "warehouse", null);
  }

  @Test
  void a_slot_no_attempt_here_holds_is_given_back_at_the_second_sweep() throws Exception {
    // a take whose answer was lost: the store says n1 holds the slot, no attempt of n1 does
    assertThat(store.acquirePoolSlot(new PoolClaim("warehouse", 1, node, "r0", "lost", 1)))
        .hasValue(0);
    assertThat(pools.releaseStray()).isZero(); // once: perhaps a take in progress
    assertThat(pools.releaseStray()).isEqualTo(1);
    assertThat(store.poolSlotsInUse("warehouse")).isZero();

    TaskGate.Permit permit = pools.acquire(request("load"), (level, message) -> {});
    assertThat(pools.releaseStray()).isZero();
    assertThat(pools.releaseStray()).isZero(); // held by an attempt: kept
    assertThat(store.poolSlotsInUse("warehouse")).isEqualTo(1);
    permit.release(TaskGate.Outcome.SUCCEEDED);
    assertThat(store.poolSlotsInUse("warehouse")).isZero();
  }
}
