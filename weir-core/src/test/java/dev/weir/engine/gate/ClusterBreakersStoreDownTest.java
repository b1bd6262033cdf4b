package dev.weir.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.engine.TaskGate.Outcome;
import dev.weir.engine.TaskGate.Permit;
import dev.weir.engine.gate.CircuitBreakers.Settings;
import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.testing.RestartablePostgres;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The store's database goes away while tasks end and start: the cluster's breakers let tasks go
 * rather than hold them, and a trial whose end the store did not hear is freed once it is back.
 */
class ClusterBreakersStoreDownTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void with_the_store_away_tasks_go_and_an_unheard_trial_is_freed_when_it_is_back()
      throws Exception {
    try (RestartablePostgres pg = RestartablePostgres.start();
        var storeA = JdbcStateStore.open(pg.url(), null, null, "node a's store");
        var storeB = JdbcStateStore.open(pg.url(), null, null, "node b's store")) {
      var settings = new Settings(1, Duration.ofMillis(300));
      Claimant a = Claimant.node("a", storeA.registerNode("a", "all", "h", 1, HOUR));
      Claimant b = Claimant.node("b", storeB.registerNode("b", "all", "h", 2, HOUR));
      var nodeA = new ClusterBreakers(storeA, settings, () -> a, ClusterBreakersTest.TICK);
      var nodeB = new ClusterBreakers(storeB, settings, () -> b, ClusterBreakersTest.TICK);
      nodeA
          .acquire(ClusterBreakersTest.request("fails"), (level, message) -> {})
          .release(Outcome.CONNECTION_FAILED);
      Permit trial = nodeA.acquire(ClusterBreakersTest.request("trial"), (level, m) -> {});
      assertThat(storeB.circuitBreakers().find("warehouse").orElseThrow().trialHolder())
          .isEqualTo("a#1");

      pg.stop();
      long t0 = System.nanoTime();
      trial.release(Outcome.CONNECTION_FAILED); // not heard: no exception, no endless wait
      List<String> log = new CopyOnWriteArrayList<>();
      Permit blind = nodeB.acquire(ClusterBreakersTest.request("blind"), (level, m) -> log.add(m));
      blind.release(Outcome.SUCCEEDED);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
      assertThat(log)
          .containsExactly(
              "connection 'warehouse': its circuit cannot be read from the state store just now;"
                  + " this task goes");

      pg.startServer();
      // the trial's end was lost: a's live node still holds it until a task of a asks again
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> storeB.circuitBreakers().find("warehouse").orElseThrow().trialHolder() != null);
      assertThat(storeB.circuitBreakers().find("warehouse").orElseThrow().trialHolder())
          .isEqualTo("a#1");
      List<String> next = new CopyOnWriteArrayList<>();
      Permit again = nodeA.acquire(ClusterBreakersTest.request("next"), (level, m) -> next.add(m));
      assertThat(next)
          .containsExactly(
              "connection 'warehouse' circuit half-open: this task is the trial for the cluster;"
                  + " its success closes the circuit");
      again.release(Outcome.SUCCEEDED);
      assertThat(nodeB.state("warehouse")).isEqualTo(CircuitBreakers.State.CLOSED);
    }
  }
}
