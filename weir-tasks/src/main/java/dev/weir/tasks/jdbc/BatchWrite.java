package dev.weir.tasks.jdbc;

import dev.weir.task.TaskContext;
import dev.weir.tasks.duck.DuckSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a dataset with batched prepared statements, for databases without a COPY path. Each row is
 * bound into every statement in turn (e.g. a delete by key, then an insert), a batch at a time.
 */
final class BatchWrite {
  static final int BATCH = 5_000;

  /**
   * @param sql a statement with one {@code ?} per entry of {@code columns}
   * @param columns for each placeholder, the index (0-based) of the dataset column bound to it
   */
  record Step(String sql, int[] columns) {}

  private BatchWrite() {}

  /** Runs the steps over every row; returns the rows read. */
  static long run(
      Connection conn, DatasetSource source, Dialect dialect, List<Step> steps, TaskContext context)
      throws SQLException {
    var statements = new ArrayList<PreparedStatement>();
    context.onCancel(() -> statements.forEach(BatchWrite::cancel));
    long rows = 0;
    try (DuckSession duck = DuckSession.memory(context);
        Statement st = duck.connection().createStatement();
        ResultSet rs = st.executeQuery(source.select(dialect))) {
      for (Step s : steps) {
        statements.add(conn.prepareStatement(s.sql()));
      }
      // the types after the conversions of DatasetSource, as DuckDB reports them
      var types = new ArrayList<String>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        types.add(rs.getMetaData().getColumnTypeName(i));
      }
      int inBatch = 0;
      while (rs.next()) {
        for (int k = 0; k < steps.size(); k++) {
          PreparedStatement ps = statements.get(k);
          int[] map = steps.get(k).columns();
          for (int p = 0; p < map.length; p++) {
            bind(ps, p + 1, rs, map[p] + 1, types.get(map[p]));
          }
          ps.addBatch();
        }
        rows++;
        if (++inBatch == BATCH) {
          flush(statements);
          inBatch = 0;
        }
      }
      if (inBatch > 0) {
        flush(statements);
      }
    } finally {
      for (PreparedStatement ps : statements) {
        ps.close();
      }
    }
    return rows;
  }

  private static void flush(List<PreparedStatement> statements) throws SQLException {
    for (PreparedStatement ps : statements) {
      ps.executeBatch();
    }
  }

  private static void bind(PreparedStatement ps, int p, ResultSet rs, int i, String type)
      throws SQLException {
    set(ps, p, value(rs, i, type));
  }

  /** Column {@code i} of the current row, as the target database's driver takes it. */
  static Object value(ResultSet rs, int i, String type) throws SQLException {
    String t = type.toUpperCase(Locale.ROOT);
    Object v;
    if (t.equals("BLOB")) {
      v = rs.getBytes(i);
    } else if (t.equals("DATE")) {
      v = rs.getObject(i, LocalDate.class);
    } else if (t.equals("TIME")) {
      v = rs.getObject(i, LocalTime.class);
    } else if (t.startsWith("TIMESTAMP WITH TIME ZONE") || t.equals("TIMESTAMPTZ")) {
      v = rs.getObject(i, OffsetDateTime.class);
    } else if (t.startsWith("TIMESTAMP")) {
      v = rs.getObject(i, LocalDateTime.class);
    } else {
      v = rs.getObject(i);
    }
    return v;
  }

  static void set(PreparedStatement ps, int p, Object v) throws SQLException {
    if (v == null) {
      ps.setNull(p, java.sql.Types.NULL);
    } else if (v instanceof java.math.BigInteger b) {
      ps.setBigDecimal(p, new java.math.BigDecimal(b));
    } else {
      ps.setObject(p, v);
    }
  }

  private static void cancel(Statement s) {
    try {
      s.cancel();
    } catch (SQLException | RuntimeException e) {
      // finished meanwhile
    }
  }
}
