package dev.weir.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sensor's RUNNING → WAITING → RUNNING is one attempt: one START, not one per check. */
class SensorLineageTest {
  @TempDir Path dir;

  private static TaskRunRecord record(String task, int attempt, TaskState state) {
    Instant t = Instant.parse("2026-12-03T12:00:00Z");
    return new TaskRunRecord(
        "r-1",
        task,
        attempt,
        1,
        state,
        t,
        t,
        state.isTerminal() ? t : null,
        null,
        null,
        null,
        null,
        -1,
        null);
  }

  @Test
  void a_sensor_that_waited_twice_makes_one_start_and_one_complete() throws Exception {
    dev.weir.testing.TestTasks.reset();
    Path file = dir.resolve("lineage.jsonl");
    var store = dev.weir.store.JdbcStateStore.h2(dir.resolve(".weir"));
    try (var emitter =
            new LineageEmitter(new FileTransport(file), store, s -> s, 1, Duration.ofMillis(10));
        var fx = new dev.weir.testing.EngineFixture(dir, store, java.util.Map.of(), emitter)) {
      var run =
          fx.run(
              """
              id: orders
              namespace: shop
              tasks:
                - {id: s, type: test.sensor, notYet: 2, interval: 20ms}
              """);
      assertThat(run.state()).isEqualTo(dev.weir.store.RunState.SUCCEEDED);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> emitter.sent() == 4);
      var kinds =
          java.nio.file.Files.readAllLines(file).stream()
              .map(l -> {
                try {
                  var e = new com.fasterxml.jackson.databind.ObjectMapper().readTree(l);
                  return e.path("job").path("name").asText() + " " + e.path("eventType").asText();
                } catch (java.io.IOException x) {
                  throw new java.io.UncheckedIOException(x);
                }
              })
              .toList();
      assertThat(kinds)
          .containsExactly(
              "orders START", "orders.s START", "orders.s COMPLETE", "orders COMPLETE");
    }
  }

  @Test
  void only_the_first_running_of_an_attempt_is_a_start() throws Exception {
    try (var emitter =
        new LineageEmitter(
            new FileTransport(dir.resolve("e.jsonl")), null, s -> s, 1, Duration.ofMillis(10))) {
      assertThat(emitter.isRecheck(record("s", 1, TaskState.RUNNING))).isFalse();
      assertThat(emitter.isRecheck(record("s", 1, TaskState.WAITING))).isFalse();
      assertThat(LineageEmitter.type(record("s", 1, TaskState.WAITING))).isNull();
      assertThat(emitter.isRecheck(record("s", 1, TaskState.RUNNING))).isTrue();
      assertThat(emitter.isRecheck(record("other", 1, TaskState.RUNNING))).isFalse();
      assertThat(emitter.isRecheck(record("s", 1, TaskState.SUCCEEDED))).isFalse();
      // a new attempt of the same task starts anew
      assertThat(emitter.isRecheck(record("s", 2, TaskState.RUNNING))).isFalse();
      // and the ended attempt is forgotten
      assertThat(emitter.isRecheck(record("s", 1, TaskState.RUNNING))).isFalse();
    }
  }
}
