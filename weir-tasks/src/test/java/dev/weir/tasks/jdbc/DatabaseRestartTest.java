package dev.weir.tasks.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.engine.RunHandle;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.testing.EngineFixture;
import dev.weir.testing.RestartablePostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL the test owns is restarted (pg_ctl's fast mode, as an administrator's restart) while
 * a task streams rows to or from it: the attempt fails as a connection failure, the engine retries
 * it, and the retry finds the server back.
 */
class DatabaseRestartTest {
  private static final int ROWS = 1_500_000;

  @TempDir Path dir;
  private RestartablePostgres pg;
  private EngineFixture fx;

  @BeforeEach
  void setUp() {
    pg = RestartablePostgres.start();
    fx = new EngineFixture(dir);
    fx.write("weir.yaml", "connections:\n  warehouse: {url: '" + pg.url() + "'}\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void a_restart_during_a_load_is_retried_and_the_table_holds_every_row_once() throws Exception {
    RunHandle run =
        fx.start(
            """
            id: restart_load
            tasks:
              - id: rows
                type: sql.transform
                sql: SELECT range::BIGINT AS id, 'row ' || range AS label FROM range(%d)
              - id: load
                type: jdbc.load
                dataset: rows
                connection: warehouse
                table: target
                retry: {attempts: 6, delay: 1s}
            """
                .formatted(ROWS),
            Map.of());
    CompletableFuture<Void> restart = restartWhenActive("COPY%");

    RunRecord done = run.await(Duration.ofMinutes(3));
    restart.get(10, TimeUnit.SECONDS);

    assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
    List<TaskRunRecord> attempts = fx.attempts(done.id(), "load");
    assertThat(attempts.getFirst().state()).isEqualTo(TaskState.FAILED);
    assertThat(attempts.getLast().state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(attempts.getFirst().error())
        .startsWith("jdbc.load into target of 'warehouse' failed, nothing was loaded: ")
        .containsPattern("\\(SQLSTATE (57P01|08006)\\)$");
    assertThat(retryLines(done.id()))
        .first()
        .asString()
        .startsWith("attempt 1 failed: jdbc.load into target of 'warehouse' failed")
        .endsWith("; retrying in 1.0s (try 2 of 6)");
    try (Connection c = DriverManager.getConnection(pg.url());
        ResultSet rs =
            c.createStatement().executeQuery("SELECT count(*), count(DISTINCT id) FROM target")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(ROWS);
      assertThat(rs.getLong(2)).isEqualTo(ROWS);
    }
  }

  @Test
  void a_restart_during_an_extract_is_retried_and_reads_every_row() throws Exception {
    try (Connection c = DriverManager.getConnection(pg.url())) {
      c.createStatement()
          .execute(
              "CREATE TABLE source AS SELECT i::bigint AS id, 'row ' || i AS label"
                  + " FROM generate_series(1, "
                  + ROWS
                  + ") i");
    }
    RunHandle run =
        fx.start(
            """
            id: restart_extract
            tasks:
              - id: extract
                type: jdbc.extract
                connection: warehouse
                sql: SELECT id, label FROM source CROSS JOIN pg_sleep(1)
                retry: {attempts: 6, delay: 1s}
            """,
            Map.of());
    // pg_sleep keeps the query running long enough to be seen however fast the machine reads
    CompletableFuture<Void> restart = restartWhenActive("%FROM source CROSS JOIN pg_sleep%");

    RunRecord done = run.await(Duration.ofMinutes(3));
    restart.get(10, TimeUnit.SECONDS);

    assertThat(done.state()).as(done.error()).isEqualTo(RunState.SUCCEEDED);
    List<TaskRunRecord> attempts = fx.attempts(done.id(), "extract");
    assertThat(attempts.getFirst().state()).isEqualTo(TaskState.FAILED);
    assertThat(attempts.getFirst().error())
        .startsWith("jdbc.extract failed reading 'warehouse': ")
        .containsPattern("\\(SQLSTATE (57P01|08006)\\)$");
    assertThat(attempts.getLast().state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(attempts.getLast().rows()).isEqualTo(ROWS);
    assertThat(retryLines(done.id()))
        .first()
        .asString()
        .endsWith("; retrying in 1.0s (try 2 of 6)");
  }

  @Test
  void a_missing_table_is_not_retried() {
    RunRecord done =
        fx.run(
            """
            id: missing_table
            tasks:
              - id: extract
                type: jdbc.extract
                connection: warehouse
                sql: SELECT * FROM no_such_table
                retry: {attempts: 6, delay: 1s}
            """);
    assertThat(done.state()).isEqualTo(RunState.FAILED);
    assertThat(fx.attempts(done.id(), "extract")).hasSize(1);
    assertThat(fx.attempts(done.id(), "extract").getFirst().error())
        .startsWith("jdbc.extract failed reading 'warehouse': ")
        .contains("no_such_table")
        .endsWith("(SQLSTATE 42P01)");
  }

  private List<String> retryLines(String runId) {
    return fx.logs(runId).stream()
        .map(LogLine::message)
        .filter(m -> m.contains("retrying in"))
        .toList();
  }

  /**
   * Restarts the server once a statement matching {@code like} has been running for a moment, so
   * the restart lands in the middle of it. Bounded: gives up after two minutes.
   */
  private CompletableFuture<Void> restartWhenActive(String like) {
    return CompletableFuture.runAsync(
        () -> {
          long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
          try (Connection c = DriverManager.getConnection(pg.url())) {
            var ps =
                c.prepareStatement(
                    "SELECT count(*) FROM pg_stat_activity WHERE state <> 'idle'"
                        + " AND query LIKE ? AND now() - query_start > interval '300 milliseconds'");
            ps.setString(1, like);
            while (System.nanoTime() < deadline) {
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                  break;
                }
              }
              Thread.sleep(20);
            }
          } catch (SQLException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
          try {
            pg.restart();
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        },
        r -> Thread.ofPlatform().daemon().name("restart-pg").start(r));
  }
}
