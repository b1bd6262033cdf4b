package dev.weir.store;

import java.util.List;
import java.util.Optional;

/** The parents of runs started by subflow tasks, in {@code weir_run_parents} (schema v12). */
final class JdbcRunParents {
  private static final String COLUMNS =
      "run_id, parent_run_id, parent_task_id, parent_attempt, created_at";

  private final JdbcWork work;

  JdbcRunParents(JdbcWork work) {
    this.work = work;
  }

  void record(RunParent p) {
    try {
      work.run(c -> {
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_run_parents (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
          ps.setString(1, p.runId());
          ps.setString(2, p.parentRunId());
          ps.setString(3, p.parentTaskId());
          ps.setInt(4, p.parentAttempt());
          JdbcWork.setTime(ps, 5, p.createdAt());
          return ps.executeUpdate();
        }
      });
    } catch (RuntimeException e) {
      // recorded already (a retry of this very insert that had reached the database): fine
      if (!JdbcWork.isDuplicateKey(e)) {
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
    return work.query(
        "SELECT " + COLUMNS + " FROM weir_run_parents " + where,
        ps -> {
          ps.setString(1, first);
          if (second != null) {
            ps.setString(2, second);
          }
        },
        rs ->
            new RunParent(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                JdbcWork.time(rs, 5)));
  }
}
