package dev.weir.store;

import javax.sql.DataSource;

/**
 * Who executes a run: the {@code owner} column of {@code weir_runs}, taken over by a compare and
 * set so that of two processes resuming one run only one wins. Kept apart from {@link JdbcRuns} so
 * that cluster ownership (node ids, epochs) can take its place.
 */
final class JdbcRunOwnership {
  private final JdbcWork work;

  JdbcRunOwnership(DataSource ds, String description, StoreRetry retry) {
    this.work = new JdbcWork(ds, description, retry);
  }

  /** See {@link StateStore#claimRun}. */
  boolean claim(RunRecord expected, String newOwner) {
    return work.run(c -> {
      String sql =
          "UPDATE weir_runs SET owner = ? WHERE id = ? AND state = ? AND attempt = ? AND "
              + (expected.owner() == null ? "owner IS NULL" : "owner = ?");
      try (var ps = c.prepareStatement(sql)) {
        ps.setString(1, newOwner);
        ps.setString(2, expected.id());
        ps.setString(3, expected.state().name());
        ps.setInt(4, expected.attempt());
        if (expected.owner() != null) {
          ps.setString(5, expected.owner());
        }
        return ps.executeUpdate() == 1;
      }
    });
  }
}
