package dev.weir.tasks.jdbc;

import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the statements of a script on one connection, in one transaction or each on its own, and
 * logs the rows each affected. A failing statement rolls the transaction back and fails the task
 * naming the statement by its number, line and first line.
 */
final class ScriptRunner {
  private final Dialect dialect;
  private final Duration timeout;
  private final Map<String, Object> params;
  private final TaskContext context;
  private volatile Statement running;
  private volatile boolean cancelled;

  ScriptRunner(Dialect dialect, Duration timeout, Map<String, Object> params, TaskContext context) {
    this.dialect = dialect;
    this.timeout = timeout;
    this.params = params;
    this.context = context;
  }

  /**
   * Runs {@code script} on {@code conn}; the rows each statement affected (-1 where the database
   * does not say, as for DDL).
   */
  List<Long> run(Connection conn, List<SqlScript.Statement> script, boolean transaction)
      throws SQLException {
    boolean autoCommit = conn.getAutoCommit();
    conn.setAutoCommit(!transaction);
    var affected = new ArrayList<Long>();
    try {
      for (SqlScript.Statement s : script) {
        affected.add(execute(conn, s, script.size()));
      }
      if (transaction) {
        conn.commit();
      }
      if (transaction && script.size() > 1) {
        context.logger().info(script.size() + " statements committed in one transaction");
      }
      return affected;
    } catch (SQLException | RuntimeException e) {
      if (transaction) {
        rollback(conn);
      }
      throw e;
    } finally {
      restore(conn, autoCommit);
    }
  }

  private long execute(Connection conn, SqlScript.Statement s, int of) throws SQLException {
    if (cancelled) {
      throw new SQLException("cancelled");
    }
    long started = System.nanoTime();
    long rows;
    try {
      rows = params.isEmpty() ? plain(conn, s.sql()) : bound(conn, NamedSql.parse(s.sql()));
    } catch (SQLException e) {
      if (cancelled) {
        throw e;
      }
      throw Databases.statementFailure(
          String.format(
              Locale.ROOT,
              "statement %d of %d failed (line %d: %s): %s%s",
              s.number(),
              of,
              s.line(),
              s.firstLine(),
              context.mask(e.getMessage()),
              of > 1 ? rolledBack() : ""),
          e);
    }
    double ms = (System.nanoTime() - started) / 1e6;
    context
        .logger()
        .info(
            String.format(
                Locale.ROOT,
                "statement %d (%s): %s in %.0f ms",
                s.number(),
                s.firstLine(),
                rows < 0 ? "done" : String.format(Locale.ROOT, "%,d rows", rows),
                ms));
    return rows;
  }

  private String rolledBack() {
    return "; the transaction was rolled back";
  }

  private long plain(Connection conn, String sql) throws SQLException {
    try (Statement st = conn.createStatement()) {
      prepare(st);
      boolean results = st.execute(sql);
      return results ? -1 : st.getLargeUpdateCount();
    } finally {
      running = null;
    }
  }

  private long bound(Connection conn, NamedSql sql) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql.sql())) {
      for (int i = 0; i < sql.names().size(); i++) {
        String name = sql.names().get(i);
        if (!params.containsKey(name)) {
          throw TaskFailedException.permanent(
              "the script uses :"
                  + name
                  + " but no such parameter is given (given: "
                  + String.join(", ", params.keySet())
                  + "); add it under `params:`");
        }
        ps.setObject(i + 1, params.get(name));
      }
      prepare(ps);
      boolean results = ps.execute();
      return results ? -1 : ps.getLargeUpdateCount();
    } finally {
      running = null;
    }
  }

  private void prepare(Statement st) throws SQLException {
    running = st;
    if (timeout != null && dialect != Dialect.DUCKDB) {
      st.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
    }
  }

  void cancel() {
    cancelled = true;
    Statement s = running;
    if (s != null) {
      try {
        s.cancel();
      } catch (SQLException | RuntimeException e) {
        // it ended meanwhile
      }
    }
  }

  boolean isCancelled() {
    return cancelled;
  }

  private static void rollback(Connection conn) {
    try {
      if (!conn.isClosed()) {
        conn.rollback();
      }
    } catch (SQLException e) {
      // a broken connection cannot roll back: the database drops its transaction with it
    }
  }

  private static void restore(Connection conn, boolean autoCommit) {
    try {
      if (!conn.isClosed()) {
        conn.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      // the pool drops a broken connection
    }
  }
}
