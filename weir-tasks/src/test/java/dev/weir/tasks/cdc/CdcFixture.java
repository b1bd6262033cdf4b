package dev.weir.tasks.cdc;

import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.testing.RestartablePostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A logical-decoding PostgreSQL of the test's own (the source, and a target in schema {@code raw}),
 * a task context with connections {@code source_pg}, {@code warehouse} and {@code duck}, and
 * helpers to run the task and compare tables.
 */
final class CdcFixture implements AutoCloseable {
  final RestartablePostgres pg;
  final TestContext context;
  final Path dir;

  CdcFixture(RestartablePostgres pg, Path dir) {
    this.pg = pg;
    this.dir = dir;
    this.context =
        new TestContext(dir)
            .connection("source_pg", pg.url())
            .connection("warehouse", pg.url())
            .connection("duck", "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(pg.url());
        var st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  TaskResult run(String taskId, String yaml) throws Exception {
    return context.run(taskId, new CdcPostgresTask(), yaml);
  }

  /** Runs the task on a thread of its own (it streams until cancelled). */
  CompletableFuture<TaskResult> start(String taskId, String yaml) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return run(taskId, yaml);
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
  }

  TaskResult stop(CompletableFuture<TaskResult> running) throws Exception {
    context.cancel();
    return running.get(60, TimeUnit.SECONDS);
  }

  /** The rows of a query as text, one line a row, in the query's order. */
  static List<String> rows(String url, String query) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        var st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      var out = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        out.add(sb.toString());
      }
      return out;
    }
  }

  List<String> source(String query) throws SQLException {
    return rows(pg.url(), query);
  }

  String duckUrl() {
    return "jdbc:duckdb:" + dir.resolve("warehouse.duckdb");
  }

  boolean slotExists(String slot) throws SQLException {
    return !source("SELECT 1 FROM pg_replication_slots WHERE slot_name = '" + slot + "'").isEmpty();
  }

  @Override
  public void close() throws Exception {
    pg.close();
  }
}
