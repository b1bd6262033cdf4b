package dev.weir.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.engine.RunHandle;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolsTest {
  @TempDir Path dir;
  EngineFixture fx;
  Pools pools;

  @BeforeEach
  void setUp() {
    TestTasks.reset();
    pools = new Pools(Map.of("warehouse", 2, "single", 1));
    fx = new EngineFixture(dir, pools);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static String flow(String id, String pool, String... tasks) {
    var sb = new StringBuilder("id: " + id + "\ntasks:\n");
    for (String t : tasks) {
      sb.append("  - {id: ")
          .append(t)
          .append(", type: test.block, latch: go, dependsOn: []")
          .append(pool == null ? "" : ", pool: " + pool)
          .append("}\n");
    }
    return sb.toString();
  }

  private static String okIn(String pool) {
    return "id: next\ntasks:\n  - {id: n, type: test.ok, pool: " + pool + "}\n";
  }

  private List<TaskRunRecord> inState(List<RunHandle> runs, TaskState state) {
    var out = new ArrayList<TaskRunRecord>();
    for (RunHandle h : runs) {
      fx.latest(h.runId()).values().stream().filter(t -> t.state() == state).forEach(out::add);
    }
    return out;
  }

  private boolean queued(RunHandle h, String taskId) {
    TaskRunRecord t = fx.latest(h.runId()).get(taskId);
    return t != null && t.state() == TaskState.QUEUED;
  }

  private static RunRecord awaitEnd(RunHandle h) {
    try {
      return h.await(Duration.ofSeconds(30));
    } catch (TimeoutException e) {
      throw new AssertionError("run " + h.runId() + " did not end", e);
    }
  }

  @Test
  void a_pool_of_two_lets_two_tasks_of_several_flows_in_at_once_and_the_rest_wait_queued() {
    var runs =
        List.of(
            fx.start("a.yaml", flow("a", "warehouse", "a1", "a2")),
            fx.start("b.yaml", flow("b", "warehouse", "b1", "b2")),
            fx.start("c.yaml", flow("c", "warehouse", "c1")));
    await().atMost(Duration.ofSeconds(10)).until(() -> inState(runs, TaskState.QUEUED).size() == 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 2);
    // nobody else gets in, however long we look
    await().during(Duration.ofMillis(300)).until(() -> TestTasks.INSIDE.get() == 2);
    assertThat(pools.inUse("warehouse")).isEqualTo(2);
    // rows and log lines are written behind the tasks' backs (log lines by a background writer)
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> {
          assertThat(inState(runs, TaskState.RUNNING)).hasSize(2);
          assertThat(inState(runs, TaskState.QUEUED)).hasSize(3);
          List<String> waiting = new ArrayList<>();
          for (RunHandle h : runs) {
            fx.logs(h.runId()).stream()
                .map(LogLine::message)
                .filter(m -> m.startsWith("waiting for pool 'warehouse' (2/2 in use"))
                .forEach(waiting::add);
          }
          assertThat(waiting).hasSize(3);
        });

    TestTasks.open("go");
    for (RunHandle h : runs) {
      assertThat(awaitEnd(h).state()).isEqualTo(RunState.SUCCEEDED);
    }
    assertThat(TestTasks.STARTED).hasSize(5);
    assertThat(TestTasks.MAX_INSIDE.get()).isEqualTo(2);
    assertThat(pools.inUse("warehouse")).isZero();
  }

  @Test
  void tasks_without_a_pool_are_not_held_back_by_a_full_one() {
    RunHandle full = fx.start("a.yaml", flow("a", "single", "holder"));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);
    RunRecord free =
        fx.run(
            """
            id: free
            tasks:
              - {id: x, type: test.ok}
            """);
    assertThat(free.state()).isEqualTo(RunState.SUCCEEDED);
    TestTasks.open("go");
    assertThat(awaitEnd(full).state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void cancelling_a_run_whose_task_waits_for_a_slot_ends_it_cancelled_and_takes_no_slot() {
    RunHandle holder = fx.start("a.yaml", flow("a", "single", "holder"));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);
    RunHandle waiter = fx.start("b.yaml", flow("b", "single", "waiter"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            fx.logs(waiter.runId()).stream()
                .anyMatch(l -> l.message().startsWith("waiting for pool 'single'")));

    waiter.cancel("cancelled by the user");
    RunRecord cancelled = awaitEnd(waiter);

    assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
    TaskRunRecord t = fx.latest(cancelled.id()).get("waiter");
    assertThat(t.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(t.startedAt()).isNull();
    assertThat(TestTasks.started(cancelled.id(), "waiter")).isZero();
    // the holder still holds its slot: the cancel gave back nothing it did not have
    await().atMost(Duration.ofSeconds(5)).until(() -> pools.waiting("single") == 0);
    assertThat(pools.inUse("single")).isEqualTo(1);
    TestTasks.open("go");
    assertThat(awaitEnd(holder).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(pools.inUse("single")).isZero();
    assertThat(fx.run(okIn("single")).state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void cancelling_a_run_whose_task_holds_a_slot_gives_the_slot_back() {
    RunHandle holder = fx.start("a.yaml", flow("a", "single", "holder"));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);
    holder.cancel("stop");
    assertThat(awaitEnd(holder).state()).isEqualTo(RunState.CANCELLED);
    await().atMost(Duration.ofSeconds(5)).until(() -> pools.inUse("single") == 0);
  }

  @Test
  void a_failed_task_gives_its_slot_back() {
    RunRecord run =
        fx.run(
            """
            id: failing
            tasks:
              - {id: f, type: test.fail, retryable: false, pool: single}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(pools.inUse("single")).isZero();
    assertThat(fx.run(okIn("single")).state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void a_timed_out_task_gives_its_slot_back_and_its_retry_gets_it_again() {
    RunRecord run =
        fx.run(
            """
            id: slow
            retry: {attempts: 2, delay: 10ms}
            tasks:
              - {id: s, type: test.sleep, duration: 30s, timeout: 200ms, pool: single}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.attempts(run.id(), "s"))
        .extracting(TaskRunRecord::state)
        .containsExactly(TaskState.TIMED_OUT, TaskState.TIMED_OUT);
    await().atMost(Duration.ofSeconds(5)).until(() -> pools.inUse("single") == 0);
  }

  @Test
  void waiting_for_a_slot_does_not_count_against_the_task_timeout() throws Exception {
    RunHandle holder = fx.start("a.yaml", flow("a", "single", "holder"));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);
    RunHandle patient =
        fx.start(
            "b.yaml",
            """
            id: patient
            tasks:
              - {id: p, type: test.ok, timeout: 300ms, pool: single}
            """);
    // first the task's row and its wait for the pool, written after the start returned
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            fx.logs(patient.runId()).stream()
                .anyMatch(l -> l.message().startsWith("waiting for pool 'single'")));
    await().atMost(Duration.ofSeconds(10)).until(() -> queued(patient, "p"));
    // then it stays queued well past its timeout, all of it spent waiting
    await()
        .during(Duration.ofMillis(800))
        .atMost(Duration.ofSeconds(5))
        .until(() -> queued(patient, "p"));
    TestTasks.open("go");
    assertThat(awaitEnd(patient).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(awaitEnd(holder).state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void a_task_naming_an_undefined_pool_fails_at_once_naming_the_defined_ones() {
    RunRecord run =
        fx.run(
            """
            id: typo
            retry: {attempts: 3, delay: 10ms}
            tasks:
              - {id: load, type: test.ok, pool: warehous}
            """);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.attempts(run.id(), "load")).hasSize(1);
    assertThat(fx.latest(run.id()).get("load").error())
        .isEqualTo(
            "pool 'warehous' is not defined in the server config (defined pools: single (1),"
                + " warehouse (2)); add it to the server config, e.g. `pools: {warehous: 4}`, or"
                + " remove `pool:` from the task");
    assertThat(TestTasks.STARTED).isEmpty();
  }
}
