package dev.weir.server.alerts;

import dev.weir.WeirException;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.store.Jdbc;
import dev.weir.store.JdbcStateStore;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The alert state that must survive a restart (schema v7): which flows are failing, when each alert
 * last went out, which runs had their SLA miss raised. Each decision is one conditional write, so
 * two nodes never both send.
 */
final class AlertStore {
  private final Jdbc jdbc;

  AlertStore(DataSource ds) {
    this.jdbc = new Jdbc(ds);
  }

  /** Marks the flow failing. */
  void failed(FlowKey flow, String runId, Instant at) {
    int n =
        jdbc.update(
            "UPDATE weir_alert_flows SET failing = TRUE, run_id = ?, updated_at = ?"
                + " WHERE namespace = ? AND flow_id = ?",
            ps -> {
              ps.setString(1, runId);
              ps.setTimestamp(2, Timestamp.from(at));
              ps.setString(3, flow.namespace());
              ps.setString(4, flow.id());
            });
    if (n == 0) {
      tryInsert(
          "INSERT INTO weir_alert_flows (failing, run_id, updated_at, namespace, flow_id)"
              + " VALUES (TRUE, ?, ?, ?, ?)",
          runId,
          at,
          flow);
    }
  }

  /**
   * Marks the flow healthy.
   *
   * @return true when it was failing: this success is a recovery
   */
  boolean succeeded(FlowKey flow, String runId, Instant at) {
    return jdbc.update(
            "UPDATE weir_alert_flows SET failing = FALSE, run_id = ?, updated_at = ?"
                + " WHERE namespace = ? AND flow_id = ? AND failing = TRUE",
            ps -> {
              ps.setString(1, runId);
              ps.setTimestamp(2, Timestamp.from(at));
              ps.setString(3, flow.namespace());
              ps.setString(4, flow.id());
            })
        == 1;
  }

  /**
   * Claims the right to send {@code event} of {@code flow} to {@code channel} now.
   *
   * @return false when one went out less than {@code window} ago
   */
  boolean claim(FlowKey flow, String event, String channel, Instant now, Duration window) {
    int n =
        jdbc.update(
            "UPDATE weir_alert_sent SET sent_at = ? WHERE namespace = ? AND flow_id = ?"
                + " AND event = ? AND channel = ? AND sent_at <= ?",
            ps -> {
              ps.setTimestamp(1, Timestamp.from(now));
              ps.setString(2, flow.namespace());
              ps.setString(3, flow.id());
              ps.setString(4, event);
              ps.setString(5, channel);
              ps.setTimestamp(6, Timestamp.from(now.minus(window)));
            });
    if (n == 1) {
      return true;
    }
    try {
      jdbc.update(
          "INSERT INTO weir_alert_sent (namespace, flow_id, event, channel, sent_at)"
              + " VALUES (?, ?, ?, ?, ?)",
          ps -> {
            ps.setString(1, flow.namespace());
            ps.setString(2, flow.id());
            ps.setString(3, event);
            ps.setString(4, channel);
            ps.setTimestamp(5, Timestamp.from(now));
          });
      return true;
    } catch (WeirException e) {
      if (JdbcStateStore.isDuplicateKey(e)) {
        return false; // the row is there and its window is still open
      }
      throw e;
    }
  }

  /** Opens every throttle window of the flow again (after a recovery). */
  void resetThrottles(FlowKey flow) {
    jdbc.update(
        "DELETE FROM weir_alert_sent WHERE namespace = ? AND flow_id = ?",
        ps -> {
          ps.setString(1, flow.namespace());
          ps.setString(2, flow.id());
        });
  }

  /**
   * Records the SLA miss of a run.
   *
   * @return false when it was recorded before (by this node or another)
   */
  boolean slaMissed(FlowKey flow, String runId, String reason, Instant at) {
    try {
      jdbc.update(
          "INSERT INTO weir_sla_misses (run_id, namespace, flow_id, reason, raised_at)"
              + " VALUES (?, ?, ?, ?, ?)",
          ps -> {
            ps.setString(1, runId);
            ps.setString(2, flow.namespace());
            ps.setString(3, flow.id());
            ps.setString(4, reason.length() > 1000 ? reason.substring(0, 1000) : reason);
            ps.setTimestamp(5, Timestamp.from(at));
          });
      return true;
    } catch (WeirException e) {
      if (JdbcStateStore.isDuplicateKey(e)) {
        return false;
      }
      throw e;
    }
  }

  /** The SLA misses raised at or after {@code since}, newest first, at most {@code limit}. */
  java.util.List<Alerts.SlaMiss> slaMisses(Instant since, int limit) {
    return jdbc.query(
        "SELECT run_id, namespace, flow_id, reason, raised_at FROM weir_sla_misses"
            + " WHERE raised_at >= ? ORDER BY raised_at DESC, run_id LIMIT "
            + Math.max(1, limit),
        ps -> ps.setTimestamp(1, Timestamp.from(since)),
        rs ->
            new Alerts.SlaMiss(
                rs.getString(1),
                new FlowKey(rs.getString(2), rs.getString(3)),
                rs.getString(4),
                Jdbc.time(rs, 5)));
  }

  private void tryInsert(String sql, String runId, Instant at, FlowKey flow) {
    try {
      jdbc.update(
          sql,
          ps -> {
            ps.setString(1, runId);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, flow.namespace());
            ps.setString(4, flow.id());
          });
    } catch (WeirException e) {
      if (!JdbcStateStore.isDuplicateKey(e)) {
        throw e;
      }
      // another node inserted the row at the same moment, after a failed run as well
    }
  }
}
