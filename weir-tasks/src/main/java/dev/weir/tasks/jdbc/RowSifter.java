package dev.weir.tasks.jdbc;

import dev.weir.deadletter.DeadLetters;
import dev.weir.task.TaskContext;
import dev.weir.task.TaskFailedException;
import dev.weir.tasks.duck.DuckSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a dataset in the caller's transaction a chunk at a time, each chunk behind a savepoint; a
 * chunk the database refuses for a bad row is rolled back and written again one row at a time, each
 * row behind its own savepoint, so the bad rows go to the dead letters and the good ones stay. At
 * most {@code budget} rows are written alone: past that the load fails as it would have without
 * dead letters.
 */
final class RowSifter {
  static final int CHUNK = 500;

  private final Connection conn;
  private final DatasetSource source;
  private final Dialect dialect;
  private final List<BatchWrite.Step> steps;
  private final DeadLetters letters;
  private final int budget;
  private final TaskContext context;
  private long alone;

  RowSifter(
      Connection conn,
      DatasetSource source,
      Dialect dialect,
      List<BatchWrite.Step> steps,
      DeadLetters letters,
      int budget,
      TaskContext context) {
    this.conn = conn;
    this.source = source;
    this.dialect = dialect;
    this.steps = steps;
    this.letters = letters;
    this.budget = budget;
    this.context = context;
  }

  private record Row(long number, Object[] values) {}

  /** Writes every row it can; returns how many it wrote. */
  long run() throws SQLException {
    var statements = new ArrayList<PreparedStatement>();
    long written = 0;
    try (DuckSession duck = DuckSession.memory(context);
        Statement st = duck.connection().createStatement();
        ResultSet rs = st.executeQuery(source.numberedSelect(dialect))) {
      for (BatchWrite.Step s : steps) {
        statements.add(conn.prepareStatement(s.sql()));
      }
      var types = new ArrayList<String>();
      for (int i = 2; i <= rs.getMetaData().getColumnCount(); i++) {
        types.add(rs.getMetaData().getColumnTypeName(i));
      }
      var chunk = new ArrayList<Row>(CHUNK);
      while (rs.next()) {
        Object[] values = new Object[types.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = BatchWrite.value(rs, i + 2, types.get(i));
        }
        chunk.add(new Row(rs.getLong(1), values));
        if (chunk.size() == CHUNK) {
          written += chunk(statements, chunk);
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        written += chunk(statements, chunk);
      }
    } finally {
      for (PreparedStatement ps : statements) {
        ps.close();
      }
    }
    return written;
  }

  private int chunk(List<PreparedStatement> statements, List<Row> rows) throws SQLException {
    Savepoint sp = conn.setSavepoint();
    try {
      for (Row r : rows) {
        for (int k = 0; k < steps.size(); k++) {
          bind(statements.get(k), steps.get(k), r);
          statements.get(k).addBatch();
        }
      }
      for (PreparedStatement ps : statements) {
        ps.executeBatch();
      }
      release(sp);
      return rows.size();
    } catch (SQLException e) {
      statements.forEach(RowSifter::clearBatch);
      conn.rollback(sp);
      if (!RowErrors.isRowError(e)) {
        throw e;
      }
    }
    if (alone + rows.size() > budget) {
      throw new TaskFailedException(
          "jdbc.load: more than rowRetryBudget "
              + budget
              + " rows would be written one at a time to find the bad ones ("
              + alone
              + " so far, "
              + letters.rejected()
              + " bad); nothing was loaded. Fix the data, or raise rowRetryBudget (e.g."
              + " `rowRetryBudget: 100000`)",
          false,
          Map.of(),
          null);
    }
    alone += rows.size();
    int written = 0;
    for (Row r : rows) {
      Savepoint one = conn.setSavepoint();
      try {
        for (int k = 0; k < steps.size(); k++) {
          bind(statements.get(k), steps.get(k), r);
          statements.get(k).executeUpdate();
        }
        release(one);
        written++;
      } catch (SQLException e) {
        conn.rollback(one);
        if (!RowErrors.isRowError(e)) {
          throw e;
        }
        letters.reject(record(r), "row " + (r.number() + 1) + ": " + RowErrors.oneLine(e));
      }
    }
    return written;
  }

  private void bind(PreparedStatement ps, BatchWrite.Step step, Row r) throws SQLException {
    int[] map = step.columns();
    for (int p = 0; p < map.length; p++) {
      BatchWrite.set(ps, p + 1, r.values()[map[p]]);
    }
  }

  private Map<String, Object> record(Row r) {
    var out = new LinkedHashMap<String, Object>();
    List<String> names = source.names();
    for (int i = 0; i < names.size(); i++) {
      Object v = r.values()[i];
      out.put(
          names.get(i),
          v == null || v instanceof Number || v instanceof Boolean || v instanceof String
              ? v
              : v instanceof byte[] b
                  ? java.util.Base64.getEncoder().encodeToString(b)
                  : v.toString());
    }
    return out;
  }

  // some drivers (SQLite) do not know savepoint release; the savepoint ends with the transaction
  private void release(Savepoint sp) {
    try {
      conn.releaseSavepoint(sp);
    } catch (SQLException e) {
      // kept until commit
    }
  }

  private static void clearBatch(PreparedStatement ps) {
    try {
      ps.clearBatch();
    } catch (SQLException e) {
      // the statement is reused only after a successful clear or a fresh batch
    }
  }
}
