package dev.weir.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import javax.sql.DataSource;

/**
 * The audit facts of ended task attempts, in {@code weir_task_audit}: written within a batch's
 * transaction ({@link #write}) and read per run.
 */
final class JdbcAudits {
  private static final String SELECT =
      "SELECT run_id, task_id, attempt, rows_read, rows_written, rows_rejected, bytes_read,"
          + " bytes_written, checksum, inputs, outputs FROM weir_task_audit WHERE run_id = ?"
          + " ORDER BY task_id, attempt";

  private final JdbcWork work;

  JdbcAudits(DataSource ds, String description, StoreRetry retry) {
    this.work = new JdbcWork(ds, description, retry);
  }

  /** See {@link StateStore#audits}. */
  List<TaskAuditRecord> ofRun(String runId) {
    return work.query(SELECT, ps -> ps.setString(1, runId), JdbcAudits::read);
  }

  /** Writes the rows; an attempt audited again (a resumed run ending it twice) is replaced. */
  static void write(Connection c, List<TaskAuditRecord> audits) throws SQLException {
    if (audits.isEmpty()) {
      return;
    }
    try (var del =
            c.prepareStatement(
                "DELETE FROM weir_task_audit WHERE run_id = ? AND task_id = ? AND attempt = ?");
        var ins =
            c.prepareStatement(
                "INSERT INTO weir_task_audit (run_id, task_id, attempt, rows_read, rows_written,"
                    + " rows_rejected, bytes_read, bytes_written, checksum, inputs, outputs)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (TaskAuditRecord a : audits) {
        del.setString(1, a.runId());
        del.setString(2, a.taskId());
        del.setInt(3, a.attempt());
        del.addBatch();
        ins.setString(1, a.runId());
        ins.setString(2, a.taskId());
        ins.setInt(3, a.attempt());
        count(ins, 4, a.rowsRead());
        count(ins, 5, a.rowsWritten());
        count(ins, 6, a.rowsRejected());
        count(ins, 7, a.bytesRead());
        count(ins, 8, a.bytesWritten());
        ins.setString(9, a.checksum());
        ins.setString(10, a.inputs());
        ins.setString(11, a.outputs());
        ins.addBatch();
      }
      del.executeBatch();
      ins.executeBatch();
    }
  }

  private static TaskAuditRecord read(ResultSet rs) throws SQLException {
    return new TaskAuditRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        count(rs, 4),
        count(rs, 5),
        count(rs, 6),
        count(rs, 7),
        count(rs, 8),
        rs.getString(9),
        rs.getString(10),
        rs.getString(11));
  }

  private static void count(PreparedStatement ps, int i, long n) throws SQLException {
    if (n < 0) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, n);
    }
  }

  private static long count(ResultSet rs, int i) throws SQLException {
    long n = rs.getLong(i);
    return rs.wasNull() ? -1 : n;
  }
}
