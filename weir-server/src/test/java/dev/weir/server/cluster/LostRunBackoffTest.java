package dev.weir.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of this node that nothing executes is resumed here, and one that stops again at once (an
 * internal error) is resumed again less and less often: after 2, 4, 8, 16 … heartbeats, not at
 * every other one for ever.
 */
class LostRunBackoffTest {
  @TempDir Path dir;

  @Test
  void a_run_that_keeps_stopping_is_resumed_less_and_less_often() {
    try (StateStore store = JdbcStateStore.h2(dir.resolve(".weir"))) {
      var settings = new ClusterSettings("n1", Duration.ofHours(1), Duration.ofSeconds(1));
      ClusterNode node = ClusterNode.join(store, settings, dir, "all");
      Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
      var run =
          new RunRecord(
              "run1",
              "shop",
              "orders",
              "rev0123456789abc",
              "/flows/orders.yaml",
              RunState.RUNNING,
              "{}",
              t0,
              "manual",
              1,
              t0,
              t0,
              null,
              null,
              "n1#" + node.epoch());
      store.write(
          new StateStore.Batch(List.of(run), List.of(), List.of(), List.of())
              .ownedBy(Claimant.node("n1", node.epoch())));
      var resumes = new AtomicInteger();
      var host =
          new ClusterNode.Host() {
            @Override
            public void giveUpRuns(String reason) {}

            @Override
            public boolean adopt(RunRecord r) {
              return false;
            }

            @Override
            public void drainQueues() {}

            @Override
            public void releaseStraySlots() {}

            @Override
            public void retire(String reason) {}

            @Override
            public boolean executes(String runId) {
              return false; // it stops again at once, every time
            }

            @Override
            public boolean resumeOwn(RunRecord r) {
              resumes.incrementAndGet();
              return true;
            }
          };
      var worker = new NodeWorker(node, store, host, Duration.ofHours(1));
      for (int beat = 0; beat < 20; beat++) {
        worker.round(true);
      }
      assertThat(resumes.get()).isEqualTo(4); // at beats 2, 4, 8 and 16
      node.close();
    }
  }
}
