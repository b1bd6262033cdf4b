package dev.weir.tasks.jdbc;

import dev.weir.task.TaskFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.duckdb.DuckDBAppender;

/** Streams the rows of one source query into a DuckDB table through its appender. */
final class SourceQuery {
  private static final int FETCH_SIZE = 10_000;

  private final Dialect dialect;
  private final Duration timeout;
  private final Set<Statement> running = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  SourceQuery(Dialect dialect, Duration timeout) {
    this.dialect = dialect;
    this.timeout = timeout;
  }

  /** Binds {@code params} by name into {@code sql}. */
  PreparedStatement prepare(Connection conn, NamedSql sql, Map<String, Object> params)
      throws SQLException {
    if (cancelled) {
      throw new SQLException("cancelled");
    }
    PreparedStatement ps =
        conn.prepareStatement(sql.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
    running.add(ps);
    for (int i = 0; i < sql.names().size(); i++) {
      String name = sql.names().get(i);
      if (!params.containsKey(name)) {
        throw TaskFailedException.permanent(
            "the query uses :"
                + name
                + " but no such parameter is given (given: "
                + String.join(", ", params.keySet())
                + "); add it under `params:`, e.g. `params: {"
                + name
                + ": \"{{ inputs."
                + name
                + " }}\"}`");
      }
      ps.setObject(i + 1, params.get(name));
    }
    if (timeout != null) {
      ps.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
    }
    // PostgreSQL streams only inside a transaction; MariaDB streams with any fetch size
    if (dialect == Dialect.POSTGRES) {
      conn.setAutoCommit(false);
    }
    ps.setFetchSize(FETCH_SIZE);
    return ps;
  }

  /** Copies every row to {@code out}; returns the row count. */
  long copy(PreparedStatement ps, List<SourceColumns.Column> columns, DuckDBAppender out)
      throws SQLException {
    long rows = 0;
    try (ResultSet rs = ps.executeQuery()) {
      int n = columns.size();
      while (rs.next()) {
        out.beginRow();
        for (int i = 0; i < n; i++) {
          columns.get(i).copier().copy(rs, i + 1, out);
        }
        out.endRow();
        rows++;
        if ((rows & 0xFFFF) == 0 && cancelled) {
          throw new SQLException("cancelled");
        }
      }
    } finally {
      running.remove(ps);
    }
    return rows;
  }

  void cancel() {
    cancelled = true;
    for (Statement s : running) {
      try {
        s.cancel();
      } catch (SQLException | RuntimeException e) {
        // finished meanwhile
      }
    }
  }

  boolean isCancelled() {
    return cancelled;
  }
}
