package dev.weir.server.store;

import dev.weir.WeirException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The server's tables beside the engine's (schema v3): flows and their revisions, what triggers
 * fired, schedule marks and API tokens. Plain SQL that H2 and PostgreSQL both run.
 */
public final class ServerStore {
  private final Jdbc jdbc;
  private final FlowsWritten flowsWritten;
  private final QueueFires queueFires;

  /**
   * Told inside every transaction that changes {@code weir_flows}, before its commit: a cluster
   * node signals the others there, so that they hear of the change exactly when it is visible.
   */
  public interface FlowsWritten {
    FlowsWritten NONE = c -> {};

    void inTransaction(java.sql.Connection c) throws SQLException;
  }

  public ServerStore(DataSource ds) {
    this(ds, FlowsWritten.NONE);
  }

  public ServerStore(DataSource ds, FlowsWritten flowsWritten) {
    this.jdbc = new Jdbc(ds);
    this.flowsWritten = flowsWritten;
    this.queueFires = new QueueFires(jdbc, this);
  }

  /** The fires of queue triggers: looked up by the batch, kept for a retention. */
  public QueueFires queueFires() {
    return queueFires;
  }

  /** The current revision of a flow and whether it may run. */
  /**
   * A flow's current revision as {@code weir_flows} holds it.
   *
   * @param removedAt when its file was removed (the nodes of a cluster forget it then), else null
   */
  public record FlowRow(
      String namespace,
      String flowId,
      int revision,
      String hash,
      boolean enabled,
      Instant at,
      Instant removedAt) {
    public FlowRow(
        String namespace, String flowId, int revision, String hash, boolean enabled, Instant at) {
      this(namespace, flowId, revision, hash, enabled, at, null);
    }
  }

  /** One revision in a flow's history. */
  public record RevisionRow(
      String namespace,
      String flowId,
      int revision,
      String hash,
      String author,
      String origin,
      Instant createdAt) {}

  public List<FlowRow> flows() {
    return jdbc.query(
        "SELECT namespace, flow_id, revision, hash, enabled, updated_at, removed_at"
            + " FROM weir_flows ORDER BY namespace, flow_id",
        ps -> {},
        ServerStore::flowRow);
  }

  public List<RevisionRow> history(String namespace, String flowId) {
    return jdbc.query(
        "SELECT namespace, flow_id, revision, hash, author, origin, created_at"
            + " FROM weir_flow_history WHERE namespace = ? AND flow_id = ? ORDER BY revision",
        ps -> {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
        },
        rs ->
            new RevisionRow(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                Jdbc.time(rs, 7)));
  }

  /**
   * A new revision of a flow for {@link #addRevisions}: {@code revision} is the number it gets
   * ({@code 1} and {@code isNew} for a flow the store has no row for).
   */
  public record NewRevision(
      String namespace,
      String flowId,
      int revision,
      boolean isNew,
      boolean enabled,
      String hash,
      String author,
      String origin,
      Instant at) {}

  /**
   * Records many new revisions (the first scan of a directory of thousands of flows) in one
   * transaction per few hundred. The numbers come from the caller, who is the only writer; a
   * concurrent writer makes the transaction fail on the history's key rather than reuse a number.
   */
  public void addRevisions(List<NewRevision> revisions) {
    for (int from = 0; from < revisions.size(); from += 500) {
      var chunk = revisions.subList(from, Math.min(revisions.size(), from + 500));
      jdbc.inTransaction(c -> {
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_flow_history (namespace, flow_id, revision, hash, author, origin,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
          for (NewRevision r : chunk) {
            ps.setString(1, r.namespace());
            ps.setString(2, r.flowId());
            ps.setInt(3, r.revision());
            ps.setString(4, r.hash());
            ps.setString(5, r.author());
            ps.setString(6, r.origin());
            ps.setTimestamp(7, Timestamp.from(r.at()));
            ps.addBatch();
          }
          ps.executeBatch();
        }
        for (boolean insert : new boolean[] {true, false}) {
          var rows = chunk.stream().filter(r -> r.isNew() == insert).toList();
          if (rows.isEmpty()) {
            continue;
          }
          String sql =
              insert
                  ? "INSERT INTO weir_flows (revision, hash, enabled, updated_at, namespace,"
                      + " flow_id) VALUES (?, ?, ?, ?, ?, ?)"
                  : "UPDATE weir_flows SET revision = ?, hash = ?, enabled = ?, updated_at = ?,"
                      + " removed_at = NULL WHERE namespace = ? AND flow_id = ?";
          try (var ps = c.prepareStatement(sql)) {
            for (NewRevision r : rows) {
              ps.setInt(1, r.revision());
              ps.setString(2, r.hash());
              ps.setBoolean(3, r.enabled());
              ps.setTimestamp(4, Timestamp.from(r.at()));
              ps.setString(5, r.namespace());
              ps.setString(6, r.flowId());
              ps.addBatch();
            }
            ps.executeBatch();
          }
        }
        flowsWritten.inTransaction(c);
        return null;
      });
    }
  }

  /** Marks a flow removed (its file is gone): the other nodes of a cluster forget it too. */
  public void markRemoved(String namespace, String flowId, Instant at) {
    updateFlows(
        "UPDATE weir_flows SET removed_at = ?, updated_at = ? WHERE namespace = ? AND flow_id = ?",
        ps -> {
          ps.setTimestamp(1, Timestamp.from(at));
          ps.setTimestamp(2, Timestamp.from(at));
          ps.setString(3, namespace);
          ps.setString(4, flowId);
        });
  }

  /** A removed flow's file is back with the same text: it is no longer removed. */
  public void clearRemoved(String namespace, String flowId) {
    updateFlows(
        "UPDATE weir_flows SET removed_at = NULL WHERE namespace = ? AND flow_id = ?",
        ps -> {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
        });
  }

  public boolean setEnabled(String namespace, String flowId, boolean enabled, Instant at) {
    return updateFlows(
            "UPDATE weir_flows SET enabled = ?, updated_at = ? WHERE namespace = ? AND flow_id = ?",
            ps -> {
              ps.setBoolean(1, enabled);
              ps.setTimestamp(2, Timestamp.from(at));
              ps.setString(3, namespace);
              ps.setString(4, flowId);
            })
        == 1;
  }

  // an UPDATE of weir_flows, and the word to the cluster in its transaction when it changed a row
  private int updateFlows(String sql, Jdbc.Binder binder) {
    return jdbc.inTransaction(c -> {
      try (var ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        int n = ps.executeUpdate();
        if (n > 0) {
          flowsWritten.inTransaction(c);
        }
        return n;
      }
    });
  }

  /**
   * Records that a trigger fired for {@code key} (a schedule slot, a file path, an upstream run).
   * Returns false when it had fired for that key already: the caller must not start a run.
   */
  public boolean markFired(
      String namespace, String flowId, String triggerId, String key, Instant at) {
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

  /** A trigger's fire to record: {@code runId} null when no run could be made for it. */
  public record Fire(
      String namespace, String flowId, String triggerId, String key, Instant at, String runId) {}

  /** Where a schedule now stands ({@link #setMark}). */
  public record Mark(String namespace, String flowId, String triggerId, Instant mark) {}

  /**
   * Records fires and schedule marks on {@code c}, inside the caller's transaction (the one that
   * stores the runs they started). A fire recorded before fails it on the key.
   */
  public static void write(java.sql.Connection c, List<Fire> fires, List<Mark> marks)
      throws SQLException {
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

  /** Notes which run a fire started (for the API and for tests). */
  public void setFiredRun(
      String namespace, String flowId, String triggerId, String key, String runId) {
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

  public boolean hasFired(String namespace, String flowId, String triggerId, String key) {
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
   * Takes back a {@link #markFired} whose run could not be created for a passing reason (the server
   * was stopping), so that the fire happens again later.
   */
  public void unmarkFired(String namespace, String flowId, String triggerId, String key) {
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

  /** The last slot a schedule considered, if any. */
  public Optional<Instant> mark(String namespace, String flowId, String triggerId) {
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
  public java.util.Map<String, Instant> marks() {
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

  public void setMark(String namespace, String flowId, String triggerId, Instant mark) {
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

  public List<String> tokenHashes() {
    return jdbc.query("SELECT hash FROM weir_api_tokens", ps -> {}, rs -> rs.getString(1));
  }

  public void addToken(String hash, String name, Instant at) {
    jdbc.update(
        "INSERT INTO weir_api_tokens (hash, name, created_at) VALUES (?, ?, ?)",
        ps -> {
          ps.setString(1, hash);
          ps.setString(2, name);
          ps.setTimestamp(3, Timestamp.from(at));
        });
  }

  // --- plumbing

  private static FlowRow flowRow(ResultSet rs) throws SQLException {
    return new FlowRow(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getString(4),
        rs.getBoolean(5),
        Jdbc.time(rs, 6),
        Jdbc.time(rs, 7));
  }
}
