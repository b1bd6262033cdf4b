package dev.weir.store;

import java.sql.SQLException;
import java.util.OptionalInt;

/**
 * The slots of named pools, in {@code weir_pool_slots}: a pool of N is N rows, each held by at most
 * one task attempt of one node. A slot is taken by a compare and set on the row (two nodes asking
 * at once get different slots or none), and is free again when its attempt releases it or its node
 * is gone (lease expired, or started again), on the database's clock.
 */
final class JdbcPoolSlots {
  private static String free(String table) {
    return "("
        + table
        + ".holder_node IS NULL OR NOT EXISTS (SELECT 1 FROM weir_nodes n WHERE n.node_id = "
        + table
        + ".holder_node AND n.epoch = "
        + table
        + ".holder_epoch AND n.lease_until_ms > "
        + JdbcNodes.NOW_MS
        + "))";
  }

  private final JdbcWork work;

  JdbcPoolSlots(JdbcWork work) {
    this.work = work;
  }

  /** See {@link StateStore#ensurePool}. */
  void ensure(String pool, int size) {
    for (int slot = 0; slot < size; slot++) {
      int s = slot;
      try {
        work.run(c -> {
          try (var ps =
              c.prepareStatement(
                  "INSERT INTO weir_pool_slots (pool, slot) SELECT ?, ? WHERE NOT EXISTS"
                      + " (SELECT 1 FROM weir_pool_slots WHERE pool = ? AND slot = ?)")) {
            ps.setString(1, pool);
            ps.setInt(2, s);
            ps.setString(3, pool);
            ps.setInt(4, s);
            return ps.executeUpdate();
          }
        });
      } catch (RuntimeException e) {
        if (!JdbcWork.isDuplicateKey(e)) {
          throw e; // another node made the same slot at the same moment: it exists, as wanted
        }
      }
    }
  }

  /** See {@link StateStore#acquirePoolSlot}. */
  OptionalInt acquire(PoolClaim claim) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_pool_slots SET holder_node = ?, holder_epoch = ?, run_id = ?,"
                  + " task_id = ?, attempt = ? WHERE pool = ? AND slot = (SELECT MIN(s.slot)"
                  + " FROM weir_pool_slots s WHERE s.pool = ? AND s.slot < ? AND "
                  + free("s")
                  + ") AND "
                  + free("weir_pool_slots"))) {
        ps.setString(1, claim.holder().node());
        ps.setLong(2, claim.holder().epoch());
        ps.setString(3, claim.runId());
        ps.setString(4, claim.taskId());
        ps.setInt(5, claim.attempt());
        ps.setString(6, claim.pool());
        ps.setString(7, claim.pool());
        ps.setInt(8, claim.size());
        if (ps.executeUpdate() == 0) {
          return OptionalInt.empty(); // none free, or another node took the one found first
        }
      }
      try (var ps =
          c.prepareStatement(
              "SELECT slot FROM weir_pool_slots WHERE pool = ? AND holder_node = ? AND"
                  + " holder_epoch = ? AND run_id = ? AND task_id = ? AND attempt = ?")) {
        bindHolder(ps, claim, 1);
        try (var rs = ps.executeQuery()) {
          return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
        }
      }
    });
  }

  /** See {@link StateStore#releasePoolSlot}. */
  void release(PoolClaim claim, int slot) {
    work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_pool_slots SET holder_node = NULL, holder_epoch = NULL, run_id = NULL,"
                  + " task_id = NULL, attempt = NULL WHERE pool = ? AND holder_node = ? AND"
                  + " holder_epoch = ? AND run_id = ? AND task_id = ? AND attempt = ? AND slot = ?")) {
        bindHolder(ps, claim, 1);
        ps.setInt(7, slot);
        return ps.executeUpdate();
      }
    });
  }

  /** See {@link StateStore#poolSlotsInUse}. */
  int inUse(String pool) {
    return work.query(
            "SELECT COUNT(*) FROM weir_pool_slots WHERE pool = ? AND NOT "
                + free("weir_pool_slots"),
            ps -> ps.setString(1, pool),
            rs -> rs.getInt(1))
        .getFirst();
  }

  private static void bindHolder(java.sql.PreparedStatement ps, PoolClaim claim, int from)
      throws SQLException {
    ps.setString(from, claim.pool());
    ps.setString(from + 1, claim.holder().node());
    ps.setLong(from + 2, claim.holder().epoch());
    ps.setString(from + 3, claim.runId());
    ps.setString(from + 4, claim.taskId());
    ps.setInt(from + 5, claim.attempt());
  }

  /** See {@link StateStore#poolSlotsHeldBy}. */
  java.util.List<StateStore.HeldSlot> heldBy(String nodeId, long epoch) {
    return work.query(
        "SELECT pool, slot, run_id, task_id, attempt FROM weir_pool_slots"
            + " WHERE holder_node = ? AND holder_epoch = ? ORDER BY pool, slot",
        ps -> {
          ps.setString(1, nodeId);
          ps.setLong(2, epoch);
        },
        rs ->
            new StateStore.HeldSlot(
                rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getInt(5)));
  }
}
