package dev.weir.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Who executes a run: the {@code owner}, {@code owner_node}, {@code owner_epoch} and {@code fence}
 * columns of {@code weir_runs}. A run is taken over by a compare and set that raises its fence, so
 * that of two processes resuming one run only one wins, and the loser's later writes, fenced with
 * the older token ({@link #checkFence}), change nothing.
 */
final class JdbcRunOwnership {
  private static final String OWNER_GONE =
      "(owner_node IS NULL OR NOT " + JdbcNodes.OWNER_ALIVE + ")";

  private final JdbcWork work;
  private final RunsDialect dialect;

  JdbcRunOwnership(JdbcWork work, RunsDialect dialect) {
    this.work = work;
    this.dialect = dialect;
  }

  /** See {@link StateStore#claimRun}. */
  OptionalLong claim(RunRecord expected, Claimant who, boolean force) {
    return work.run(c -> {
      String sql =
          "UPDATE weir_runs SET owner = ?, owner_node = ?, owner_epoch = ?, fence = fence + 1"
              + " WHERE id = ? AND state = ? AND attempt = ? AND "
              + (expected.owner() == null ? "owner IS NULL" : "owner = ?")
              + (force ? "" : " AND " + OWNER_GONE);
      try (var ps = c.prepareStatement(sql)) {
        ps.setString(1, who.label());
        ps.setString(2, who.node());
        if (who.node() == null) {
          ps.setNull(3, java.sql.Types.BIGINT);
        } else {
          ps.setLong(3, who.epoch());
        }
        ps.setString(4, expected.id());
        ps.setString(5, expected.state().name());
        ps.setInt(6, expected.attempt());
        if (expected.owner() != null) {
          ps.setString(7, expected.owner());
        }
        if (ps.executeUpdate() != 1) {
          return OptionalLong.empty();
        }
      }
      return OptionalLong.of(fenceOf(c, expected.id(), false));
    });
  }

  /**
   * Refuses, by throwing {@link FencedOffException}, a batch whose run another claim took since the
   * batch's writer claimed it. Locks the run's row until the transaction ends: a claim racing with
   * the batch waits for it, so a batch that passes this check is written before any newer claim.
   */
  void checkFence(Connection c, Fence fence) throws SQLException {
    long current;
    if (dialect == RunsDialect.H2) {
      // H2 locks a row more cheaply by updating it than by SELECT … FOR UPDATE: 0.25 against
      // 0.37 ms per task of a chain (BENCHMARKS.md); PostgreSQL's FOR UPDATE writes no new version
      try (var ps =
          c.prepareStatement("UPDATE weir_runs SET fence = fence WHERE id = ? AND fence = ?")) {
        ps.setString(1, fence.runId());
        ps.setLong(2, fence.token());
        if (ps.executeUpdate() == 1) {
          return;
        }
      }
      current = fenceOf(c, fence.runId(), false);
    } else {
      current = fenceOf(c, fence.runId(), true);
    }
    if (current != fence.token()) {
      String owner = null;
      try (var ps = c.prepareStatement("SELECT owner FROM weir_runs WHERE id = ?")) {
        ps.setString(1, fence.runId());
        try (var rs = ps.executeQuery()) {
          owner = rs.next() ? rs.getString(1) : null;
        }
      }
      throw new FencedOffException(fence, current, owner);
    }
  }

  /** See {@link StateStore#holds}. */
  boolean holds(Fence fence) {
    return work.run(c -> fenceOf(c, fence.runId(), false) == fence.token());
  }

  private static long fenceOf(Connection c, String runId, boolean lock) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT fence FROM weir_runs WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
      ps.setString(1, runId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  /** See {@link StateStore#orphanedRuns}. */
  List<RunRecord> orphaned(int limit) {
    return work.query(
        "SELECT "
            + JdbcRuns.RUN_COLUMNS
            + " FROM weir_runs WHERE owner_node IS NOT NULL AND state IN ('RUNNING', 'QUEUED')"
            + " AND NOT "
            + JdbcNodes.OWNER_ALIVE
            + " ORDER BY created_at LIMIT "
            + Math.max(1, limit),
        ps -> {},
        JdbcRuns::read);
  }

  /** See {@link StateStore#runsOwnedBy}. */
  List<RunRecord> ownedBy(String nodeId, long epoch) {
    return work.query(
        "SELECT "
            + JdbcRuns.RUN_COLUMNS
            + " FROM weir_runs WHERE owner_node = ? AND owner_epoch = ?"
            + " AND state IN ('RUNNING', 'QUEUED') ORDER BY created_at",
        ps -> {
          ps.setString(1, nodeId);
          ps.setLong(2, epoch);
        },
        JdbcRuns::read);
  }
}
