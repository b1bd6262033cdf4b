package dev.weir.server.store;

import dev.weir.server.store.ServerStore.Mark;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where each schedule stands, in {@code weir_trigger_marks}: the last slot it considered, read one
 * by one or all at start, and moved alone or in the caller's transaction with the runs it started.
 */
final class JdbcScheduleMarks {
  private final Jdbc jdbc;

  JdbcScheduleMarks(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Sets schedule marks on {@code c}, inside the caller's transaction (a row made when missing).
   */
  static void write(Connection c, List<Mark> marks) throws SQLException {
    if (marks.isEmpty()) {
      return;
    }
    int[] updated;
    try (var ps =
        c.prepareStatement(
            "UPDATE weir_trigger_marks SET mark = ? WHERE namespace = ? AND flow_id = ?"
                + " AND trigger_id = ?")) {
      for (Mark m : marks) {
        ps.setTimestamp(1, Timestamp.from(m.mark()));
        ps.setString(2, m.namespace());
        ps.setString(3, m.flowId());
        ps.setString(4, m.triggerId());
        ps.addBatch();
      }
      updated = ps.executeBatch();
    }
    try (var ps =
        c.prepareStatement(
            "INSERT INTO weir_trigger_marks (mark, namespace, flow_id, trigger_id)"
                + " VALUES (?, ?, ?, ?)")) {
      int n = 0;
      for (int i = 0; i < marks.size(); i++) {
        if (updated[i] == 0) {
          Mark m = marks.get(i);
          ps.setTimestamp(1, Timestamp.from(m.mark()));
          ps.setString(2, m.namespace());
          ps.setString(3, m.flowId());
          ps.setString(4, m.triggerId());
          ps.addBatch();
          n++;
        }
      }
      if (n > 0) {
        ps.executeBatch();
      }
    }
  }

  /** The last slot a schedule considered, if any. */
  Optional<Instant> mark(String namespace, String flowId, String triggerId) {
    return jdbc
        .query(
            "SELECT mark FROM weir_trigger_marks WHERE namespace = ? AND flow_id = ?"
                + " AND trigger_id = ?",
            ps -> {
              ps.setString(1, namespace);
              ps.setString(2, flowId);
              ps.setString(3, triggerId);
            },
            rs -> Jdbc.time(rs, 1))
        .stream()
        .findFirst();
  }

  /** Every schedule mark, keyed {@code namespace/flow/trigger}: one query at start. */
  java.util.Map<String, Instant> marks() {
    var out = new java.util.HashMap<String, Instant>();
    jdbc.query(
            "SELECT namespace, flow_id, trigger_id, mark FROM weir_trigger_marks",
            ps -> {},
            rs ->
                java.util.Map.entry(
                    rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3),
                    Jdbc.time(rs, 4)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  void setMark(String namespace, String flowId, String triggerId, Instant mark) {
    jdbc.inTransaction(c -> {
      int n;
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_trigger_marks SET mark = ? WHERE namespace = ? AND flow_id = ?"
                  + " AND trigger_id = ?")) {
        ps.setTimestamp(1, Timestamp.from(mark));
        ps.setString(2, namespace);
        ps.setString(3, flowId);
        ps.setString(4, triggerId);
        n = ps.executeUpdate();
      }
      if (n == 0) {
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_trigger_marks (mark, namespace, flow_id, trigger_id)"
                    + " VALUES (?, ?, ?, ?)")) {
          ps.setTimestamp(1, Timestamp.from(mark));
          ps.setString(2, namespace);
          ps.setString(3, flowId);
          ps.setString(4, triggerId);
          ps.executeUpdate();
        }
      }
      return null;
    });
  }
}
