package dev.weir.store;

import static dev.weir.store.JdbcWork.time;

import dev.weir.WeirException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The processes task attempts started, in {@code weir_task_processes}. */
final class JdbcTaskProcesses {
  private final DataSource ds;
  private final String description;
  private final StoreRetry retry;

  JdbcTaskProcesses(DataSource ds, String description, StoreRetry retry) {
    this.ds = ds;
    this.description = description;
    this.retry = retry;
  }

  void record(TaskProcess p) {
    try {
      retry.call(() -> {
        recordOnce(p);
        return null;
      });
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void recordOnce(TaskProcess p) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        // the same pid twice in one attempt is a reused pid: the newer process is the one to know
        try (var ps =
            c.prepareStatement(
                "DELETE FROM weir_task_processes"
                    + " WHERE run_id = ? AND task_id = ? AND attempt = ? AND pid = ?")) {
          ps.setString(1, p.runId());
          ps.setString(2, p.taskId());
          ps.setInt(3, p.attempt());
          ps.setLong(4, p.pid());
          ps.executeUpdate();
        }
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_task_processes"
                    + " (run_id, task_id, attempt, pid, pgid, started_at, host)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, p.runId());
          ps.setString(2, p.taskId());
          ps.setInt(3, p.attempt());
          ps.setLong(4, p.pid());
          if (p.pgid() == null) {
            ps.setNull(5, Types.BIGINT);
          } else {
            ps.setLong(5, p.pgid());
          }
          if (p.startedAt() == null) {
            ps.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
          } else {
            ps.setObject(6, OffsetDateTime.ofInstant(p.startedAt(), ZoneOffset.UTC));
          }
          ps.setString(7, p.host());
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  List<TaskProcess> ofRun(String runId) {
    try {
      return retry.call(() -> ofRunOnce(runId));
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private List<TaskProcess> ofRunOnce(String runId) throws SQLException {
    try (Connection c = ds.getConnection();
        var ps =
            c.prepareStatement(
                "SELECT run_id, task_id, attempt, pid, pgid, started_at, host"
                    + " FROM weir_task_processes WHERE run_id = ? ORDER BY task_id, attempt, pid")) {
      ps.setString(1, runId);
      var out = new ArrayList<TaskProcess>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long pgid = rs.getLong(5);
          Long group = rs.wasNull() ? null : pgid;
          out.add(
              new TaskProcess(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getInt(3),
                  rs.getLong(4),
                  group,
                  time(rs, 6),
                  rs.getString(7)));
        }
      }
      return out;
    }
  }

  private WeirException failure(SQLException e) {
    return new WeirException("state store (" + description + "): " + e.getMessage(), e);
  }
}
