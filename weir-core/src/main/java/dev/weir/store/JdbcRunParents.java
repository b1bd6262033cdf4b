package dev.weir.store;

import static dev.weir.store.JdbcWork.time;

import dev.weir.WeirException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The parents of runs started by subflow tasks, in {@code weir_run_parents} (schema v12). */
final class JdbcRunParents {
  private static final String COLUMNS =
      "run_id, parent_run_id, parent_task_id, parent_attempt, created_at";

  private final DataSource ds;
  private final String description;
  private final StoreRetry retry;

  JdbcRunParents(DataSource ds, String description, StoreRetry retry) {
    this.ds = ds;
    this.description = description;
    this.retry = retry;
  }

  void record(RunParent p) {
    try {
      retry.call(() -> {
        recordOnce(p);
        return null;
      });
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private void recordOnce(RunParent p) throws SQLException {
    try (Connection c = ds.getConnection();
        var ps =
            c.prepareStatement(
                "INSERT INTO weir_run_parents (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, p.runId());
      ps.setString(2, p.parentRunId());
      ps.setString(3, p.parentTaskId());
      ps.setInt(4, p.parentAttempt());
      ps.setObject(5, OffsetDateTime.ofInstant(p.createdAt(), ZoneOffset.UTC));
      ps.executeUpdate();
    } catch (SQLException e) {
      // recorded already (a retry of this very insert that had reached the database): fine
      if (!"23505".equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  Optional<RunParent> parentOf(String runId) {
    return select("WHERE run_id = ?", runId, null).stream().findFirst();
  }

  List<RunParent> children(String parentRunId, String taskIdOrNull) {
    return taskIdOrNull == null
        ? select("WHERE parent_run_id = ? ORDER BY created_at, run_id", parentRunId, null)
        : select(
            "WHERE parent_run_id = ? AND parent_task_id = ? ORDER BY created_at, run_id",
            parentRunId,
            taskIdOrNull);
  }

  private List<RunParent> select(String where, String first, String second) {
    try {
      return retry.call(() -> selectOnce(where, first, second));
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private List<RunParent> selectOnce(String where, String first, String second)
      throws SQLException {
    try (Connection c = ds.getConnection();
        var ps = c.prepareStatement("SELECT " + COLUMNS + " FROM weir_run_parents " + where)) {
      ps.setString(1, first);
      if (second != null) {
        ps.setString(2, second);
      }
      var out = new ArrayList<RunParent>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new RunParent(
                  rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), time(rs, 5)));
        }
      }
      return out;
    }
  }

  private WeirException failure(SQLException e) {
    return new WeirException("state store (" + description + "): " + e.getMessage(), e);
  }
}
