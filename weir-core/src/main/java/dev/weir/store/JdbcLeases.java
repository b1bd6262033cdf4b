package dev.weir.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Named leases, in {@code weir_leases}: a duty one node of a cluster does for all (watching the
 * flows directory). A lease is held by a node in an epoch until a time on the database's clock;
 * taken over by a compare and set when it lapsed, so two nodes never both hold it.
 */
final class JdbcLeases {
  private static final String NOW_MS = JdbcNodes.NOW_MS;

  private final JdbcWork work;

  JdbcLeases(JdbcWork work) {
    this.work = work;
  }

  /** See {@link StateStore#holdLease}. */
  LeaseGrant hold(String name, String nodeId, long epoch, Duration lease) {
    return work.run(c -> {
      Holder before = holder(c, name);
      if (before == null) {
        if (insert(c, name, nodeId, epoch, lease)) {
          return new LeaseGrant(true, null, true);
        }
        before = holder(c, name); // another node inserted it first
      }
      boolean mine = before.node().equals(nodeId) && before.epoch() == epoch;
      // the same node in an earlier epoch is gone: it started again since, and takes it back now
      boolean earlierSelf = before.node().equals(nodeId) && before.epoch() < epoch;
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_leases SET holder_node = ?, holder_epoch = ?, lease_until_ms = "
                  + NOW_MS
                  + " + ? WHERE name = ? AND holder_node = ? AND holder_epoch = ?"
                  + (mine || earlierSelf ? "" : " AND lease_until_ms <= " + NOW_MS))) {
        ps.setString(1, nodeId);
        ps.setLong(2, epoch);
        ps.setLong(3, lease.toMillis());
        ps.setString(4, name);
        ps.setString(5, before.node());
        ps.setLong(6, before.epoch());
        boolean held = ps.executeUpdate() == 1;
        if (!held) {
          return new LeaseGrant(false, before.node(), false);
        }
        return mine ? new LeaseGrant(true, null, false) : new LeaseGrant(true, before.node(), true);
      }
    });
  }

  /** See {@link StateStore#releaseLease}. */
  void release(String name, String nodeId, long epoch) {
    work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_leases SET lease_until_ms = "
                  + NOW_MS
                  + " WHERE name = ? AND holder_node = ? AND holder_epoch = ?")) {
        ps.setString(1, name);
        ps.setString(2, nodeId);
        ps.setLong(3, epoch);
        return ps.executeUpdate();
      }
    });
  }

  private record Holder(String node, long epoch) {}

  private static Holder holder(Connection c, String name) throws SQLException {
    try (var ps =
        c.prepareStatement("SELECT holder_node, holder_epoch FROM weir_leases WHERE name = ?")) {
      ps.setString(1, name);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? new Holder(rs.getString(1), rs.getLong(2)) : null;
      }
    }
  }

  // false when another node inserted the row first
  private static boolean insert(
      Connection c, String name, String nodeId, long epoch, Duration lease) throws SQLException {
    var save = c.setSavepoint();
    try (var ps =
        c.prepareStatement(
            "INSERT INTO weir_leases (name, holder_node, holder_epoch, lease_until_ms)"
                + " VALUES (?, ?, ?, "
                + NOW_MS
                + " + ?)")) {
      ps.setString(1, name);
      ps.setString(2, nodeId);
      ps.setLong(3, epoch);
      ps.setLong(4, lease.toMillis());
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(save);
      return false;
    }
  }
}
