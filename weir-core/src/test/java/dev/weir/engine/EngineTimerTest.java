package dev.weir.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.task.TaskRegistry;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.ManualTimer;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retry delays, timeouts and sensors on a timer the test advances: minutes of waiting cost no time,
 * and times are exact.
 */
class EngineTimerTest {
  static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;
  ManualTimer timer;
  EngineFixture fx;

  @BeforeEach
  void setUp() {
    TestTasks.reset();
    timer = new ManualTimer(T0);
    fx = new EngineFixture(dir, JdbcStateStore.h2(dir.resolve(".weir")), timer);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private RunHandle start(String yaml) {
    return fx.start(yaml, Map.of());
  }

  private static RunRecord await(RunHandle h) throws Exception {
    return h.await(Duration.ofSeconds(20));
  }

  @Test
  void a_five_minute_retry_starts_exactly_when_the_timer_reaches_it() throws Exception {
    RunHandle h =
        start(
            """
            id: flaky
            tasks:
              - {id: a, type: test.flaky, failures: 1, retry: {attempts: 2, delay: 5m}}
            """);
    fx.awaitTasks(h.runId(), t -> t.get("a").state() == TaskState.RETRY_WAIT);
    assertThat(timer.nextDue()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    timer.advance(Duration.ofMinutes(4));
    assertThat(fx.latest(h.runId()).get("a").state()).isEqualTo(TaskState.RETRY_WAIT);
    timer.advance(Duration.ofMinutes(1));
    RunRecord run = await(h);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    TaskRunRecord second = fx.attempts(run.id(), "a").get(1);
    assertThat(second.retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
    assertThat(second.startedAt()).isEqualTo(second.retryAt());
  }

  @Test
  void a_task_timeout_fires_when_the_timer_passes_it() throws Exception {
    RunHandle h =
        start(
            """
            id: slow
            tasks:
              - {id: a, type: test.block, latch: never, timeout: 10m}
            """);
    // RUNNING is stored before the attempt starts, and its timeout with it
    fx.awaitTasks(
        h.runId(), t -> t.get("a").state() == TaskState.RUNNING && timer.pendingCount() == 1);
    timer.advance(Duration.ofMinutes(10));
    RunRecord run = await(h);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    TaskRunRecord a = fx.latest(run.id()).get("a");
    assertThat(a.state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(a.error()).isEqualTo("timed out after 10m (task timeout)");
    assertThat(a.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
  }

  @Test
  void a_sensor_waits_between_checks_in_one_attempt_holding_no_thread() throws Exception {
    RunHandle h =
        start(
            """
            id: sense
            tasks:
              - {id: s, type: test.sensor, notYet: 2, interval: 1m}
              - {id: after, type: test.ok}
            """);
    TaskRunRecord waiting =
        fx.awaitTasks(h.runId(), t -> t.get("s").state() == TaskState.WAITING).get("s");
    assertThat(waiting.retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    assertThat(waiting.startedAt()).isEqualTo(T0);
    assertThat(TestTasks.INSIDE.get()).isZero();
    timer.advance(Duration.ofMinutes(1));
    fx.awaitTasks(
        h.runId(),
        t ->
            t.get("s").state() == TaskState.WAITING
                && t.get("s").retryAt().equals(T0.plus(Duration.ofMinutes(2))));
    timer.advance(Duration.ofMinutes(1));
    RunRecord run = await(h);
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.attempts(run.id(), "s")).hasSize(1);
    TaskRunRecord s = fx.latest(run.id()).get("s");
    assertThat(s.outputs()).contains("\"checks\":3");
    assertThat(s.startedAt()).isEqualTo(T0);
    assertThat(s.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(fx.logs(run.id()))
        .extracting(LogLine::message)
        .contains("check 1: not there yet; next check in 1m");
  }

  @Test
  void a_sensor_timeout_counts_from_its_first_check_across_the_waits() throws Exception {
    RunHandle h =
        start(
            """
            id: sense
            tasks:
              - {id: s, type: test.sensor, notYet: 100, interval: 1m, timeout: 150s}
            """);
    fx.awaitTasks(h.runId(), t -> t.get("s").state() == TaskState.WAITING);
    timer.advance(Duration.ofMinutes(1));
    fx.awaitTasks(h.runId(), t -> T0.plus(Duration.ofMinutes(2)).equals(t.get("s").retryAt()));
    timer.advance(Duration.ofSeconds(90)); // a check at 2m, the limit at 2m30s
    RunRecord run = await(h);
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    TaskRunRecord s = fx.latest(run.id()).get("s");
    assertThat(s.state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(s.endedAt()).isEqualTo(T0.plus(Duration.ofSeconds(150)));
    assertThat(s.error()).isEqualTo("timed out after 2m30s (task timeout)");
  }

  @Test
  void a_cancelled_waiting_sensor_ends_cancelled() throws Exception {
    RunHandle h =
        start(
            """
            id: sense
            tasks:
              - {id: s, type: test.sensor, notYet: 100, interval: 1h}
            """);
    fx.awaitTasks(h.runId(), t -> t.get("s").state() == TaskState.WAITING);
    h.cancel("stopped by the test");
    RunRecord run = await(h);
    assertThat(run.state()).isEqualTo(RunState.CANCELLED);
    assertThat(fx.latest(run.id()).get("s").state()).isEqualTo(TaskState.CANCELLED);
    assertThat(timer.pendingCount()).isZero();
  }

  @Test
  void a_waiting_sensor_survives_a_restart_and_checks_again_at_its_stored_time() throws Exception {
    RunHandle h =
        start(
            """
            id: sense
            tasks:
              - {id: s, type: test.sensor, notYet: 1, interval: 10m, timeout: 1h}
            """);
    String runId = h.runId();
    fx.awaitTasks(runId, t -> t.get("s").state() == TaskState.WAITING);
    fx.engine.close(); // the process stops: nothing of the run is in memory any more
    var later = new ManualTimer(T0.plus(Duration.ofMinutes(4)));
    StateStore store = fx.store;
    try (var engine =
        new Engine(
            store,
            TaskRegistry.load(),
            EngineOptions.defaults(dir.resolve(".weir")).withTimer(later))) {
      RunHandle resumed = engine.resume(runId, false);
      assertThat(fx.latest(runId).get("s").state()).isEqualTo(TaskState.WAITING);
      fx.awaitTasks(runId, t -> later.pendingCount() == 2); // the next check and the timeout
      assertThat(later.nextDue()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
      later.advance(Duration.ofMinutes(6));
      RunRecord run = await(resumed);
      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(fx.attempts(runId, "s")).hasSize(1);
      assertThat(fx.latest(runId).get("s").endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }
  }
}
