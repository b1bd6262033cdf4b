package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.sql.SQLException;
import java.util.Map;

/**
 * Reads a query on a named database connection into a table of a task's DuckDB session, for task
 * types outside this package (a quality check comparing with a warehouse table).
 */
public final class ConnectionTables {
  private ConnectionTables() {}

  /**
   * Runs {@code sql} on connection {@code connection} and copies its rows into a new table of
   * {@code duck}; returns the table's name. {@code n} makes the name unique within the session.
   *
   * @throws TaskFailedException naming the connection when it cannot be reached or the query fails
   */
  public static String read(
      DuckSession duck, String connection, String sql, int n, TaskContext context) {
    ConnectionConfig source = Databases.resolve(null, connection, context);
    Dialect dialect = Dialect.of(source.url());
    var query = new SourceQuery(dialect, null);
    context.onCancel(query::cancel);
    try {
      return new ExtractStage(duck, query, source, dialect, context)
          .read(n, NamedSql.parse(sql), Map.of());
    } catch (SQLException e) {
      String message =
          "reading from connection '" + connection + "' failed: " + Sql.message(e) + "\n  " + sql;
      throw Databases.statementFailure(context.mask(Databases.scrub(message, source)), e);
    }
  }

  /** A column name for SQL Weir writes to that connection: plain names unquoted, else quoted. */
  public static String column(String name, String connection, TaskContext context) {
    return JdbcExtractTask.column(
        name, Dialect.of(Databases.resolve(null, connection, context).url()));
  }
}
