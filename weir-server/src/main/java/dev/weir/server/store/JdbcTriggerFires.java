package dev.weir.server.store;

import dev.weir.WeirException;
import dev.weir.server.store.ServerStore.Fire;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * What triggers fired, in {@code weir_trigger_fires}: a fire recorded once per key (alone, or in
 * the caller's transaction with the runs it started), the run it started noted, and a fire that
 * started none taken back. The queue triggers' bulk look-ups are {@link QueueFires}'.
 */
final class JdbcTriggerFires {
  private final Jdbc jdbc;

  JdbcTriggerFires(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Records that a trigger fired for {@code key} (a schedule slot, a file path, an upstream run).
   * Returns false when it had fired for that key already: the caller must not start a run.
   */
  boolean markFired(String namespace, String flowId, String triggerId, String key, Instant at) {
    try {
      return jdbc.update(
              "INSERT INTO weir_trigger_fires (namespace, flow_id, trigger_id, fire_key, fired_at)"
                  + " VALUES (?, ?, ?, ?, ?)",
              ps -> {
                ps.setString(1, namespace);
                ps.setString(2, flowId);
                ps.setString(3, triggerId);
                ps.setString(4, key);
                ps.setTimestamp(5, Timestamp.from(at));
              })
          == 1;
    } catch (WeirException e) {
      if (dev.weir.store.JdbcStateStore.isDuplicateKey(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Inserts fires on {@code c}, inside the caller's transaction; one recorded before fails it. */
  static void insert(Connection c, List<Fire> fires) throws SQLException {
    if (!fires.isEmpty()) {
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_trigger_fires (namespace, flow_id, trigger_id, fire_key, fired_at,"
                  + " run_id) VALUES (?, ?, ?, ?, ?, ?)")) {
        for (Fire f : fires) {
          ps.setString(1, f.namespace());
          ps.setString(2, f.flowId());
          ps.setString(3, f.triggerId());
          ps.setString(4, f.key());
          ps.setTimestamp(5, Timestamp.from(f.at()));
          ps.setString(6, f.runId());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
  }

  /** Notes which run a fire started (for the API and for tests). */
  void setFiredRun(String namespace, String flowId, String triggerId, String key, String runId) {
    jdbc.update(
        "UPDATE weir_trigger_fires SET run_id = ? WHERE namespace = ? AND flow_id = ?"
            + " AND trigger_id = ? AND fire_key = ?",
        ps -> {
          ps.setString(1, runId);
          ps.setString(2, namespace);
          ps.setString(3, flowId);
          ps.setString(4, triggerId);
          ps.setString(5, key);
        });
  }

  boolean hasFired(String namespace, String flowId, String triggerId, String key) {
    return !jdbc.query(
            "SELECT 1 FROM weir_trigger_fires WHERE namespace = ? AND flow_id = ?"
                + " AND trigger_id = ? AND fire_key = ?",
            ps -> {
              ps.setString(1, namespace);
              ps.setString(2, flowId);
              ps.setString(3, triggerId);
              ps.setString(4, key);
            },
            rs -> 1)
        .isEmpty();
  }

  /**
   * Takes back a {@link ServerStore#markFired} whose run could not be created for a passing reason
   * (the server was stopping), so that the fire happens again later.
   */
  void unmarkFired(String namespace, String flowId, String triggerId, String key) {
    jdbc.update(
        "DELETE FROM weir_trigger_fires WHERE namespace = ? AND flow_id = ? AND trigger_id = ?"
            + " AND fire_key = ? AND run_id IS NULL",
        ps -> {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
          ps.setString(3, triggerId);
          ps.setString(4, key);
        });
  }
}
