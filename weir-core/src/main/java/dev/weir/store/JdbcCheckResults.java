package dev.weir.store;

import static dev.weir.store.JdbcWork.time;

import dev.weir.WeirException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;

/**
 * Quality check results, row-count history and dataset freshness, in {@code weir_check_results},
 * task runs and {@code weir_dataset_writes}.
 */
final class JdbcCheckResults {
  private static final String COLUMNS =
      "run_id, task_id, attempt, check_no, namespace, flow_id, dataset, check_name, kind, passed,"
          + " severity, failing_rows, observed, detail, checked_at";

  private final DataSource ds;
  private final String description;
  private final StoreRetry retry;
  private final JdbcWork work;

  JdbcCheckResults(DataSource ds, String description, StoreRetry retry) {
    this.ds = ds;
    this.description = description;
    this.retry = retry;
    this.work = new JdbcWork(ds, description, retry);
  }

  void save(String runId, String taskId, int attempt, List<CheckRecord> checks) {
    try {
      retry.call(() -> {
        saveOnce(runId, taskId, attempt, checks);
        return null;
      });
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void saveOnce(String runId, String taskId, int attempt, List<CheckRecord> checks)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (var ps =
            c.prepareStatement(
                "DELETE FROM weir_check_results WHERE run_id = ? AND task_id = ? AND attempt = ?")) {
          ps.setString(1, runId);
          ps.setString(2, taskId);
          ps.setInt(3, attempt);
          ps.executeUpdate();
        }
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_check_results ("
                    + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (CheckRecord r : checks) {
            bind(ps, r, runId, taskId, attempt);
            ps.addBatch();
          }
          if (!checks.isEmpty()) {
            ps.executeBatch();
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  List<CheckRecord> ofRun(String runId) {
    return work.query(
        "SELECT "
            + COLUMNS
            + " FROM weir_check_results WHERE run_id = ? ORDER BY checked_at, task_id, attempt,"
            + " check_no",
        ps -> ps.setString(1, runId),
        JdbcCheckResults::read);
  }

  List<CheckRecord> history(String namespace, String flowId, String dataset, int limit) {
    return work.query(
        "SELECT "
            + COLUMNS
            + " FROM weir_check_results WHERE namespace = ? AND flow_id = ?"
            + (dataset == null ? "" : " AND dataset = ?")
            + " ORDER BY checked_at DESC, check_no LIMIT ?",
        ps -> {
          int i = 1;
          ps.setString(i++, namespace);
          ps.setString(i++, flowId);
          if (dataset != null) {
            ps.setString(i++, dataset);
          }
          ps.setInt(i, limit);
        },
        JdbcCheckResults::read);
  }

  List<Long> rowCounts(
      String namespace, String flowId, String taskId, String exceptRunId, int limit) {
    // the succeeded attempt of the task in each succeeded run of the flow, newest run first
    return work.query(
        "SELECT t.rows_out FROM weir_task_runs t JOIN weir_runs r ON r.id = t.run_id"
            + " WHERE r.namespace = ? AND r.flow_id = ? AND r.state = 'SUCCEEDED' AND r.id <> ?"
            + " AND t.task_id = ? AND t.state = 'SUCCEEDED' AND t.rows_out >= 0"
            + " ORDER BY r.created_at DESC, r.id DESC LIMIT ?",
        ps -> {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
          ps.setString(3, exceptRunId);
          ps.setString(4, taskId);
          ps.setInt(5, limit);
        },
        rs -> rs.getLong(1));
  }

  List<DatasetWrite> lastWrites() {
    return work.query(
        DatasetWrites.SELECT,
        ps -> {},
        rs ->
            new DatasetWrite(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                time(rs, 5),
                rs.getLong(6)));
  }

  private static void bind(
      PreparedStatement ps, CheckRecord r, String runId, String taskId, int attempt)
      throws SQLException {
    ps.setString(1, runId);
    ps.setString(2, taskId);
    ps.setInt(3, attempt);
    ps.setInt(4, r.checkNo());
    ps.setString(5, r.namespace());
    ps.setString(6, r.flowId());
    ps.setString(7, r.dataset());
    ps.setString(8, clip(r.name(), 2000));
    ps.setString(9, r.kind());
    ps.setBoolean(10, r.passed());
    ps.setString(11, r.severity());
    ps.setLong(12, r.failingRows());
    if (r.observed() == null) {
      ps.setNull(13, Types.DOUBLE);
    } else {
      ps.setDouble(13, r.observed());
    }
    ps.setString(14, clip(r.detail(), 4000));
    ps.setObject(15, OffsetDateTime.ofInstant(r.checkedAt(), ZoneOffset.UTC));
  }

  private static CheckRecord read(ResultSet rs) throws SQLException {
    double value = rs.getDouble(13);
    Double observed = rs.wasNull() ? null : value;
    return new CheckRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getInt(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9),
        rs.getBoolean(10),
        rs.getString(11),
        rs.getLong(12),
        observed,
        rs.getString(14),
        time(rs, 15));
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private WeirException failure(SQLException e) {
    return new WeirException("state store (" + description + "): " + e.getMessage(), e);
  }
}
