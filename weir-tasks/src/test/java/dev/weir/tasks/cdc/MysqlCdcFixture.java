package dev.weir.tasks.cdc;

import dev.weir.task.TaskResult;
import dev.weir.tasks.TestContext;
import dev.weir.testing.BinlogMariaDb;
import dev.weir.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A binlog MariaDB of the test's own (the source, database {@code shop}), a task context with
 * connections {@code source_mysql}, {@code warehouse} (a fresh PostgreSQL schema) and {@code duck},
 * and helpers to run cdc.mysql and compare tables.
 */
final class MysqlCdcFixture {
  final BinlogMariaDb db;
  final TestContext context;
  final Path dir;
  final String warehouse;

  MysqlCdcFixture(BinlogMariaDb db, Path dir) {
    this.db = db;
    this.dir = dir;
    this.warehouse = TestDatabases.freshPostgresSchemaUrl();
    this.context =
        new TestContext(dir)
            .connection("source_mysql", db.url("shop"))
            .connection("warehouse", warehouse)
            .connection("duck", "jdbc:duckdb:" + dir.resolve("warehouse.duckdb"));
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url("shop"));
        var st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  TaskResult run(String taskId, String yaml) throws Exception {
    return context.run(taskId, new CdcMysqlTask(), yaml);
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

  List<String> source(String query) throws SQLException {
    return CdcFixture.rows(db.url("shop"), query);
  }

  void targetSql(String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(warehouse);
        var st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  List<String> target(String query) throws SQLException {
    return CdcFixture.rows(warehouse, query);
  }

  /** The schema history the task keeps in the state store. */
  List<String> history(String taskId) {
    return context
        .store()
        .streamOffsets()
        .history(new dev.weir.store.StreamOffsetStore.StreamKey("test", "flow", taskId));
  }

  String duckUrl() {
    return "jdbc:duckdb:" + dir.resolve("warehouse.duckdb");
  }
}
