package dev.weir.engine.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.engine.RunHandle;
import dev.weir.engine.gate.CircuitBreakers.Settings;
import dev.weir.engine.gate.CircuitBreakers.State;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.SettableClock;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CircuitBreakersTest {
  static final String CONNECTION_DOWN =
      """
      id: down
      tasks:
        - {id: t, type: test.fail, connection: warehouse, connectionFailure: true, message: refused}
      """;
  static final String OK =
      """
      id: ok
      tasks:
        - {id: t, type: test.ok, connection: warehouse}
      """;

  @TempDir Path dir;
  SettableClock clock = new SettableClock(Instant.parse("2024-05-01T10:00:00Z"));
  CircuitBreakers breakers =
      new CircuitBreakers(new Settings(2, Duration.ofSeconds(60)), clock, Duration.ofMillis(10));
  EngineFixture fx;
  int files;

  @BeforeEach
  void setUp() {
    TestTasks.reset();
    fx = new EngineFixture(dir, breakers);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private RunHandle start(String yaml) {
    return fx.start("flow" + files++ + ".yaml", yaml);
  }

  private static RunRecord awaitEnd(RunHandle h) {
    try {
      return h.await(Duration.ofSeconds(30));
    } catch (TimeoutException e) {
      throw new AssertionError("run " + h.runId() + " did not end", e);
    }
  }

  private void awaitLog(RunHandle h, String prefix) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.logs(h.runId()).stream().anyMatch(l -> l.message().startsWith(prefix)));
  }

  private void open() {
    assertThat(fx.run(CONNECTION_DOWN).state()).isEqualTo(RunState.FAILED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.CLOSED);
    assertThat(fx.run(CONNECTION_DOWN).state()).isEqualTo(RunState.FAILED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.OPEN);
  }

  @Test
  void opens_after_consecutive_connection_failures_then_tasks_wait_queued_without_running() {
    open();
    assertThat(breakers.statuses())
        .containsEntry(
            "warehouse",
            new CircuitBreakers.Status(State.OPEN, 2, clock.instant().plusSeconds(60)));

    RunHandle waiting = start(OK);
    awaitLog(waiting, "connection 'warehouse' circuit open");
    await()
        .during(Duration.ofMillis(300))
        .until(() -> TestTasks.started(waiting.runId(), "t") == 0);
    assertThat(fx.latest(waiting.runId()).get("t").state()).isEqualTo(TaskState.QUEUED);
    assertThat(fx.logs(waiting.runId()))
        .extracting(LogLine::message)
        .containsExactly(
            "connection 'warehouse' circuit open after 2 consecutive connection failures; waiting"
                + " 60s");

    clock.advance(Duration.ofSeconds(61));
    RunRecord trial = awaitEnd(waiting);

    assertThat(trial.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.logs(trial.id()))
        .extracting(LogLine::message)
        .contains(
            "connection 'warehouse' circuit half-open: this task is the trial; its success closes"
                + " the circuit");
    assertThat(breakers.statuses().get("warehouse"))
        .isEqualTo(new CircuitBreakers.Status(State.CLOSED, 0, null));
  }

  @Test
  void a_trial_that_fails_to_connect_opens_the_circuit_again_for_a_full_period() {
    open();
    RunHandle trial = start(CONNECTION_DOWN);
    awaitLog(trial, "connection 'warehouse' circuit open");
    clock.advance(Duration.ofSeconds(61));
    assertThat(awaitEnd(trial).state()).isEqualTo(RunState.FAILED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.OPEN);

    RunHandle next = start(OK);
    awaitLog(
        next,
        "connection 'warehouse' circuit open after a trial task failed to connect again; waiting"
            + " 60s");
    clock.advance(Duration.ofSeconds(30));
    await().during(Duration.ofMillis(200)).until(() -> TestTasks.started(next.runId(), "t") == 0);
    clock.advance(Duration.ofSeconds(31));
    assertThat(awaitEnd(next).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.CLOSED);
  }

  @Test
  void while_half_open_only_the_trial_runs_and_its_success_lets_the_others_go() {
    open();
    String blocked =
        """
        id: blocked
        tasks:
          - {id: t, type: test.block, latch: trial, connection: warehouse}
        """;
    RunHandle first = start(blocked);
    RunHandle second = start(blocked);
    awaitLog(first, "connection 'warehouse' circuit open");
    awaitLog(second, "connection 'warehouse' circuit open");

    clock.advance(Duration.ofSeconds(61));
    await().atMost(Duration.ofSeconds(10)).until(() -> TestTasks.INSIDE.get() == 1);
    await().during(Duration.ofMillis(300)).until(() -> TestTasks.INSIDE.get() == 1);
    assertThat(breakers.state("warehouse")).isEqualTo(State.HALF_OPEN);
    RunHandle waiter = TestTasks.started(first.runId(), "t") == 1 ? second : first;
    assertThat(TestTasks.started(waiter.runId(), "t")).isZero();
    assertThat(fx.latest(waiter.runId()).get("t").state()).isEqualTo(TaskState.QUEUED);
    awaitLog(
        waiter,
        "connection 'warehouse' circuit half-open: waiting for the result of its trial task");

    TestTasks.open("trial");
    assertThat(awaitEnd(first).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(awaitEnd(second).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.CLOSED);
  }

  @Test
  void an_open_circuit_reports_half_open_once_its_time_is_up() {
    open();
    clock.advance(Duration.ofSeconds(59));
    assertThat(breakers.state("warehouse")).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(1));
    assertThat(breakers.statuses().get("warehouse"))
        .isEqualTo(new CircuitBreakers.Status(State.HALF_OPEN, 2, null));
    assertThat(breakers.state("never_used")).isEqualTo(State.CLOSED);
  }

  @Test
  void a_success_on_the_connection_resets_the_count() {
    assertThat(fx.run(CONNECTION_DOWN).state()).isEqualTo(RunState.FAILED);
    assertThat(fx.run(OK).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.run(CONNECTION_DOWN).state()).isEqualTo(RunState.FAILED);
    assertThat(breakers.statuses().get("warehouse"))
        .isEqualTo(new CircuitBreakers.Status(State.CLOSED, 1, null));
  }

  @Test
  void failures_that_are_not_connection_failures_do_not_count() {
    for (int i = 0; i < 3; i++) {
      RunRecord run =
          fx.run(
              """
              id: bad_sql
              tasks:
                - {id: t, type: test.fail, connection: warehouse, message: syntax error}
              """);
      assertThat(run.state()).isEqualTo(RunState.FAILED);
    }
    assertThat(breakers.statuses().get("warehouse"))
        .isEqualTo(new CircuitBreakers.Status(State.CLOSED, 0, null));
  }

  @Test
  void connections_have_separate_circuits() {
    open();
    RunRecord other =
        fx.run(
            """
            id: other
            tasks:
              - {id: t, type: test.ok, connection: source_pg}
            """);
    assertThat(other.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.OPEN);
    assertThat(breakers.state("source_pg")).isEqualTo(State.CLOSED);
  }

  @Test
  void a_task_cancelled_while_the_circuit_is_open_ends_cancelled_and_is_not_the_trial() {
    open();
    RunHandle cancelled = start(OK);
    awaitLog(cancelled, "connection 'warehouse' circuit open");
    cancelled.cancel("stop");
    RunRecord run = awaitEnd(cancelled);
    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    assertThat(fx.latest(run.id()).get("t").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(TestTasks.started(run.id(), "t")).isZero();

    clock.advance(Duration.ofSeconds(61));
    assertThat(fx.run(OK).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.CLOSED);
  }

  @Test
  void a_trial_refused_by_a_later_gate_hands_the_trial_to_the_next_task() {
    fx.close();
    fx = new EngineFixture(dir, new Gates(breakers, new Pools(Map.of())));
    open();
    clock.advance(Duration.ofSeconds(61));
    RunRecord refused =
        fx.run(
            """
            id: unknown_pool
            tasks:
              - {id: t, type: test.ok, connection: warehouse, pool: nope}
            """);
    assertThat(refused.state()).isEqualTo(RunState.FAILED);
    assertThat(refused.error()).contains("pool 'nope' is not defined");
    assertThat(breakers.state("warehouse")).isEqualTo(State.HALF_OPEN);

    assertThat(awaitEnd(start(OK)).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.CLOSED);
  }

  @Test
  void a_task_waiting_for_an_open_circuit_holds_no_pool_slot() {
    fx.close();
    var pools = new Pools(Map.of("single", 1));
    fx = new EngineFixture(dir, new Gates(breakers, pools));
    open();
    RunHandle waiting =
        start(
            """
            id: waits
            tasks:
              - {id: t, type: test.ok, connection: warehouse, pool: single}
            """);
    awaitLog(waiting, "connection 'warehouse' circuit open");
    assertThat(pools.inUse("single")).isZero();
    RunRecord other =
        fx.run(
            """
            id: other
            tasks:
              - {id: t, type: test.ok, connection: source_pg, pool: single}
            """);
    assertThat(other.state()).isEqualTo(RunState.SUCCEEDED);
    clock.advance(Duration.ofSeconds(61));
    assertThat(awaitEnd(waiting).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(pools.inUse("single")).isZero();
  }
}
