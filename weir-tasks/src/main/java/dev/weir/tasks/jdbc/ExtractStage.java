package dev.weir.tasks.jdbc;

import dev.weir.config.ConnectionConfig;
import dev.weir.task.TaskContext;
import dev.weir.tasks.duck.DuckSession;
import dev.weir.tasks.duck.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Reads source queries into tables of the task's staging DuckDB database, one table a query. */
final class ExtractStage {
  private final DuckSession duck;
  private final SourceQuery query;
  private final ConnectionConfig source;
  private final Dialect dialect;
  private final TaskContext context;

  ExtractStage(
      DuckSession duck,
      SourceQuery query,
      ConnectionConfig source,
      Dialect dialect,
      TaskContext context) {
    this.duck = duck;
    this.query = query;
    this.source = source;
    this.dialect = dialect;
    this.context = context;
  }

  Connection open() {
    return Databases.open(source, context);
  }

  SourceQuery query() {
    return query;
  }

  /** Reads {@code sql} into table {@code weir_part_<n>}; returns the table's name. */
  String read(int n, NamedSql sql, Map<String, Object> params) throws SQLException {
    String table = "weir_part_" + n;
    try (Connection conn = open();
        DuckDBConnection local =
            (DuckDBConnection) ((DuckDBConnection) duck.connection()).duplicate()) {
      try (PreparedStatement ps = query.prepare(conn, sql, params)) {
        // the columns are known once the query runs; describe them from the statement
        var md = ps.getMetaData();
        List<SourceColumns.Column> columns = md == null ? null : SourceColumns.of(md, dialect);
        if (columns == null) {
          throw new SQLException("the driver does not describe the query's columns");
        }
        try (Statement st = local.createStatement()) {
          st.execute("CREATE TABLE " + table + " (" + definition(columns) + ")");
        }
        try (DuckDBAppender out = local.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
          query.copy(ps, columns, out);
        }
      } finally {
        endReadTransaction(conn);
      }
    }
    return table;
  }

  /**
   * Ends the read-only transaction opened for streaming. A connection the error broke cannot roll
   * back; that must not hide the error itself, and the pool drops such connections.
   */
  static void endReadTransaction(Connection conn) {
    try {
      if (!conn.isClosed() && !conn.getAutoCommit()) {
        conn.rollback();
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      // the original error is what the task reports
    }
  }

  private static String definition(List<SourceColumns.Column> columns) {
    var defs = new ArrayList<String>();
    var names = new java.util.HashSet<String>();
    for (SourceColumns.Column c : columns) {
      if (!names.add(c.name().toLowerCase(java.util.Locale.ROOT))) {
        throw new dev.weir.task.TaskFailedException(
            "the query returns column '"
                + c.name()
                + "' more than once; give each column its own name, e.g. `o.id AS order_id`",
            false,
            Map.of(),
            null);
      }
      defs.add(Sql.id(c.name()) + " " + c.duckType());
    }
    return String.join(", ", defs);
  }
}
