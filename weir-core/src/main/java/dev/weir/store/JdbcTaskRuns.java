package dev.weir.store;

import static dev.weir.store.JdbcWork.clip;
import static dev.weir.store.JdbcWork.marks;
import static dev.weir.store.JdbcWork.setTime;
import static dev.weir.store.JdbcWork.time;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * Task attempts, in {@code weir_task_runs}: written within a batch's transaction ({@link #insert},
 * {@link #update}) and read per run.
 */
final class JdbcTaskRuns {
  private static final String TASK_COLUMNS =
      "run_id, task_id, attempt, run_attempt, state, queued_at, started_at, ended_at, retry_at, error,"
          + " outputs, dataset, rows_out, state_updates";

  private final JdbcWork work;

  JdbcTaskRuns(DataSource ds, String description, StoreRetry retry) {
    this.work = new JdbcWork(ds, description, retry);
  }

  /** Inserts attempts on the connection of the caller's transaction. */
  static void insert(Connection c, List<TaskRunRecord> tasks) throws SQLException {
    if (tasks.isEmpty()) {
      return;
    }
    try (var ps =
        c.prepareStatement(
            "INSERT INTO weir_task_runs (" + TASK_COLUMNS + ") VALUES (" + marks(14) + ")")) {
      for (TaskRunRecord t : tasks) {
        bind(ps, t);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Updates attempts on the connection of the caller's transaction; each must exist. */
  static void update(Connection c, List<TaskRunRecord> tasks) throws SQLException {
    if (tasks.isEmpty()) {
      return;
    }
    try (var ps =
        c.prepareStatement(
            "UPDATE weir_task_runs SET run_id = ?, task_id = ?, attempt = ?, run_attempt = ?,"
                + " state = ?,"
                + " queued_at = ?, started_at = ?, ended_at = ?, retry_at = ?, error = ?,"
                + " outputs = ?, dataset = ?, rows_out = ?, state_updates = ?"
                + " WHERE run_id = ? AND task_id = ? AND attempt = ?")) {
      for (TaskRunRecord t : tasks) {
        bind(ps, t);
        ps.setString(15, t.runId());
        ps.setString(16, t.taskId());
        ps.setInt(17, t.attempt());
        ps.addBatch();
      }
      JdbcWork.requireUpdated(
          ps.executeBatch(),
          tasks,
          t ->
              "attempt "
                  + t.attempt()
                  + " of task '"
                  + t.taskId()
                  + "' in run '"
                  + t.runId()
                  + "'");
    }
  }

  /** See {@link StateStore#taskRuns}. */
  List<TaskRunRecord> ofRun(String runId) {
    return work.query(
        "SELECT " + TASK_COLUMNS + " FROM weir_task_runs WHERE run_id = ? ORDER BY seq",
        ps -> ps.setString(1, runId),
        JdbcTaskRuns::read);
  }

  private static void bind(PreparedStatement ps, TaskRunRecord t) throws SQLException {
    ps.setString(1, t.runId());
    ps.setString(2, t.taskId());
    ps.setInt(3, t.attempt());
    ps.setInt(4, t.runAttempt());
    ps.setString(5, t.state().name());
    setTime(ps, 6, t.queuedAt());
    setTime(ps, 7, t.startedAt());
    setTime(ps, 8, t.endedAt());
    setTime(ps, 9, t.retryAt());
    ps.setString(10, clip(t.error()));
    ps.setString(11, clip(t.outputs()));
    ps.setString(12, t.dataset());
    ps.setLong(13, t.rows());
    ps.setString(14, t.stateUpdates());
  }

  private static TaskRunRecord read(ResultSet rs) throws SQLException {
    return new TaskRunRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getInt(4),
        TaskState.valueOf(rs.getString(5)),
        time(rs, 6),
        time(rs, 7),
        time(rs, 8),
        time(rs, 9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getLong(13),
        rs.getString(14));
  }
}
