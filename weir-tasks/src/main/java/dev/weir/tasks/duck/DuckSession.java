package dev.weir.tasks.duck;

import static dev.weir.tasks.duck.Sql.readParquet;

import dev.weir.task.Dataset;
import dev.weir.task.TaskContext;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DuckDB connection whose running statements can be cancelled from another thread: DuckDB's JDBC
 * driver interrupts a query through {@link Statement#cancel()} only, not the connection.
 */
public final class DuckSession implements AutoCloseable {
  private final Connection conn;
  private final Set<Statement> running = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  private DuckSession(Connection conn) {
    this.conn = conn;
  }

  /** A private in-memory database whose statements stop when the task is cancelled. */
  public static DuckSession memory(TaskContext context) throws SQLException {
    return open("jdbc:duckdb:", new Properties(), context);
  }

  public static DuckSession open(String url, Properties properties, TaskContext context)
      throws SQLException {
    var session = new DuckSession(DuckFiles.connect(url, properties));
    context.onCancel(session::cancel);
    return session;
  }

  public Connection connection() {
    return conn;
  }

  /** Runs {@code sql}; returns the update count, or -1 for statements that return rows. */
  public long exec(String sql) throws SQLException {
    try (Statement s = statement()) {
      try {
        return s.execute(sql) ? -1 : s.getLargeUpdateCount();
      } finally {
        running.remove(s);
      }
    }
  }

  /** The first column of the first row of {@code sql} as a long (0 when null). */
  public long queryLong(String sql) throws SQLException {
    try (Statement s = statement();
        ResultSet rs = s.executeQuery(sql)) {
      running.remove(s);
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  /** Up to {@code limit} rows of {@code query} as maps of JSON-friendly values, for outputs. */
  public List<Map<String, Object>> rows(String query, int limit) throws SQLException {
    var rows = new ArrayList<Map<String, Object>>();
    try (Statement s = statement();
        ResultSet rs = s.executeQuery("SELECT * FROM (" + query + ") LIMIT " + limit)) {
      running.remove(s);
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        var row = new LinkedHashMap<String, Object>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), plain(rs.getObject(i)));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The columns {@code query} returns, with DuckDB's type names. */
  public List<Dataset.Column> columns(String query) throws SQLException {
    var columns = new ArrayList<Dataset.Column>();
    for (Map<String, Object> row : rows("DESCRIBE " + query, Integer.MAX_VALUE)) {
      columns.add(
          new Dataset.Column((String) row.get("column_name"), (String) row.get("column_type")));
    }
    return columns;
  }

  /** Describes a staged Parquet file as the dataset of {@code taskId}. */
  public Dataset dataset(String taskId, Path parquet) throws SQLException {
    List<Dataset.Column> columns = columns("SELECT * FROM " + readParquet(parquet));
    Map<String, Object> stats =
        rows("SELECT count(*) AS n, bit_xor(hash(t)) AS h FROM " + readParquet(parquet) + " t", 1)
            .getFirst();
    long rows = ((Number) stats.get("n")).longValue();
    Object sum = stats.get("h");
    // bit_xor over row hashes does not depend on row order, so equal data gives equal sums
    String checksum = sum == null ? "0" : new BigInteger(sum.toString()).toString(16);
    return new Dataset(taskId, parquet.toAbsolutePath(), columns, rows, checksum);
  }

  public void cancel() {
    cancelled = true;
    for (Statement s : running) {
      try {
        s.cancel();
      } catch (SQLException | RuntimeException e) {
        // the statement finished meanwhile; nothing to stop
      }
    }
  }

  public boolean isCancelled() {
    return cancelled;
  }

  private Statement statement() throws SQLException {
    if (cancelled) {
      throw new SQLException("cancelled");
    }
    Statement s = conn.createStatement();
    running.add(s);
    return s;
  }

  // Outputs are stored as JSON; dates, UUIDs and DuckDB structs travel as their text.
  private static Object plain(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return n instanceof BigInteger b && b.bitLength() < 64 ? b.longValue() : n;
    }
    return value.toString();
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
