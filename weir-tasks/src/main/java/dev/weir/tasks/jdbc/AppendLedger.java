package dev.weir.tasks.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The appends committed to one target table ({@code weir_loads}), written in the load's own
 * transaction: a retried or resumed attempt finds its append there and does not append twice.
 */
final class AppendLedger {
  private final Connection conn;
  private final Dialect dialect;
  private final String target;

  AppendLedger(Connection conn, Dialect dialect, String target) {
    this.conn = conn;
    this.dialect = dialect;
    this.target = target;
  }

  /** Whether this task of this run committed its append already (a retry or a resume). */
  boolean contains(String loadId) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT count(*) FROM "
                + dialect.quote(DatabaseLoad.LOADS_TABLE)
                + " WHERE load_id = ? AND target = ?")) {
      ps.setString(1, loadId);
      ps.setString(2, target);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) > 0;
      }
    }
  }

  void add(String loadId, long rows, java.time.Instant at) throws SQLException {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO "
                + dialect.quote(DatabaseLoad.LOADS_TABLE)
                + " (load_id, target, row_count, loaded_at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, loadId);
      ps.setString(2, target);
      ps.setLong(3, rows);
      ps.setString(4, at.toString());
      ps.executeUpdate();
    }
  }

  void ensure() throws SQLException {
    try (Statement st = conn.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS "
              + dialect.quote(DatabaseLoad.LOADS_TABLE)
              + " (load_id VARCHAR(300) NOT NULL, target VARCHAR(300) NOT NULL, row_count BIGINT,"
              + " loaded_at VARCHAR(40), PRIMARY KEY (load_id, target))");
    }
  }
}
