package dev.weir.store;

import static dev.weir.store.JdbcWork.setTime;

import dev.weir.WeirException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** State tasks keep between runs of a flow (watermarks, cursors), in {@code weir_state}. */
final class JdbcFlowState {
  private final JdbcWork work;

  JdbcFlowState(DataSource ds, String description, StoreRetry retry) {
    this.work = new JdbcWork(ds, description, retry);
  }

  Optional<String> get(String namespace, String flowId, String taskId, String key) {
    return work
        .query(
            "SELECT state_value FROM weir_state WHERE namespace = ? AND flow_id = ? AND task_id = ?"
                + " AND state_key = ?",
            ps -> {
              ps.setString(1, namespace);
              ps.setString(2, flowId);
              ps.setString(3, taskId);
              ps.setString(4, key);
            },
            rs -> rs.getString(1))
        .stream()
        .findFirst();
  }

  void put(String namespace, String flowId, String taskId, String key, String value) {
    try {
      upsert(namespace, flowId, taskId, key, value);
    } catch (WeirException e) {
      if (!JdbcWork.isDuplicateKey(e)) {
        throw e;
      }
      // another writer inserted the key between our update and insert; now the update hits
      upsert(namespace, flowId, taskId, key, value);
    }
  }

  private void upsert(String namespace, String flowId, String taskId, String key, String value) {
    work.run(c -> {
      int n;
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_state SET state_value = ?, updated_at = ? WHERE namespace = ? AND"
                  + " flow_id = ? AND task_id = ? AND state_key = ?")) {
        ps.setString(1, value);
        setTime(ps, 2, Instant.now());
        ps.setString(3, namespace);
        ps.setString(4, flowId);
        ps.setString(5, taskId);
        ps.setString(6, key);
        n = ps.executeUpdate();
      }
      if (n == 0) {
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_state (namespace, flow_id, task_id, state_key, state_value,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
          ps.setString(3, taskId);
          ps.setString(4, key);
          ps.setString(5, value);
          setTime(ps, 6, Instant.now());
          ps.executeUpdate();
        }
      }
      return null;
    });
  }
}
