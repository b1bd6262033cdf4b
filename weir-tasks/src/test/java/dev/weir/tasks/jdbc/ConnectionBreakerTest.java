package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.engine.RunHandle;
import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.engine.gate.CircuitBreakers.State;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database that is down opens its connection's circuit; when it is back, a trial closes it. */
class ConnectionBreakerTest {
  private static final String FLOW =
      """
      id: extract_orders
      tasks:
        - {id: extract, type: jdbc.extract, connection: warehouse, sql: SELECT 1 AS one}
      """;

  @TempDir Path dir;
  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final CircuitBreakers breakers =
      new CircuitBreakers(
          new CircuitBreakers.Settings(2, Duration.ofMinutes(5)), clock, Duration.ofMillis(10));
  private EngineFixture fx;

  @BeforeEach
  void setUp() {
    fx = new EngineFixture(dir, breakers);
  }

  @AfterEach
  void close() {
    fx.close();
  }

  private void warehouseAt(String url) {
    fx.write("weir.yaml", "connections:\n  warehouse: {url: '" + url + "'}\n");
  }

  @Test
  void refused_connections_open_the_circuit_and_a_trial_closes_it_once_the_database_is_back()
      throws Exception {
    warehouseAt("jdbc:postgresql://127.0.0.1:1/x?connectTimeout=2");
    for (int i = 0; i < 2; i++) {
      RunRecord failed = fx.run(FLOW);
      assertThat(failed.state()).isEqualTo(RunState.FAILED);
      assertThat(failed.error()).contains("could not be reached");
    }
    assertThat(breakers.state("warehouse")).isEqualTo(State.OPEN);

    warehouseAt("jdbc:h2:" + dir.resolve("warehouse"));
    RunHandle waiting = fx.start(FLOW, java.util.Map.of());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() ->
            fx.logs(waiting.runId()).stream()
                .map(LogLine::message)
                .anyMatch(m ->
                    m.equals(
                        "connection 'warehouse' circuit open after 2 consecutive connection failures;"
                            + " waiting 5m")));
    assertThat(fx.latest(waiting.runId()).get("extract").state()).isEqualTo(TaskState.QUEUED);

    clock.advance(Duration.ofMinutes(5));
    RunRecord trial = waiting.await(Duration.ofSeconds(30));
    assertThat(trial.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(breakers.state("warehouse")).isEqualTo(State.CLOSED);
  }
}
