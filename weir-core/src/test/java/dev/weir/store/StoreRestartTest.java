package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.weir.engine.RunHandle;
import dev.weir.engine.RunListener;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.RestartablePostgres;
import dev.weir.testing.TestTasks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The engine's PostgreSQL state store restarts while a run writes its transitions. */
class StoreRestartTest {
  @TempDir Path dir;

  @Test
  void a_run_whose_store_restarts_waits_for_it_and_finishes() throws Exception {
    var logs = new ListAppender<ILoggingEvent>();
    logs.start();
    Logger retryLog = (Logger) LoggerFactory.getLogger(StoreRetry.class);
    retryLog.addAppender(logs);
    String latch = "store-restart-" + UUID.randomUUID();
    try (RestartablePostgres pg = RestartablePostgres.start();
        var fx =
            new EngineFixture(
                dir,
                JdbcStateStore.open(pg.url(), null, null, "test PostgreSQL store"),
                Map.of(),
                RunListener.NONE)) {
      RunHandle run =
          fx.start(
              """
              id: store_restart
              tasks:
                - {id: first, type: test.block, latch: %s}
                - {id: second, type: test.ok}
                - {id: third, type: test.ok}
              """
                  .formatted(latch),
              Map.of());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> TestTasks.started(run.runId(), "first") == 1);

      pg.stop();
      // the attempt ends while the store is down: its transition must wait, not fail the run
      TestTasks.open(latch);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              logs.list.stream()
                  .anyMatch(e -> e.getFormattedMessage().contains("trying again in")));
      pg.startServer();

      RunRecord done = run.await(Duration.ofSeconds(90));
      assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
      assertThat(fx.latest(done.id()).values())
          .extracting(TaskRunRecord::state)
          .containsOnly(TaskState.SUCCEEDED)
          .hasSize(3);
      String first = logs.list.getFirst().getFormattedMessage();
      assertThat(first)
          .startsWith("state store (test PostgreSQL store): ")
          .doesNotContain("UPDATE", "\n")
          .containsPattern(
              "\\(SQLSTATE \\w{5}\\); trying again in \\d+ms \\(try 2, for up to 1m\\)$");
      assertThat(logs.list.getLast().getFormattedMessage())
          .matches("state store \\(test PostgreSQL store\\) is back after \\d+ failed tr(y|ies)");
    } finally {
      retryLog.detachAppender(logs);
    }
  }
}
