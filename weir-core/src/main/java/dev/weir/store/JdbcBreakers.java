package dev.weir.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Circuit breakers shared by the nodes of a cluster, in {@code weir_breakers}: one row per
 * connection name, counted by every node. A failure is counted under a lock on the row (read,
 * decide, write in one short transaction); the trial of a half-open circuit is taken by a compare
 * and set, so one attempt of one node holds it, and a trial whose node is gone is free again. Every
 * time is the database's ({@link JdbcNodes#NOW_MS}).
 */
final class JdbcBreakers implements BreakerStore {
  private static final String NOW_MS = JdbcNodes.NOW_MS;

  /** The trial is held by an attempt of a live node. */
  private static final String TRIAL_HELD =
      "(weir_breakers.trial_token IS NOT NULL AND EXISTS (SELECT 1 FROM weir_nodes n WHERE"
          + " n.node_id = weir_breakers.trial_node AND n.epoch = weir_breakers.trial_epoch AND"
          + " n.lease_until_ms > "
          + NOW_MS
          + "))";

  private static final String COLUMNS =
      "connection_name, failures, open_until_ms, open_until_ms - "
          + NOW_MS
          + ", opened_after, CASE WHEN "
          + TRIAL_HELD
          + " THEN trial_label END";

  private static final String NO_TRIAL =
      "trial_node = NULL, trial_epoch = NULL, trial_label = NULL, trial_token = NULL";

  private final JdbcWork work;

  JdbcBreakers(JdbcWork work) {
    this.work = work;
  }

  @Override
  public Optional<BreakerRecord> find(String connection) {
    return work
        .query(
            "SELECT " + COLUMNS + " FROM weir_breakers WHERE connection_name = ?",
            ps -> ps.setString(1, connection),
            JdbcBreakers::record)
        .stream()
        .findFirst();
  }

  @Override
  public List<BreakerRecord> all() {
    return work.query(
        "SELECT " + COLUMNS + " FROM weir_breakers ORDER BY connection_name",
        ps -> {},
        JdbcBreakers::record);
  }

  @Override
  public boolean recordFailure(
      String connection, int threshold, Duration openFor, String trialToken) {
    return work.run(c -> {
      insertIfMissing(c, connection);
      int failures;
      boolean closed;
      boolean deciding;
      try (var ps =
          c.prepareStatement(
              "SELECT failures, open_until_ms IS NULL, open_until_ms <= "
                  + NOW_MS
                  + " AND trial_token = ? FROM weir_breakers WHERE connection_name = ? FOR UPDATE")) {
        ps.setString(1, trialToken == null ? "" : trialToken);
        ps.setString(2, connection);
        try (var rs = ps.executeQuery()) {
          rs.next();
          failures = rs.getInt(1) + 1;
          closed = rs.getBoolean(2);
          deciding = rs.getBoolean(3); // this attempt held the trial of the half-open circuit
        }
      }
      // open, or half-open with another trial out: an attempt let in before says nothing new
      boolean opens = deciding || (closed && failures >= threshold);
      try (var ps =
          c.prepareStatement(
              opens
                  ? "UPDATE weir_breakers SET failures = ?, open_until_ms = "
                      + NOW_MS
                      + " + ?, opened_after = ?, "
                      + NO_TRIAL
                      + " WHERE connection_name = ?"
                  : "UPDATE weir_breakers SET failures = ? WHERE connection_name = ?")) {
        ps.setInt(1, failures);
        if (opens) {
          ps.setLong(2, openFor.toMillis());
          ps.setInt(3, deciding ? 0 : failures);
          ps.setString(4, connection);
        } else {
          ps.setString(2, connection);
        }
        ps.executeUpdate();
      }
      return opens;
    });
  }

  @Override
  public boolean recordSuccess(String connection) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_breakers SET failures = 0, open_until_ms = NULL, opened_after = NULL, "
                  + NO_TRIAL
                  + " WHERE connection_name = ? AND open_until_ms IS NOT NULL")) {
        ps.setString(1, connection);
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_breakers SET failures = 0 WHERE connection_name = ? AND failures <> 0")) {
        ps.setString(1, connection);
        ps.executeUpdate();
      }
      return false;
    });
  }

  @Override
  public boolean takeTrial(String connection, Claimant who, String token) {
    return work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_breakers SET trial_node = ?, trial_epoch = ?, trial_label = ?,"
                  + " trial_token = ? WHERE connection_name = ? AND open_until_ms <= "
                  + NOW_MS
                  + " AND (trial_token = ? OR NOT "
                  + TRIAL_HELD
                  + ")")) {
        ps.setString(1, who.node());
        ps.setLong(2, who.epoch());
        ps.setString(3, who.label());
        ps.setString(4, token);
        ps.setString(5, connection);
        ps.setString(6, token); // asked again after an answer was lost: it holds it already
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public void releaseTrial(String connection, String token) {
    work.run(c -> {
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_breakers SET "
                  + NO_TRIAL
                  + " WHERE connection_name = ? AND trial_token = ?")) {
        ps.setString(1, connection);
        ps.setString(2, token);
        return ps.executeUpdate();
      }
    });
  }

  // two nodes counting the first failure at once: the second meets the first's row
  private static void insertIfMissing(Connection c, String connection) throws SQLException {
    var save = c.setSavepoint();
    try (var ps =
        c.prepareStatement(
            "INSERT INTO weir_breakers (connection_name, failures) SELECT ?, 0 WHERE NOT EXISTS"
                + " (SELECT 1 FROM weir_breakers WHERE connection_name = ?)")) {
      ps.setString(1, connection);
      ps.setString(2, connection);
      ps.executeUpdate();
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(save);
    }
  }

  private static BreakerRecord record(ResultSet rs) throws SQLException {
    long until = rs.getLong(3);
    boolean closed = rs.wasNull();
    return new BreakerRecord(
        rs.getString(1),
        rs.getInt(2),
        closed ? null : Instant.ofEpochMilli(until),
        closed ? 0 : rs.getLong(4),
        rs.getInt(5),
        rs.getString(6));
  }
}
