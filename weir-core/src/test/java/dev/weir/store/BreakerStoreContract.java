package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} does for circuit breakers shared by a cluster (schema v16): counts
 * that add up across nodes, an open window timed by the database, one trial at a time, and a trial
 * freed when its node is gone. An {@code openFor} of zero is half-open the moment it is written, so
 * most of the half-open cases are tested without waiting.
 */
abstract class BreakerStoreContract {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final String WAREHOUSE = "warehouse";

  StateStore store;
  Claimant a;
  Claimant b;

  abstract StateStore open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
    a = Claimant.node("a", store.registerNode("a", "all", "host-a", 1, HOUR));
    b = Claimant.node("b", store.registerNode("b", "all", "host-b", 2, HOUR));
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private BreakerRecord breaker() {
    return store.circuitBreakers().find(WAREHOUSE).orElseThrow();
  }

  private boolean fail(int threshold, Duration openFor) {
    return store.circuitBreakers().recordFailure(WAREHOUSE, threshold, openFor, null);
  }

  /** Open with its time already up: half-open at once. */
  private void halfOpen() {
    assertThat(fail(1, Duration.ZERO)).isTrue();
    assertThat(breaker().halfOpen()).isTrue();
  }

  @Test
  void a_connection_no_failure_was_counted_of_has_no_circuit_and_no_trial() {
    assertThat(store.circuitBreakers().find(WAREHOUSE)).isEmpty();
    assertThat(store.circuitBreakers().all()).isEmpty();
    assertThat(store.circuitBreakers().recordSuccess(WAREHOUSE)).isFalse();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1")).isFalse();
    assertThat(store.circuitBreakers().find(WAREHOUSE)).isEmpty();
  }

  @Test
  void failures_count_up_to_the_threshold_then_the_circuit_opens_for_openFor_on_the_db_clock() {
    assertThat(fail(3, HOUR)).isFalse();
    assertThat(fail(3, HOUR)).isFalse();
    BreakerRecord closed = breaker();
    assertThat(closed.closed()).isTrue();
    assertThat(closed.failures()).isEqualTo(2);

    assertThat(fail(3, HOUR)).isTrue();
    BreakerRecord open = breaker();
    assertThat(open.open()).isTrue();
    assertThat(open.failures()).isEqualTo(3);
    assertThat(open.openedAfter()).isEqualTo(3);
    assertThat(open.millisLeft()).isBetween(HOUR.minusMinutes(1).toMillis(), HOUR.toMillis());
    // the window is counted from the database's now, the clock node leases use too
    NodeRecord renewed = store.nodes().getFirst();
    assertThat(Duration.between(renewed.renewedAt(), open.openUntil()))
        .isBetween(HOUR.minusMinutes(1), HOUR.plusMinutes(1));

    assertThat(fail(3, HOUR)).as("open: a late failure only counts").isFalse();
    assertThat(breaker().failures()).isEqualTo(4);
    assertThat(breaker().openUntil()).isEqualTo(open.openUntil());
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1"))
        .as("no trial while open")
        .isFalse();
  }

  @Test
  void an_open_circuit_half_opens_when_openFor_has_passed_on_the_db_clock() {
    long start = System.nanoTime();
    assertThat(fail(1, Duration.ofMillis(400))).isTrue();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1")).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> breaker().halfOpen());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(350));
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1")).isTrue();
  }

  @Test
  void a_success_resets_the_count_and_closes_an_open_or_half_open_circuit() {
    fail(3, HOUR);
    fail(3, HOUR);
    assertThat(store.circuitBreakers().recordSuccess(WAREHOUSE)).as("was closed").isFalse();
    assertThat(breaker().failures()).isZero();

    fail(1, HOUR);
    assertThat(store.circuitBreakers().recordSuccess(WAREHOUSE)).isTrue();
    assertThat(breaker()).isEqualTo(new BreakerRecord(WAREHOUSE, 0, null, 0, 0, null));

    halfOpen();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1")).isTrue();
    assertThat(store.circuitBreakers().recordSuccess(WAREHOUSE)).isTrue();
    assertThat(breaker().closed()).isTrue();
    assertThat(breaker().trialHolder()).isNull();
  }

  @Test
  void only_one_attempt_of_one_node_holds_the_trial_and_asking_again_with_its_token_answers_yes() {
    halfOpen();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1")).isTrue();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, b, "t2")).isFalse();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t3")).isFalse();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1"))
        .as("an answer lost: ask again")
        .isTrue();
    assertThat(breaker().trialHolder()).isEqualTo(a.label());

    store.circuitBreakers().releaseTrial(WAREHOUSE, "t2"); // not its holder: nothing changes
    assertThat(breaker().trialHolder()).isEqualTo(a.label());
    store.circuitBreakers().releaseTrial(WAREHOUSE, "t1");
    assertThat(breaker().trialHolder()).isNull();
    assertThat(breaker().halfOpen()).isTrue();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, b, "t2")).isTrue();
  }

  @Test
  void attempts_racing_on_several_threads_get_one_trial() throws Exception {
    halfOpen();
    int racers = 8;
    var pool = Executors.newFixedThreadPool(racers);
    try {
      var go = new CountDownLatch(1);
      var answers = new ArrayList<Future<Boolean>>();
      for (int i = 0; i < racers; i++) {
        Claimant who = i % 2 == 0 ? a : b;
        String token = "t" + i;
        answers.add(
            pool.submit(() -> {
              go.await();
              return store.circuitBreakers().takeTrial(WAREHOUSE, who, token);
            }));
      }
      go.countDown();
      int took = 0;
      for (Future<Boolean> f : answers) {
        took += f.get() ? 1 : 0;
      }
      assertThat(took).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failures_counted_at_once_on_several_threads_all_count() throws Exception {
    var pool = Executors.newFixedThreadPool(4);
    try {
      var go = new CountDownLatch(1);
      List<Future<Boolean>> done = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        done.add(
            pool.submit(() -> {
              go.await();
              return fail(15, HOUR);
            }));
      }
      go.countDown();
      int opened = 0;
      for (Future<Boolean> f : done) {
        opened += f.get() ? 1 : 0;
      }
      assertThat(breaker().failures()).isEqualTo(20);
      assertThat(opened).as("the failure that reached the threshold opened it, once").isEqualTo(1);
      assertThat(breaker().openedAfter()).isEqualTo(15);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_trial_that_fails_to_connect_opens_the_circuit_again_and_other_failures_only_count() {
    halfOpen();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1")).isTrue();
    assertThat(store.circuitBreakers().recordFailure(WAREHOUSE, 5, HOUR, "t2"))
        .as("an attempt let in before: not the trial")
        .isFalse();
    assertThat(breaker().halfOpen()).isTrue();
    assertThat(breaker().trialHolder()).isEqualTo(a.label());

    assertThat(store.circuitBreakers().recordFailure(WAREHOUSE, 5, HOUR, "t1")).isTrue();
    BreakerRecord reopened = breaker();
    assertThat(reopened.open()).isTrue();
    assertThat(reopened.openedAfter()).as("a trial opened it").isZero();
    assertThat(reopened.failures()).isEqualTo(3);
    assertThat(reopened.trialHolder()).isNull();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, b, "t2")).isFalse();
  }

  @Test
  void a_trial_whose_node_started_again_or_lost_its_lease_is_free_for_a_live_node() {
    halfOpen();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, a, "t1")).isTrue();
    store.registerNode("a", "all", "host-a", 3, HOUR); // a restarted: its epoch 1 is gone
    assertThat(breaker().trialHolder()).isNull();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, b, "t2")).isTrue();

    // a node whose lease is already over when it takes the trial holds nothing
    Claimant dead = Claimant.node("c", store.registerNode("c", "all", "host-c", 4, Duration.ZERO));
    store.circuitBreakers().releaseTrial(WAREHOUSE, "t2");
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, dead, "t3")).isTrue();
    assertThat(breaker().trialHolder()).isNull();
    assertThat(store.circuitBreakers().takeTrial(WAREHOUSE, b, "t4")).isTrue();
    assertThat(breaker().trialHolder()).isEqualTo(b.label());
  }

  @Test
  void breakers_lists_every_connection_counted_by_name() {
    store.circuitBreakers().recordFailure("warehouse", 1, HOUR, null);
    store.circuitBreakers().recordFailure("source_pg", 5, HOUR, null);
    assertThat(store.circuitBreakers().all())
        .extracting(BreakerRecord::connection, BreakerRecord::failures, BreakerRecord::open)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("source_pg", 1, false),
            org.assertj.core.groups.Tuple.tuple("warehouse", 1, true));
  }
}
