package dev.weir.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link AttemptQueue} on {@code weir_attempt_queue}. */
final class JdbcAttemptQueue implements AttemptQueue {
  // a claim whose node is alive in the epoch it claimed in, on the database's clock
  private static final String HOLDER_ALIVE =
      "EXISTS (SELECT 1 FROM weir_nodes n WHERE n.node_id = weir_attempt_queue.claimed_node"
          + " AND n.epoch = weir_attempt_queue.claimed_epoch AND n.lease_until_ms > "
          + JdbcNodes.NOW_MS
          + ")";

  private static final int MAX_IDS = 500;

  /**
   * The channel cluster nodes listen on (the server's {@code Signal.CHANNEL}): an attempt queued
   * wakes the workers ({@code attempts}), a result stored wakes the coordinators ({@code results}),
   * at the commit of the write that makes it visible. Polling stays the correctness path.
   */
  static final String CHANNEL = "weir_work";

  private final JdbcWork work;
  private final boolean postgres;

  JdbcAttemptQueue(JdbcWork work, boolean postgres) {
    this.work = work;
    this.postgres = postgres;
  }

  private void tell(java.sql.Connection c, String payload) throws SQLException {
    if (postgres) {
      try (var ps = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
        ps.setString(1, payload);
        ps.execute();
      }
    }
  }

  @Override
  public long enqueue(AttemptTicket t) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_attempt_queue (run_id, task_id, attempt, pool, ticket, state)"
                  + " SELECT ?, ?, ?, ?, ?, 'QUEUED' WHERE NOT EXISTS (SELECT 1 FROM"
                  + " weir_attempt_queue WHERE run_id = ? AND task_id = ? AND attempt = ?)")) {
        ps.setString(1, t.runId());
        ps.setString(2, t.taskId());
        ps.setInt(3, t.attempt());
        ps.setString(4, t.pool());
        ps.setString(5, t.ticket());
        ps.setString(6, t.runId());
        ps.setString(7, t.taskId());
        ps.setInt(8, t.attempt());
        ps.executeUpdate();
      }
      long id;
      try (var ps =
          c.prepareStatement(
              "SELECT id FROM weir_attempt_queue WHERE run_id = ? AND task_id = ? AND attempt = ?")) {
        ps.setString(1, t.runId());
        ps.setString(2, t.taskId());
        ps.setInt(3, t.attempt());
        try (var rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      tell(c, "attempts");
      return id;
    });
  }

  @Override
  public Map<Long, QueuedAttempt> states(Collection<Long> ids) {
    var out = new HashMap<Long, QueuedAttempt>();
    List<Long> all = List.copyOf(ids);
    for (int from = 0; from < all.size(); from += MAX_IDS) {
      List<Long> part = all.subList(from, Math.min(all.size(), from + MAX_IDS));
      work.query(
              "SELECT id, state, claimed_node, claimed_epoch, outcome FROM weir_attempt_queue"
                  + " WHERE id IN ("
                  + JdbcWork.marks(part.size())
                  + ")",
              ps -> bindIds(ps, part, 1),
              rs -> {
                String node = rs.getString(3);
                return new QueuedAttempt(
                    rs.getLong(1),
                    QueuedAttempt.State.valueOf(rs.getString(2)),
                    node == null ? null : node + "#" + rs.getLong(4),
                    rs.getString(5));
              })
          .forEach(q -> out.put(q.id(), q));
    }
    return out;
  }

  @Override
  public void drop(long id) {
    update("DELETE FROM weir_attempt_queue WHERE id = ?", ps -> ps.setLong(1, id));
  }

  @Override
  public int dropRun(String runId) {
    return update("DELETE FROM weir_attempt_queue WHERE run_id = ?", ps -> ps.setString(1, runId));
  }

  // runs that ended: their attempts are nobody's
  private static final String RUN_ENDED =
      "EXISTS (SELECT 1 FROM weir_runs r WHERE r.id = weir_attempt_queue.run_id"
          + " AND r.state IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))";

  @Override
  public int dropEnded(String runId) {
    return runId == null
        ? update("DELETE FROM weir_attempt_queue WHERE " + RUN_ENDED, ps -> {})
        : update(
            "DELETE FROM weir_attempt_queue WHERE run_id = ? AND " + RUN_ENDED,
            ps -> ps.setString(1, runId));
  }

  @Override
  public int requeueUnheld(Claimant worker, Set<Long> held) {
    List<Long> ids = List.copyOf(held);
    String notHeld = ids.isEmpty() ? "" : " AND id NOT IN (" + JdbcWork.marks(ids.size()) + ")";
    return update(
        "UPDATE weir_attempt_queue SET state = 'QUEUED', claimed_node = NULL, claimed_epoch ="
            + " NULL, fence = fence + 1 WHERE state = 'CLAIMED' AND claimed_node = ? AND"
            + " claimed_epoch = ?"
            + notHeld,
        ps -> {
          ps.setString(1, worker.node());
          ps.setLong(2, worker.epoch());
          bindIds(ps, ids, 3);
        });
  }

  @Override
  public Optional<ClaimedAttempt> claim(Claimant worker, Set<String> pools) {
    List<String> served = List.copyOf(pools);
    return work.run(c -> {
      Long id = oldestWaiting(c, served);
      if (id == null) {
        return Optional.empty();
      }
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_attempt_queue SET state = 'CLAIMED', claimed_node = ?, claimed_epoch = ?,"
                  + " fence = fence + 1 WHERE id = ? AND state = 'QUEUED'")) {
        ps.setString(1, worker.node());
        ps.setLong(2, worker.epoch());
        ps.setLong(3, id);
        if (ps.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      try (var ps =
          c.prepareStatement(
              "SELECT run_id, task_id, attempt, pool, ticket, fence FROM weir_attempt_queue"
                  + " WHERE id = ?")) {
        ps.setLong(1, id);
        try (var rs = ps.executeQuery()) {
          rs.next();
          var t =
              new AttemptTicket(
                  rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5));
          return Optional.of(new ClaimedAttempt(id, t, rs.getLong(6)));
        }
      }
    });
  }

  // the oldest attempt no other worker is claiming at this moment (SKIP LOCKED: claims never wait)
  private static Long oldestWaiting(Connection c, List<String> pools) throws SQLException {
    String poolFilter =
        pools.isEmpty() ? "" : " AND pool IN (" + JdbcWork.marks(pools.size()) + ")";
    try (var ps =
        c.prepareStatement(
            "SELECT id FROM weir_attempt_queue WHERE state = 'QUEUED'"
                + poolFilter
                + " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
      for (int i = 0; i < pools.size(); i++) {
        ps.setString(i + 1, pools.get(i));
      }
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  @Override
  public boolean finish(long id, long fence, String outcome) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_attempt_queue SET state = 'DONE', outcome = ? WHERE id = ? AND fence = ?"
                  + " AND state = 'CLAIMED'")) {
        ps.setString(1, outcome);
        ps.setLong(2, id);
        ps.setLong(3, fence);
        if (ps.executeUpdate() != 1) {
          return false;
        }
      }
      tell(c, "results");
      return true;
    });
  }

  @Override
  public Set<Long> lost(Claimant worker, Map<Long, Long> claims) {
    var lost = new HashSet<>(claims.keySet());
    List<Long> ids = new ArrayList<>(claims.keySet());
    for (int from = 0; from < ids.size(); from += MAX_IDS) {
      List<Long> part = ids.subList(from, Math.min(ids.size(), from + MAX_IDS));
      work.query(
              "SELECT id, fence FROM weir_attempt_queue WHERE state = 'CLAIMED' AND claimed_node = ?"
                  + " AND claimed_epoch = ? AND id IN ("
                  + JdbcWork.marks(part.size())
                  + ")",
              ps -> {
                ps.setString(1, worker.node());
                ps.setLong(2, worker.epoch());
                bindIds(ps, part, 3);
              },
              rs -> rs.getLong(2) == claims.get(rs.getLong(1)) ? rs.getLong(1) : null)
          .forEach(lost::remove);
    }
    return lost;
  }

  @Override
  public int requeueOrphans() {
    return update(
        "UPDATE weir_attempt_queue SET state = 'QUEUED', claimed_node = NULL, claimed_epoch ="
            + " NULL, fence = fence + 1 WHERE state = 'CLAIMED' AND NOT "
            + HOLDER_ALIVE,
        ps -> {});
  }

  @Override
  public int size() {
    return work.query("SELECT COUNT(*) FROM weir_attempt_queue", ps -> {}, rs -> rs.getInt(1))
        .getFirst();
  }

  private int update(String sql, JdbcWork.Binder binder) {
    return work.run(c -> {
      try (var ps = c.prepareStatement(sql)) {
        binder.bind(ps);
        return ps.executeUpdate();
      }
    });
  }

  private static void bindIds(PreparedStatement ps, List<Long> ids, int from) throws SQLException {
    for (int i = 0; i < ids.size(); i++) {
      ps.setLong(from + i, ids.get(i));
    }
  }
}
