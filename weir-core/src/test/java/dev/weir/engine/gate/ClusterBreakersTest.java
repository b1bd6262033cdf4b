package dev.weir.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.engine.TaskGate;
import dev.weir.engine.TaskGate.Outcome;
import dev.weir.engine.TaskGate.Permit;
import dev.weir.engine.gate.CircuitBreakers.Settings;
import dev.weir.engine.gate.CircuitBreakers.State;
import dev.weir.engine.gate.CircuitBreakers.Status;
import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.StateStore;
import dev.weir.task.TaskLogger;
import dev.weir.testing.TestDatabases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes of a cluster, each with its own store connection and its own {@link ClusterBreakers},
 * on one PostgreSQL: the circuit of a connection is one for both. The open window is timed by the
 * database, so these tests use short ones and bounded waits.
 */
class ClusterBreakersTest {
  static final Duration TICK = Duration.ofMillis(50);
  static final Duration HOUR = Duration.ofHours(1);

  /**
   * An open window that a test reads as still open right after opening it: the database times it,
   * so a shorter one (500 ms) let a stalled CI machine read it half-open already.
   */
  static final Duration OPEN_A_WHILE = Duration.ofSeconds(2);

  StateStore storeA;
  StateStore storeB;
  Claimant a;
  Claimant b;
  final List<Waiter> waiters = new ArrayList<>();

  @BeforeEach
  void nodes() {
    String url = TestDatabases.freshPostgresSchemaUrl();
    storeA = JdbcStateStore.open(url, null, null, "node a's store");
    storeB = JdbcStateStore.open(url, null, null, "node b's store");
    a = Claimant.node("a", storeA.registerNode("a", "all", "host-a", 1, HOUR));
    b = Claimant.node("b", storeB.registerNode("b", "all", "host-b", 2, HOUR));
  }

  @AfterEach
  void close() throws Exception {
    for (Waiter w : waiters) {
      w.thread.interrupt();
      w.thread.join(5_000);
    }
    storeA.close();
    storeB.close();
  }

  private ClusterBreakers gate(StateStore store, Claimant node, Settings settings) {
    return new ClusterBreakers(store, settings, () -> node, TICK);
  }

  static TaskGate.Request request(String task) {
    return new TaskGate.Request("ns", "flow", "r1", task, 1, null, "warehouse");
  }

  /** A task of one node that failed to connect, let in at once (the circuit is closed). */
  private static void connectionFailure(ClusterBreakers gate) throws InterruptedException {
    gate.acquire(request("fails"), (level, message) -> {}).release(Outcome.CONNECTION_FAILED);
  }

  /** A task asking one node's gate to start, on a thread of its own. */
  static final class Waiter {
    final String node;
    final List<String> log = new CopyOnWriteArrayList<>();
    final AtomicReference<Permit> permit = new AtomicReference<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final Thread thread;

    Waiter(String node, ClusterBreakers gate) {
      this.node = node;
      TaskLogger logger = (level, message) -> log.add(message);
      this.thread =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  permit.set(gate.acquire(request("waits"), logger));
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
    }

    boolean admitted() {
      return permit.get() != null;
    }

    void awaitLog(String message) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> log.stream().anyMatch(l -> l.startsWith(message)));
    }
  }

  private Waiter waiter(String node, ClusterBreakers gate) {
    var w = new Waiter(node, gate);
    waiters.add(w);
    return w;
  }

  private long admitted() {
    return waiters.stream().filter(Waiter::admitted).count();
  }

  @Test
  void failures_on_two_nodes_add_up_and_the_open_circuit_holds_the_tasks_of_both()
      throws Exception {
    var settings = new Settings(3, Duration.ofSeconds(60));
    ClusterBreakers nodeA = gate(storeA, a, settings);
    ClusterBreakers nodeB = gate(storeB, b, settings);

    connectionFailure(nodeA);
    connectionFailure(nodeB);
    assertThat(nodeA.state("warehouse")).isEqualTo(State.CLOSED);
    assertThat(nodeB.statuses()).containsEntry("warehouse", new Status(State.CLOSED, 2, null));
    connectionFailure(nodeA);
    assertThat(nodeA.state("warehouse")).isEqualTo(State.OPEN);
    assertThat(nodeB.state("warehouse")).isEqualTo(State.OPEN);
    assertThat(nodeB.statuses().get("warehouse").consecutiveFailures()).isEqualTo(3);

    Waiter onA = waiter("a", nodeA);
    Waiter onB = waiter("b", nodeB);
    for (Waiter w : List.of(onA, onB)) {
      w.awaitLog(
          "connection 'warehouse' circuit open after 3 consecutive connection failures across the"
              + " cluster; waiting ");
    }
    await().during(Duration.ofMillis(300)).until(() -> admitted() == 0);
    // told once, with the time left rounded up: 60s unless its first read came a second late
    assertThat(onB.log)
        .singleElement()
        .asString()
        .matches(
            "connection 'warehouse' circuit open after 3 consecutive connection failures across the"
                + " cluster; waiting (60|59|58)s");

    onB.thread.interrupt(); // a cancel: the waiting task ends at once
    onB.thread.join(5_000);
    assertThat(onB.failure.get()).isInstanceOf(InterruptedException.class);
    assertThat(onA.admitted()).isFalse();
  }

  @Test
  void one_trial_goes_across_both_nodes_and_its_success_closes_the_circuit_for_both()
      throws Exception {
    // open long enough that node b reads it open even after a slow moment of a busy machine
    var settings = new Settings(1, OPEN_A_WHILE);
    ClusterBreakers nodeA = gate(storeA, a, settings);
    ClusterBreakers nodeB = gate(storeB, b, settings);
    connectionFailure(nodeA);
    assertThat(nodeB.state("warehouse")).isEqualTo(State.OPEN);

    for (int i = 0; i < 2; i++) {
      waiter("a", nodeA);
      waiter("b", nodeB);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> admitted() == 1);
    await().during(Duration.ofMillis(400)).until(() -> admitted() == 1);
    Waiter trial = waiters.stream().filter(Waiter::admitted).findFirst().orElseThrow();
    assertThat(trial.log)
        .contains(
            "connection 'warehouse' circuit half-open: this task is the trial for the cluster; its"
                + " success closes the circuit");
    String holder = trial.node + "#1";
    for (Waiter w : waiters) {
      if (w != trial) {
        w.awaitLog(
            "connection 'warehouse' circuit half-open: waiting for the result of its trial task"
                + " (on node "
                + holder
                + ")");
      }
    }
    assertThat(nodeA.state("warehouse")).isEqualTo(State.HALF_OPEN);

    trial.permit.get().release(Outcome.SUCCEEDED);
    await().atMost(Duration.ofSeconds(5)).until(() -> admitted() == 4);
    assertThat(nodeA.statuses()).containsEntry("warehouse", new Status(State.CLOSED, 0, null));
    assertThat(nodeB.state("warehouse")).isEqualTo(State.CLOSED);
  }

  @Test
  void a_trial_that_fails_to_connect_opens_the_circuit_again_for_every_node() throws Exception {
    // open long enough that the next task reads it open again before its time is up
    var settings = new Settings(1, OPEN_A_WHILE);
    ClusterBreakers nodeA = gate(storeA, a, settings);
    ClusterBreakers nodeB = gate(storeB, b, settings);
    connectionFailure(nodeA);

    Waiter trial = waiter("b", nodeB);
    await().atMost(Duration.ofSeconds(10)).until(trial::admitted);
    Waiter next = waiter("a", nodeA);
    next.awaitLog(
        "connection 'warehouse' circuit half-open: waiting for the result of its trial task (on"
            + " node b#1)");

    trial.permit.get().release(Outcome.CONNECTION_FAILED);
    assertThat(nodeA.state("warehouse")).isEqualTo(State.OPEN);
    next.awaitLog(
        "connection 'warehouse' circuit open after a trial task failed to connect again; waiting ");
    assertThat(next.log)
        .filteredOn(l -> l.contains("circuit open"))
        .singleElement()
        .asString()
        .matches(".*; waiting [12]s"); // the time left of a full period, rounded up
    await().atMost(Duration.ofSeconds(10)).until(next::admitted);
    assertThat(next.log.getLast())
        .isEqualTo(
            "connection 'warehouse' circuit half-open: this task is the trial for the cluster; its"
                + " success closes the circuit");
    next.permit.get().release(Outcome.SUCCEEDED);
    assertThat(nodeB.state("warehouse")).isEqualTo(State.CLOSED);
  }

  @Test
  void a_trial_that_says_nothing_or_whose_node_left_goes_to_a_task_of_another_node()
      throws Exception {
    var settings = new Settings(1, Duration.ofMillis(300));
    ClusterBreakers nodeA = gate(storeA, a, settings);
    ClusterBreakers nodeB = gate(storeB, b, settings);
    connectionFailure(nodeA);

    Waiter first = waiter("a", nodeA);
    await().atMost(Duration.ofSeconds(10)).until(first::admitted);
    Waiter second = waiter("b", nodeB);
    second.awaitLog("connection 'warehouse' circuit half-open: waiting for the result");
    first.permit.get().release(Outcome.FAILED); // bad SQL: nothing about the connection
    await().atMost(Duration.ofSeconds(5)).until(second::admitted);

    Waiter third = waiter("a", nodeA);
    third.awaitLog("connection 'warehouse' circuit half-open: waiting for the result");
    storeB.leaveCluster("b", b.epoch()); // b is gone with its trial out
    await().atMost(Duration.ofSeconds(5)).until(third::admitted);
    assertThat(storeA.circuitBreakers().find("warehouse").orElseThrow().trialHolder())
        .isEqualTo("a#1");
  }

  @Test
  void a_cancel_while_the_gate_asks_the_store_ends_the_task_and_a_cancelled_trial_is_freed()
      throws Exception {
    ClusterBreakers nodeA = gate(storeA, a, new Settings(1, Duration.ofMillis(1)));
    connectionFailure(nodeA);
    await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.state("warehouse") == State.HALF_OPEN);
    var outcome = new AtomicReference<Object>();
    // interrupted before it asks: a virtual thread's socket closes under the store's query, and
    // that failure must read as the cancel, not as a store away (which would let the task go)
    Thread.ofVirtual()
        .start(() -> {
          Thread.currentThread().interrupt();
          try {
            outcome.set(nodeA.acquire(request("cancelled"), (level, message) -> {}));
          } catch (InterruptedException e) {
            outcome.set(e);
          }
        })
        .join(10_000);
    assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
    assertThat(storeB.circuitBreakers().find("warehouse").orElseThrow().trialHolder()).isNull();

    Permit trial = nodeA.acquire(request("trial"), (level, message) -> {});
    assertThat(storeB.circuitBreakers().find("warehouse").orElseThrow().trialHolder())
        .isEqualTo("a#1");
    var stillInterrupted = new AtomicReference<Boolean>();
    Thread.ofVirtual()
        .start(() -> {
          Thread.currentThread().interrupt(); // the cancel that ended the trial
          trial.release(Outcome.CANCELLED);
          stillInterrupted.set(Thread.currentThread().isInterrupted());
        })
        .join(10_000);
    assertThat(stillInterrupted.get()).isTrue();
    assertThat(storeB.circuitBreakers().find("warehouse").orElseThrow().trialHolder()).isNull();
  }
}
