package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/** Stages the rows of a script's final query as the task's dataset (Parquet, like an extract). */
final class QueryFetch {
  private final ConnectionConfig source;
  private final Dialect dialect;
  private final Duration timeout;
  private final TaskContext context;

  QueryFetch(ConnectionConfig source, Dialect dialect, Duration timeout, TaskContext context) {
    this.source = source;
    this.dialect = dialect;
    this.timeout = timeout;
    this.context = context;
  }

  Dataset fetch(SqlScript.Statement query, Map<String, Object> params) throws Exception {
    Path out = context.stagingDir().resolve("data.parquet");
    Path db = context.stagingDir().resolve("fetch.duckdb");
    var reader = new SourceQuery(dialect, timeout);
    context.onCancel(reader::cancel);
    try (DuckSession duck =
        DuckSession.open(
            "jdbc:duckdb:" + db.toAbsolutePath(), new java.util.Properties(), context)) {
      var stage = new ExtractStage(duck, reader, source, dialect, context);
      String table = stage.read(0, NamedSql.parse(query.sql()), params);
      duck.exec("COPY (SELECT * FROM " + table + ") TO " + Sql.path(out) + " (FORMAT parquet)");
      return duck.dataset(context.taskId(), out);
    } catch (SQLException e) {
      if (reader.isCancelled()) {
        throw new TaskFailedException("jdbc.query cancelled");
      }
      throw Databases.statementFailure(
          "statement "
              + query.number()
              + " (line "
              + query.line()
              + ": "
              + query.firstLine()
              + "), the query whose rows fetch keeps, failed: "
              + context.mask(e.getMessage()),
          e);
    } finally {
      Files.deleteIfExists(db);
      Files.deleteIfExists(db.resolveSibling("fetch.duckdb.wal"));
    }
  }
}
