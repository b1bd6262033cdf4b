package dev.weir.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The runs waiting for their flow's concurrency limit: {@code QUEUED} runs nobody owns, in {@code
 * weir_runs}. Any node takes the oldest of them when the flow is under its limit across the whole
 * cluster: the flow's row in {@code weir_flows} is locked for the count and the claims, so two
 * nodes never both see the last free place.
 */
final class JdbcRunQueue {
  // a run counts against its flow's limit from its claim until it ends
  private static final String ACTIVE =
      "(state = 'RUNNING' OR (state = 'QUEUED' AND owner IS NOT NULL))";

  private final JdbcWork work;

  JdbcRunQueue(JdbcWork work) {
    this.work = work;
  }

  /** See {@link StateStore#claimQueued}. */
  List<ClaimedRun> claim(String namespace, String flowId, int limit, Claimant who) {
    return work.run(c -> {
      lockFlow(c, namespace, flowId);
      int free = limit - active(c, namespace, flowId);
      var claimed = new ArrayList<ClaimedRun>();
      if (free <= 0) {
        return claimed;
      }
      var waiting = new ArrayList<String>();
      try (var ps =
          c.prepareStatement(
              "SELECT id FROM weir_runs WHERE namespace = ? AND flow_id = ? AND state = 'QUEUED'"
                  + " AND owner IS NULL ORDER BY created_at, id LIMIT "
                  + free)) {
        ps.setString(1, namespace);
        ps.setString(2, flowId);
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            waiting.add(rs.getString(1));
          }
        }
      }
      for (String id : waiting) {
        try (var ps =
            c.prepareStatement(
                "UPDATE weir_runs SET owner = ?, owner_node = ?, owner_epoch = ?,"
                    + " fence = fence + 1 WHERE id = ? AND state = 'QUEUED' AND owner IS NULL")) {
          ps.setString(1, who.label());
          ps.setString(2, who.node());
          if (who.node() == null) {
            ps.setNull(3, java.sql.Types.BIGINT);
          } else {
            ps.setLong(3, who.epoch());
          }
          ps.setString(4, id);
          if (ps.executeUpdate() == 1) {
            claimed.add(read(c, id));
          }
        }
      }
      return claimed;
    });
  }

  /** See {@link StateStore#activeRuns}. */
  int active(String namespace, String flowId) {
    return work.run(c -> active(c, namespace, flowId));
  }

  /** See {@link StateStore#endQueued}. */
  boolean endQueued(RunRecord ended) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_runs SET state = ?, ended_at = ?, error = ? WHERE id = ?"
                  + " AND state = 'QUEUED' AND owner IS NULL")) {
        ps.setString(1, ended.state().name());
        JdbcWork.setTime(ps, 2, ended.endedAt());
        ps.setString(3, JdbcWork.clip(ended.error()));
        ps.setString(4, ended.id());
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** See {@link StateStore#dropQueued}. */
  boolean drop(String runId) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "DELETE FROM weir_runs WHERE id = ? AND state = 'QUEUED' AND owner IS NULL")) {
        ps.setString(1, runId);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** See {@link StateStore#queuedFlows}. */
  List<StateStore.QueuedFlow> queuedFlows() {
    return work.query(
        "SELECT namespace, flow_id, COUNT(*), MIN(created_at) FROM weir_runs"
            + " WHERE state = 'QUEUED' AND owner IS NULL GROUP BY namespace, flow_id",
        ps -> {},
        rs ->
            new StateStore.QueuedFlow(
                rs.getString(1), rs.getString(2), rs.getInt(3), JdbcWork.time(rs, 4)));
  }

  private static void lockFlow(Connection c, String namespace, String flowId) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT revision FROM weir_flows WHERE namespace = ? AND flow_id = ? FOR UPDATE")) {
      ps.setString(1, namespace);
      ps.setString(2, flowId);
      ps.executeQuery().close();
    }
  }

  private static int active(Connection c, String namespace, String flowId) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT COUNT(*) FROM weir_runs WHERE namespace = ? AND flow_id = ? AND " + ACTIVE)) {
      ps.setString(1, namespace);
      ps.setString(2, flowId);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  // the run as claimed, with the fence the claim gave it (the column after the run's own)
  private static ClaimedRun read(Connection c, String id) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT " + JdbcRuns.RUN_COLUMNS + ", fence FROM weir_runs WHERE id = ?")) {
      ps.setString(1, id);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return new ClaimedRun(JdbcRuns.read(rs), rs.getLong(17));
      }
    }
  }
}
