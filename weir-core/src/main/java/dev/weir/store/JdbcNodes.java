package dev.weir.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Cluster membership, in {@code weir_nodes}: a node registers (its epoch goes up), renews its lease
 * while the lease is current, and is alive while it is. Every time is computed by the database
 * ({@link #NOW_MS}), so nodes whose clocks disagree still agree on who is alive.
 */
final class JdbcNodes {
  /**
   * Now, on the database's clock, in milliseconds since the epoch: the same SQL on H2 and
   * PostgreSQL. The time of the transaction's start on both, which is now for the short
   * transactions here.
   */
  static final String NOW_MS = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

  /**
   * A run's owner node holds it: its id and epoch are the node's current ones, and its lease is
   * current. Used on {@code weir_runs}.
   */
  static final String OWNER_ALIVE =
      "EXISTS (SELECT 1 FROM weir_nodes n WHERE n.node_id = weir_runs.owner_node"
          + " AND n.epoch = weir_runs.owner_epoch AND n.lease_until_ms > "
          + NOW_MS
          + ")";

  private static final String COLUMNS =
      "node_id, epoch, role, host, pid, started_at_ms, renewed_at_ms, lease_until_ms, "
          + "CASE WHEN lease_until_ms > "
          + NOW_MS
          + " THEN 1 ELSE 0 END";

  private final JdbcWork work;

  JdbcNodes(JdbcWork work) {
    this.work = work;
  }

  /** See {@link StateStore#registerNode}. */
  long register(String nodeId, String role, String host, long pid, Duration lease) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_nodes SET epoch = epoch + 1, role = ?, host = ?, pid = ?, started_at_ms = "
                  + NOW_MS
                  + ", renewed_at_ms = "
                  + NOW_MS
                  + ", lease_until_ms = "
                  + NOW_MS
                  + " + ? WHERE node_id = ?")) {
        ps.setString(1, role);
        ps.setString(2, host);
        ps.setLong(3, pid);
        ps.setLong(4, lease.toMillis());
        ps.setString(5, nodeId);
        if (ps.executeUpdate() == 0) {
          insert(c, nodeId, role, host, pid, lease);
        }
      }
      return epochOf(c, nodeId);
    });
  }

  // a node registering for the first time; two racing get a duplicate key, and the retry updates
  private static void insert(
      Connection c, String nodeId, String role, String host, long pid, Duration lease)
      throws SQLException {
    try (var ps =
        c.prepareStatement(
            "INSERT INTO weir_nodes (node_id, epoch, role, host, pid, started_at_ms,"
                + " renewed_at_ms, lease_until_ms) VALUES (?, 1, ?, ?, ?, "
                + NOW_MS
                + ", "
                + NOW_MS
                + ", "
                + NOW_MS
                + " + ?)")) {
      ps.setString(1, nodeId);
      ps.setString(2, role);
      ps.setString(3, host);
      ps.setLong(4, pid);
      ps.setLong(5, lease.toMillis());
      ps.executeUpdate();
    }
  }

  private static long epochOf(Connection c, String nodeId) throws SQLException {
    try (var ps = c.prepareStatement("SELECT epoch FROM weir_nodes WHERE node_id = ?")) {
      ps.setString(1, nodeId);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** See {@link StateStore#renewNode}. */
  boolean renew(String nodeId, long epoch, Duration lease) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_nodes SET renewed_at_ms = "
                  + NOW_MS
                  + ", lease_until_ms = "
                  + NOW_MS
                  + " + ? WHERE node_id = ? AND epoch = ? AND lease_until_ms > "
                  + NOW_MS)) {
        ps.setLong(1, lease.toMillis());
        ps.setString(2, nodeId);
        ps.setLong(3, epoch);
        return ps.executeUpdate() == 1;
      }
    });
  }

  /** See {@link StateStore#leaveCluster}. */
  void leave(String nodeId, long epoch) {
    work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_nodes SET lease_until_ms = "
                  + NOW_MS
                  + " WHERE node_id = ? AND epoch = ?")) {
        ps.setString(1, nodeId);
        ps.setLong(2, epoch);
        return ps.executeUpdate();
      }
    });
  }

  List<NodeRecord> all() {
    return work.query(
        "SELECT " + COLUMNS + " FROM weir_nodes ORDER BY node_id", ps -> {}, JdbcNodes::read);
  }

  private static NodeRecord read(ResultSet rs) throws SQLException {
    return new NodeRecord(
        rs.getString(1),
        rs.getLong(2),
        rs.getString(3),
        rs.getString(4),
        rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)),
        Instant.ofEpochMilli(rs.getLong(7)),
        Instant.ofEpochMilli(rs.getLong(8)),
        rs.getInt(9) == 1);
  }
}
