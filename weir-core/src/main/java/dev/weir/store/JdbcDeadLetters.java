package dev.weir.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The dead-letter index in {@code weir_dead_letters}: one row per batch, replaced by id. */
final class JdbcDeadLetters implements DeadLetterStore {
  private static final String COLUMNS =
      "id, namespace, flow_id, run_id, task_id, attempt, task_type, location, letters, handled,"
          + " first_reason, created_at, replayed_at, replay_run, replay_outcome";

  private final JdbcWork work;

  JdbcDeadLetters(JdbcWork work) {
    this.work = work;
  }

  @Override
  public void save(DeadLetterRecord b) {
    work.run(c -> {
      try (var ps = c.prepareStatement("DELETE FROM weir_dead_letters WHERE id = ?")) {
        ps.setString(1, b.id());
        ps.executeUpdate();
      }
      if (b.letters() == 0) {
        return null;
      }
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_dead_letters ("
                  + COLUMNS
                  + ") VALUES ("
                  + JdbcWork.marks(15)
                  + ")")) {
        ps.setString(1, b.id());
        ps.setString(2, b.namespace());
        ps.setString(3, b.flowId());
        ps.setString(4, b.runId());
        ps.setString(5, b.taskId());
        ps.setInt(6, b.attempt());
        ps.setString(7, b.taskType());
        ps.setString(8, b.location());
        ps.setLong(9, b.letters());
        ps.setLong(10, b.handled());
        ps.setString(11, clip(b.firstReason(), 4000));
        JdbcWork.setTime(ps, 12, b.createdAt());
        JdbcWork.setTime(ps, 13, b.replayedAt());
        ps.setString(14, b.replayRun());
        ps.setString(15, clip(b.replayOutcome(), 4000));
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<DeadLetterRecord> find(String idOrPrefix) {
    List<DeadLetterRecord> found =
        work.query(
            "SELECT " + COLUMNS + " FROM weir_dead_letters WHERE id LIKE ? ORDER BY id",
            ps -> ps.setString(1, like(idOrPrefix)),
            JdbcDeadLetters::record);
    for (DeadLetterRecord r : found) {
      if (r.id().equals(idOrPrefix)) {
        return Optional.of(r);
      }
    }
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  @Override
  public List<DeadLetterRecord> list(String namespace, String flowId, String runId, int limit) {
    return work.query(
        "SELECT "
            + COLUMNS
            + " FROM weir_dead_letters WHERE (? IS NULL OR namespace = ?) AND (? IS NULL OR"
            + " flow_id = ?) AND (CAST(? AS VARCHAR(40)) IS NULL OR run_id LIKE ?)"
            + " ORDER BY created_at DESC, id LIMIT ?",
        ps -> {
          ps.setString(1, namespace);
          ps.setString(2, namespace);
          ps.setString(3, flowId);
          ps.setString(4, flowId);
          ps.setString(5, runId);
          ps.setString(6, runId == null ? "%" : like(runId));
          ps.setInt(7, limit);
        },
        JdbcDeadLetters::record);
  }

  @Override
  public void markReplayed(String id, Instant at, String replayRun, String outcome) {
    work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_dead_letters SET replayed_at = ?, replay_run = ?, replay_outcome = ?"
                  + " WHERE id = ?")) {
        JdbcWork.setTime(ps, 1, at);
        ps.setString(2, replayRun);
        ps.setString(3, clip(outcome, 4000));
        ps.setString(4, id);
        return ps.executeUpdate();
      }
    });
  }

  private static String like(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  private static String clip(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static DeadLetterRecord record(ResultSet rs) throws SQLException {
    return new DeadLetterRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getInt(6),
        rs.getString(7),
        rs.getString(8),
        rs.getLong(9),
        rs.getLong(10),
        rs.getString(11),
        JdbcWork.time(rs, 12),
        JdbcWork.time(rs, 13),
        rs.getString(14),
        rs.getString(15));
  }
}
