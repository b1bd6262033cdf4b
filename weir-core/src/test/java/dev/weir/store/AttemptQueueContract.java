package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routed task attempts (schema v15): claimed once, by pool, results stored only with the claim's
 * token, attempts of gone workers queued again. A lease of zero has expired the moment it is
 * written, so a dead worker is made without waiting.
 */
abstract class AttemptQueueContract {
  private static final Duration HOUR = Duration.ofHours(1);

  StateStore store;
  AttemptQueue queue;

  abstract StateStore open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
    queue = store.attempts();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private Claimant worker(String id, Duration lease) {
    return Claimant.node(id, store.registerNode(id, "worker", "h", 1, lease));
  }

  private static AttemptTicket ticket(String run, String task, String pool) {
    return new AttemptTicket(run, task, 1, pool, "{\"task\":\"" + task + "\"}");
  }

  @Test
  void an_attempt_is_claimed_once_finished_with_its_token_and_read_by_its_coordinator() {
    Claimant w = worker("w1", HOUR);
    long id = queue.enqueue(ticket("r1", "extract", null));
    assertThat(queue.states(List.of(id)).get(id).state()).isEqualTo(QueuedAttempt.State.QUEUED);

    ClaimedAttempt c = queue.claim(w, Set.of()).orElseThrow();
    assertThat(c.id()).isEqualTo(id);
    assertThat(c.ticket()).isEqualTo(ticket("r1", "extract", null));
    assertThat(queue.claim(w, Set.of())).isEmpty();
    QueuedAttempt claimed = queue.states(List.of(id)).get(id);
    assertThat(claimed.state()).isEqualTo(QueuedAttempt.State.CLAIMED);
    assertThat(claimed.claimedBy()).isEqualTo(w.label());

    assertThat(queue.finish(id, c.fence() + 1, "{\"forged\":true}")).isFalse();
    assertThat(queue.finish(id, c.fence(), "{\"ok\":true}")).isTrue();
    assertThat(queue.finish(id, c.fence(), "{\"twice\":true}")).isFalse();
    QueuedAttempt done = queue.states(List.of(id)).get(id);
    assertThat(done.state()).isEqualTo(QueuedAttempt.State.DONE);
    assertThat(done.outcome()).isEqualTo("{\"ok\":true}");

    queue.drop(id);
    assertThat(queue.states(List.of(id))).isEmpty();
    assertThat(queue.size()).isZero();
  }

  @Test
  void a_worker_serving_pools_takes_only_their_attempts_and_one_serving_none_takes_any() {
    long plain = queue.enqueue(ticket("r1", "a", null));
    long gpu = queue.enqueue(ticket("r1", "b", "gpu"));
    long etl = queue.enqueue(ticket("r1", "c", "etl"));
    Claimant gpuWorker = worker("gpu-1", HOUR);
    Claimant any = worker("any-1", HOUR);

    assertThat(queue.claim(gpuWorker, Set.of("gpu")).orElseThrow().id()).isEqualTo(gpu);
    assertThat(queue.claim(gpuWorker, Set.of("gpu"))).isEmpty();
    assertThat(queue.claim(any, Set.of()).orElseThrow().id()).isEqualTo(plain);
    assertThat(queue.claim(any, Set.of()).orElseThrow().id()).isEqualTo(etl);
  }

  @Test
  void the_attempts_of_a_gone_worker_are_queued_again_and_its_late_result_is_refused() {
    Claimant dead = worker("w-dead", Duration.ZERO);
    Claimant live = worker("w-live", HOUR);
    long id = queue.enqueue(ticket("r1", "load", null));
    ClaimedAttempt first = queue.claim(dead, Set.of()).orElseThrow();
    ClaimedAttempt other = queue.claim(live, Set.of()).orElse(null);
    assertThat(other).isNull();
    long liveId = queue.enqueue(ticket("r2", "load", null));
    ClaimedAttempt kept = queue.claim(live, Set.of()).orElseThrow();

    assertThat(queue.requeueOrphans()).isEqualTo(1);
    assertThat(queue.states(List.of(id)).get(id).state()).isEqualTo(QueuedAttempt.State.QUEUED);
    assertThat(queue.lost(dead, Map.of(id, first.fence()))).containsExactly(id);
    assertThat(queue.lost(live, Map.of(liveId, kept.fence()))).isEmpty();

    ClaimedAttempt again = queue.claim(live, Set.of()).orElseThrow();
    assertThat(again.id()).isEqualTo(id);
    assertThat(again.fence()).isGreaterThan(first.fence());
    assertThat(queue.finish(id, first.fence(), "{\"late\":true}")).isFalse();
    assertThat(queue.finish(id, again.fence(), "{\"ok\":true}")).isTrue();
    assertThat(queue.states(List.of(id)).get(id).outcome()).isEqualTo("{\"ok\":true}");
  }

  @Test
  void a_run_taken_over_drops_its_attempts_and_their_workers_see_the_claim_lost() {
    Claimant w = worker("w1", HOUR);
    long a = queue.enqueue(ticket("r1", "a", null));
    long b = queue.enqueue(ticket("r1", "b", null));
    long c = queue.enqueue(ticket("r2", "c", null));
    ClaimedAttempt ca = queue.claim(w, Set.of()).orElseThrow();

    assertThat(queue.dropRun("r1")).isEqualTo(2);
    assertThat(queue.states(List.of(a, b, c)).keySet()).containsExactly(c);
    assertThat(queue.lost(w, Map.of(a, ca.fence()))).containsExactly(a);
    assertThat(queue.finish(a, ca.fence(), "{}")).isFalse();
  }

  @Test
  void queueing_an_attempt_again_gives_the_row_there_instead_of_a_second_one() {
    long first = queue.enqueue(ticket("r1", "load", null));
    long again = queue.enqueue(ticket("r1", "load", null)); // a write tried again, its answer lost
    assertThat(again).isEqualTo(first);
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void the_attempts_of_ended_runs_are_dropped_and_those_of_running_runs_kept() {
    store.write(
        new StateStore.Batch(
            List.of(
                StateStoreContract.run(
                    "ended", "shop", "orders", RunState.CANCELLED, StateStoreContract.T0),
                StateStoreContract.run(
                    "going", "shop", "orders", RunState.RUNNING, StateStoreContract.T0)),
            List.of(),
            List.of(),
            List.of()));
    long ended = queue.enqueue(ticket("ended", "load", null));
    long going = queue.enqueue(ticket("going", "load", null));

    assertThat(queue.dropEnded("going")).isZero();
    assertThat(queue.dropEnded(null)).isEqualTo(1);
    assertThat(queue.states(List.of(ended, going)).keySet()).containsExactly(going);
  }

  @Test
  void claims_of_a_live_worker_that_it_does_not_hold_are_queued_again() {
    Claimant w = worker("w1", HOUR);
    long held = queue.enqueue(ticket("r1", "a", null));
    long stranded = queue.enqueue(ticket("r1", "b", null));
    ClaimedAttempt h = queue.claim(w, Set.of()).orElseThrow();
    ClaimedAttempt s = queue.claim(w, Set.of()).orElseThrow(); // its answer "lost"
    assertThat(h.id()).isEqualTo(held);
    assertThat(s.id()).isEqualTo(stranded);

    assertThat(queue.requeueUnheld(w, Set.of(held))).isEqualTo(1);
    assertThat(queue.states(List.of(held, stranded)).get(held).state())
        .isEqualTo(QueuedAttempt.State.CLAIMED);
    assertThat(queue.states(List.of(held, stranded)).get(stranded).state())
        .isEqualTo(QueuedAttempt.State.QUEUED);
    assertThat(queue.finish(stranded, s.fence(), "{}")).isFalse();
  }

  @Test
  void workers_claiming_at_once_never_get_the_same_attempt() throws Exception {
    int attempts = 40;
    for (int i = 0; i < attempts; i++) {
      queue.enqueue(ticket("r" + i, "t", null));
    }
    List<Claimant> workers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      workers.add(worker("w" + i, HOUR));
    }
    Map<Long, String> got = new ConcurrentHashMap<>();
    var start = new CountDownLatch(1);
    List<String> doubled = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var pool = Executors.newFixedThreadPool(4)) {
      for (Claimant w : workers) {
        pool.submit(() -> {
          start.await();
          for (int n = 0; n < attempts; n++) {
            Optional<ClaimedAttempt> c = queue.claim(w, Set.of());
            if (c.isEmpty()) {
              break;
            }
            if (got.putIfAbsent(c.get().id(), w.label()) != null) {
              doubled.add(c.get().id() + "");
            }
          }
          return null;
        });
      }
      start.countDown();
    }
    assertThat(doubled).isEmpty();
    assertThat(got).hasSize(attempts);
  }
}
