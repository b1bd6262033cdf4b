package dev.weir.server.store;

import dev.weir.server.store.ServerStore.FlowRow;
import dev.weir.server.store.ServerStore.FlowsWritten;
import dev.weir.server.store.ServerStore.NewRevision;
import dev.weir.server.store.ServerStore.RevisionRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Flows and their revisions, in {@code weir_flows} and {@code weir_flow_history}: read, a batch of
 * new revisions recorded, a flow marked removed or enabled. Every change of {@code weir_flows}
 * tells {@link FlowsWritten} in its transaction.
 */
final class JdbcFlows {
  private final Jdbc jdbc;
  private final FlowsWritten flowsWritten;

  JdbcFlows(Jdbc jdbc, FlowsWritten flowsWritten) {
    this.jdbc = jdbc;
    this.flowsWritten = flowsWritten;
  }

  List<FlowRow> flows() {
    return jdbc.query(
        "SELECT namespace, flow_id, revision, hash, enabled, updated_at, removed_at"
            + " FROM weir_flows ORDER BY namespace, flow_id",
        ps -> {},
        JdbcFlows::flowRow);
  }

  List<RevisionRow> history(String namespace, String flowId) {
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
   * Records many new revisions (the first scan of a directory of thousands of flows) in one
   * transaction per few hundred. The numbers come from the caller, who is the only writer; a
   * concurrent writer makes the transaction fail on the history's key rather than reuse a number.
   */
  void addRevisions(List<NewRevision> revisions) {
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
  void markRemoved(String namespace, String flowId, Instant at) {
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
  void clearRemoved(String namespace, String flowId) {
    updateFlows(
        "UPDATE weir_flows SET removed_at = NULL WHERE namespace = ? AND flow_id = ?",
        ps -> {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
        });
  }

  boolean setEnabled(String namespace, String flowId, boolean enabled, Instant at) {
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
