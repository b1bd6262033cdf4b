package dev.weir.store;

import static dev.weir.store.StateStoreContract.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.StateStore.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} does for a cluster (schema v13): node membership on the database's
 * clock, run claims that respect a live owner node, and fenced writes. A lease of zero has expired
 * the moment it is written, so expiry is tested without waiting.
 */
abstract class ClusterStoreContract {
  private static final Duration HOUR = Duration.ofHours(1);

  StateStore store;

  abstract StateStore open() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = open();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  private RunRecord queued(String id) {
    RunRecord r = StateStoreContract.run(id, "shop", "orders", RunState.QUEUED, T0);
    store.write(new Batch(List.of(r), List.of(), List.of(), List.of()));
    return r;
  }

  private long claim(RunRecord r, Claimant who) {
    OptionalLong token = store.claimRun(r, who, false);
    assertThat(token).as("claim of %s by %s", r.id(), who.label()).isPresent();
    return token.getAsLong();
  }

  private RunRecord stored(String id) {
    return store.findRun(id).orElseThrow();
  }

  private NodeRecord node(String id) {
    return store.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void a_node_gets_a_new_epoch_at_every_start_and_is_alive_while_its_lease_is_current() {
    assertThat(store.registerNode("a", "all", "host-a", 11, HOUR)).isEqualTo(1);
    assertThat(store.registerNode("b", "worker", "host-b", 12, HOUR)).isEqualTo(1);
    assertThat(store.registerNode("a", "all", "host-a", 13, HOUR)).isEqualTo(2);

    NodeRecord a = node("a");
    assertThat(a.epoch()).isEqualTo(2);
    assertThat(a.pid()).isEqualTo(13);
    assertThat(a.alive()).isTrue();
    assertThat(a.leaseUntil()).isAfter(a.renewedAt().plus(Duration.ofMinutes(59)));
    assertThat(store.nodes()).extracting(NodeRecord::id).containsExactly("a", "b");
  }

  @Test
  void only_the_current_epoch_renews_and_only_before_its_lease_expired() {
    long first = store.registerNode("a", "all", "h", 1, HOUR);
    long second = store.registerNode("a", "all", "h", 2, HOUR);

    assertThat(store.renewNode("a", second, HOUR)).isTrue();
    assertThat(store.renewNode("a", first, HOUR)).isFalse(); // the process before the restart

    long late = store.registerNode("late", "all", "h", 3, Duration.ZERO);
    assertThat(node("late").alive()).isFalse();
    assertThat(store.renewNode("late", late, HOUR)).isFalse(); // expired: it must register again
    assertThat(store.renewNode("nobody", 1, HOUR)).isFalse();
  }

  @Test
  void a_node_that_leaves_is_gone_at_once() {
    long epoch = store.registerNode("a", "all", "h", 1, HOUR);
    store.leaveCluster("a", epoch);
    assertThat(node("a").alive()).isFalse();
  }

  @Test
  void a_run_of_a_live_node_is_not_adopted_and_one_of_a_gone_node_is() {
    long a = store.registerNode("a", "all", "h", 1, HOUR);
    long b = store.registerNode("b", "all", "h", 2, HOUR);
    RunRecord r = queued("r1");
    assertThat(claim(r, Claimant.node("a", a))).isEqualTo(1);
    RunRecord owned = stored("r1");
    assertThat(owned.owner()).isEqualTo("a#" + a);
    assertThat(store.orphanedRuns(10)).isEmpty();

    assertThat(store.claimRun(owned, Claimant.node("b", b), false)).isEmpty();

    long a2 = store.registerNode("a", "all", "h", 3, HOUR); // node a started again
    assertThat(store.orphanedRuns(10)).extracting(RunRecord::id).containsExactly("r1");
    assertThat(store.claimRun(owned, Claimant.node("b", b), false)).hasValue(2);
    assertThat(stored("r1").owner()).isEqualTo("b#" + b);
    assertThat(store.orphanedRuns(10)).isEmpty();
    assertThat(a2).isEqualTo(a + 1);
  }

  @Test
  void runs_of_a_node_whose_lease_expired_are_orphans_oldest_first() {
    long a = store.registerNode("a", "all", "h", 1, HOUR);
    RunRecord r2 = queued("r2");
    RunRecord r1 =
        StateStoreContract.run("r1", "shop", "orders", RunState.QUEUED, T0.minusSeconds(60));
    store.write(new Batch(List.of(r1), List.of(), List.of(), List.of()));
    claim(r2, Claimant.node("a", a));
    claim(r1, Claimant.node("a", a));
    assertThat(store.orphanedRuns(10)).isEmpty();

    store.registerNode("a", "all", "h", 1, Duration.ZERO); // restarted, and its lease ran out
    assertThat(store.orphanedRuns(10)).extracting(RunRecord::id).containsExactly("r1", "r2");
    assertThat(store.orphanedRuns(1)).extracting(RunRecord::id).containsExactly("r1");
  }

  @Test
  void a_run_that_ended_names_no_owner_node_and_is_nobody_s_orphan() {
    long a = store.registerNode("a", "all", "h", 1, HOUR);
    RunRecord r = queued("r1");
    long token = claim(r, Claimant.node("a", a));
    RunRecord ended = stored("r1").ended(RunState.SUCCEEDED, T0.plusSeconds(5), null);
    store.write(
        new Batch(List.of(), List.of(ended), List.of(), List.of()).fenced(new Fence("r1", token)));
    store.leaveCluster("a", a);

    assertThat(stored("r1").state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(stored("r1").owner()).isNull();
    assertThat(store.orphanedRuns(10)).isEmpty();
  }

  @Test
  void a_write_fenced_with_an_older_claim_changes_nothing() {
    long a = store.registerNode("a", "all", "h", 1, HOUR);
    long b = store.registerNode("b", "all", "h", 2, HOUR);
    RunRecord r = queued("r1");
    long old = claim(r, Claimant.node("a", a));
    RunRecord running = stored("r1").withOwner(RunState.RUNNING, T0, "a#" + a);
    store.write(
        new Batch(List.of(), List.of(running), List.of(), List.of()).fenced(new Fence("r1", old)));

    store.leaveCluster("a", a); // a is cut off; b adopts its run
    long current = store.claimRun(stored("r1"), Claimant.node("b", b), false).orElseThrow();
    assertThat(current).isGreaterThan(old);

    TaskRunRecord late = TaskRunRecord.pending("r1", "extract", 1, 1);
    RunRecord lateEnd = running.ended(RunState.SUCCEEDED, T0.plusSeconds(9), null);
    Batch stale =
        new Batch(List.of(), List.of(lateEnd), List.of(late), List.of())
            .fenced(new Fence("r1", old));
    assertThatThrownBy(() -> store.write(stale))
        .isInstanceOf(FencedOffException.class)
        .hasMessageContaining("run r1 was taken over by b#" + b)
        .hasMessageContaining("nothing was written");
    assertThat(stored("r1").state()).isEqualTo(RunState.RUNNING);
    assertThat(stored("r1").owner()).isEqualTo("b#" + b);
    assertThat(store.taskRuns("r1")).isEmpty();

    store.write(
        new Batch(List.of(), List.of(), List.of(late), List.of()).fenced(new Fence("r1", current)));
    assertThat(store.taskRuns("r1")).hasSize(1);
  }

  @Test
  void a_forced_claim_takes_a_run_from_a_live_node() {
    long a = store.registerNode("a", "all", "h", 1, HOUR);
    RunRecord r = queued("r1");
    claim(r, Claimant.node("a", a));
    assertThat(store.claimRun(stored("r1"), Claimant.process("laptop:7"), true)).hasValue(2);
    assertThat(stored("r1").owner()).isEqualTo("laptop:7");
    assertThat(store.orphanedRuns(10)).isEmpty(); // a process owns it now, not a node
  }

  @Test
  void of_many_nodes_adopting_one_orphan_at_once_exactly_one_wins() throws Exception {
    long gone = store.registerNode("gone", "all", "h", 1, HOUR);
    claim(queued("r1"), Claimant.node("gone", gone));
    store.leaveCluster("gone", gone);
    RunRecord orphan = store.orphanedRuns(1).getFirst();
    int n = 8;
    var claimants = new ArrayList<Claimant>();
    for (int i = 0; i < n; i++) {
      claimants.add(Claimant.node("n" + i, store.registerNode("n" + i, "all", "h", i, HOUR)));
    }
    var start = new CountDownLatch(1);
    try (var pool = Executors.newFixedThreadPool(n)) {
      var results = new ArrayList<Future<OptionalLong>>();
      for (Claimant c : claimants) {
        results.add(
            pool.submit(() -> {
              start.await();
              return store.claimRun(orphan, c, false);
            }));
      }
      start.countDown();
      int won = 0;
      for (var f : results) {
        won += f.get().isPresent() ? 1 : 0;
      }
      assertThat(won).isEqualTo(1);
    }
  }

  @Test
  void one_node_holds_a_lease_until_it_lapses_and_a_restart_takes_it_back_at_once() {
    long a = store.registerNode("a", "all", "h", 1, HOUR);
    long b = store.registerNode("b", "all", "h", 2, HOUR);
    assertThat(store.holdLease("flows", "a", a, HOUR)).isEqualTo(new LeaseGrant(true, null, true));
    assertThat(store.holdLease("flows", "a", a, HOUR)).isEqualTo(new LeaseGrant(true, null, false));
    assertThat(store.holdLease("flows", "b", b, HOUR)).isEqualTo(new LeaseGrant(false, "a", false));

    long a2 = store.registerNode("a", "all", "h", 3, HOUR); // a restarted: its old epoch is gone
    assertThat(store.holdLease("flows", "a", a2, HOUR)).isEqualTo(new LeaseGrant(true, "a", true));
    assertThat(store.holdLease("flows", "a", a, HOUR).held()).isFalse(); // the old epoch lost it

    store.releaseLease("flows", "a", a2);
    assertThat(store.holdLease("flows", "b", b, HOUR)).isEqualTo(new LeaseGrant(true, "a", true));
    assertThat(store.holdLease("flows", "a", a2, Duration.ZERO).held()).isFalse();
  }

  @Test
  void a_lapsed_lease_goes_to_the_first_node_that_asks() {
    long a = store.registerNode("a", "all", "h", 1, HOUR);
    long b = store.registerNode("b", "all", "h", 2, HOUR);
    long c = store.registerNode("c", "all", "h", 3, HOUR);
    store.holdLease("flows", "a", a, Duration.ZERO); // lapses at once
    assertThat(store.holdLease("flows", "b", b, HOUR).held()).isTrue();
    assertThat(store.holdLease("flows", "c", c, HOUR).held()).isFalse();
  }

  private static PoolClaim claim(String pool, int size, Claimant who, String task) {
    return new PoolClaim(pool, size, who, "r1", task, 1);
  }

  @Test
  void a_pool_of_two_gives_two_slots_across_nodes_and_frees_those_of_a_gone_node() {
    Claimant a = Claimant.node("a", store.registerNode("a", "all", "h", 1, HOUR));
    Claimant b = Claimant.node("b", store.registerNode("b", "all", "h", 2, HOUR));
    store.ensurePool("warehouse", 2);
    store.ensurePool("warehouse", 2); // every node does at start

    assertThat(store.acquirePoolSlot(claim("warehouse", 2, a, "t1"))).hasValue(0);
    assertThat(store.acquirePoolSlot(claim("warehouse", 2, b, "t2"))).hasValue(1);
    assertThat(store.acquirePoolSlot(claim("warehouse", 2, b, "t3"))).isEmpty();
    assertThat(store.poolSlotsInUse("warehouse")).isEqualTo(2);

    store.releasePoolSlot(claim("warehouse", 2, a, "t2"), 0); // not its claim: nothing changes
    assertThat(store.acquirePoolSlot(claim("warehouse", 2, b, "t3"))).isEmpty();
    store.releasePoolSlot(claim("warehouse", 2, a, "t1"), 0);
    assertThat(store.acquirePoolSlot(claim("warehouse", 2, b, "t3"))).hasValue(0);

    store.leaveCluster("b", b.epoch()); // b is gone: both its slots are free
    assertThat(store.poolSlotsInUse("warehouse")).isZero();
    assertThat(store.acquirePoolSlot(claim("warehouse", 2, a, "t4"))).hasValue(0);
    assertThat(store.acquirePoolSlot(claim("warehouse", 1, a, "t5"))).isEmpty(); // its size is 1
  }

  @Test
  void of_many_attempts_asking_a_pool_of_two_at_once_no_two_get_one_slot() throws Exception {
    store.ensurePool("p", 2);
    int n = 8;
    var claimants = new ArrayList<Claimant>();
    for (int i = 0; i < n; i++) {
      claimants.add(Claimant.node("n" + i, store.registerNode("n" + i, "all", "h", i, HOUR)));
    }
    var start = new CountDownLatch(1);
    try (var pool = Executors.newFixedThreadPool(n)) {
      var results = new ArrayList<Future<java.util.OptionalInt>>();
      for (Claimant c : claimants) {
        results.add(
            pool.submit(() -> {
              start.await();
              return store.acquirePoolSlot(claim("p", 2, c, "t"));
            }));
      }
      start.countDown();
      var slots = new ArrayList<Integer>();
      for (var f : results) {
        f.get().ifPresent(slots::add);
      }
      assertThat(slots).hasSizeLessThanOrEqualTo(2).doesNotHaveDuplicates();
      assertThat(store.poolSlotsInUse("p")).isEqualTo(slots.size());
    }
  }
}
