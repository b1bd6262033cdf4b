package dev.weir.tasks.wait;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.RunHandle;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.ManualTimer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wait.file in a real engine on a timer the test advances: the sensor waits WAITING until its file
 * appears, then the task after it reads the file; its timeout counts across the waits.
 */
class WaitFileFlowTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir Path dir;
  private ManualTimer timer;
  private EngineFixture fx;

  @BeforeEach
  void start() {
    timer = new ManualTimer(T0);
    fx = new EngineFixture(dir, JdbcStateStore.h2(dir.resolve(".weir")), timer);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private static final String FLOW =
      """
      id: arrivals
      tasks:
        - id: arrived
          type: wait.file
          path: in/orders-*.csv
          interval: 1m
          timeout: TIMEOUT
        - id: orders
          type: file.read
          dependsOn: [arrived]
          path: "{{ outputs.arrived.files | first }}"
      """;

  @Test
  void waits_until_the_file_appears_then_the_next_task_reads_it() throws Exception {
    RunHandle h = fx.start(FLOW.replace("TIMEOUT", "1h"), Map.of());
    TaskRunRecord waiting =
        fx.awaitTasks(h.runId(), t -> t.get("arrived").state() == TaskState.WAITING).get("arrived");
    assertThat(waiting.retryAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    timer.advance(Duration.ofMinutes(1)); // the second check finds nothing either
    fx.awaitTasks(
        h.runId(),
        t ->
            t.get("arrived").state() == TaskState.WAITING
                && t.get("arrived").retryAt().equals(T0.plus(Duration.ofMinutes(2))));
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/orders-2026-12-03.csv"), "id,amount\n1,9.50\n2,3.00\n");
    timer.advance(Duration.ofMinutes(1));
    RunRecord run = h.await(Duration.ofSeconds(30));
    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(fx.attempts(run.id(), "arrived")).hasSize(1);
    TaskRunRecord arrived = fx.latest(run.id()).get("arrived");
    assertThat(arrived.outputs()).contains("\"count\":1").contains("orders-2026-12-03.csv");
    assertThat(arrived.startedAt()).isEqualTo(T0);
    assertThat(arrived.endedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
    assertThat(fx.latest(run.id()).get("orders").rows()).isEqualTo(2);
    assertThat(fx.logs(run.id()))
        .extracting(LogLine::message)
        .filteredOn(m -> m.startsWith("wait.file: no file matches"))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).startsWith("wait.file: no file matches in/orders-*.csv;"));
  }

  @Test
  void times_out_counting_from_the_first_check() throws Exception {
    RunHandle h = fx.start(FLOW.replace("TIMEOUT", "150s"), Map.of());
    fx.awaitTasks(h.runId(), t -> t.get("arrived").state() == TaskState.WAITING);
    timer.advance(Duration.ofMinutes(1));
    fx.awaitTasks(
        h.runId(), t -> T0.plus(Duration.ofMinutes(2)).equals(t.get("arrived").retryAt()));
    timer.advance(Duration.ofSeconds(90));
    RunRecord run = h.await(Duration.ofSeconds(30));
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    TaskRunRecord arrived = fx.latest(run.id()).get("arrived");
    assertThat(arrived.state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(arrived.endedAt()).isEqualTo(T0.plus(Duration.ofSeconds(150)));
    assertThat(fx.latest(run.id()).get("orders").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
  }
}
