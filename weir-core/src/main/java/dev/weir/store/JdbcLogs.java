package dev.weir.store;

import static dev.weir.store.JdbcWork.clip;
import static dev.weir.store.JdbcWork.setTime;
import static dev.weir.store.JdbcWork.time;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Log lines of task attempts, in {@code weir_logs}, and their retention. */
final class JdbcLogs {
  private final JdbcWork work;

  JdbcLogs(DataSource ds, String description, StoreRetry retry) {
    this.work = new JdbcWork(ds, description, retry);
  }

  void append(List<LogLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_logs (run_id, task_id, attempt, ts, level, message)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        for (LogLine l : lines) {
          ps.setString(1, l.runId());
          ps.setString(2, l.taskId());
          ps.setInt(3, l.attempt());
          setTime(ps, 4, l.time());
          ps.setString(5, l.level());
          ps.setString(6, clip(l.message()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  /** See {@link StateStore#logs}. */
  List<LogLine> of(String runId, String taskId) {
    return work.query(
        "SELECT run_id, task_id, attempt, ts, level, message FROM weir_logs WHERE run_id = ?"
            + (taskId == null ? "" : " AND task_id = ?")
            + " ORDER BY id",
        ps -> {
          ps.setString(1, runId);
          if (taskId != null) {
            ps.setString(2, taskId);
          }
        },
        rs ->
            new LogLine(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                time(rs, 4),
                rs.getString(5),
                rs.getString(6)));
  }

  /** See {@link StateStore#deleteLogsOfRunsEndedBefore}. */
  int deleteOfRunsEndedBefore(Instant cutoff) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "DELETE FROM weir_logs WHERE run_id IN (SELECT id FROM weir_runs WHERE ended_at < ?"
                  + " AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))")) {
        setTime(ps, 1, cutoff);
        return ps.executeUpdate();
      }
    });
  }
}
