package dev.weir.server.store;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The server's tables beside the engine's (schema v3): flows and their revisions, what triggers
 * fired, schedule marks and API tokens. Plain SQL that H2 and PostgreSQL both run; each family of
 * tables has its own class ({@link JdbcFlows}, {@link JdbcTriggerFires}, {@link JdbcScheduleMarks},
 * {@link QueueFires}) and this one is the door to them all.
 */
public final class ServerStore {
  private final Jdbc jdbc;
  private final JdbcFlows flows;
  private final JdbcTriggerFires fires;
  private final JdbcScheduleMarks marks;
  private final QueueFires queueFires;

  /**
   * Told inside every transaction that changes {@code weir_flows}, before its commit: a cluster
   * node signals the others there, so that they hear of the change exactly when it is visible.
   */
  public interface FlowsWritten {
    FlowsWritten NONE = c -> {};

    void inTransaction(java.sql.Connection c) throws SQLException;
  }

  public ServerStore(DataSource ds) {
    this(ds, FlowsWritten.NONE);
  }

  public ServerStore(DataSource ds, FlowsWritten flowsWritten) {
    this.jdbc = new Jdbc(ds);
    this.flows = new JdbcFlows(jdbc, flowsWritten);
    this.fires = new JdbcTriggerFires(jdbc);
    this.marks = new JdbcScheduleMarks(jdbc);
    this.queueFires = new QueueFires(jdbc, this);
  }

  /** The fires of queue triggers: looked up by the batch, kept for a retention. */
  public QueueFires queueFires() {
    return queueFires;
  }

  /** The current revision of a flow and whether it may run. */
  /**
   * A flow's current revision as {@code weir_flows} holds it.
   *
   * @param removedAt when its file was removed (the nodes of a cluster forget it then), else null
   */
  public record FlowRow(
      String namespace,
      String flowId,
      int revision,
      String hash,
      boolean enabled,
      Instant at,
      Instant removedAt) {
    public FlowRow(
        String namespace, String flowId, int revision, String hash, boolean enabled, Instant at) {
      this(namespace, flowId, revision, hash, enabled, at, null);
    }
  }

  /** One revision in a flow's history. */
  public record RevisionRow(
      String namespace,
      String flowId,
      int revision,
      String hash,
      String author,
      String origin,
      Instant createdAt) {}

  public List<FlowRow> flows() {
    return flows.flows();
  }

  public List<RevisionRow> history(String namespace, String flowId) {
    return flows.history(namespace, flowId);
  }

  /**
   * A new revision of a flow for {@link #addRevisions}: {@code revision} is the number it gets
   * ({@code 1} and {@code isNew} for a flow the store has no row for).
   */
  public record NewRevision(
      String namespace,
      String flowId,
      int revision,
      boolean isNew,
      boolean enabled,
      String hash,
      String author,
      String origin,
      Instant at) {}

  /**
   * Records many new revisions (the first scan of a directory of thousands of flows) in one
   * transaction per few hundred. The numbers come from the caller, who is the only writer; a
   * concurrent writer makes the transaction fail on the history's key rather than reuse a number.
   */
  public void addRevisions(List<NewRevision> revisions) {
    flows.addRevisions(revisions);
  }

  /** Marks a flow removed (its file is gone): the other nodes of a cluster forget it too. */
  public void markRemoved(String namespace, String flowId, Instant at) {
    flows.markRemoved(namespace, flowId, at);
  }

  /** A removed flow's file is back with the same text: it is no longer removed. */
  public void clearRemoved(String namespace, String flowId) {
    flows.clearRemoved(namespace, flowId);
  }

  public boolean setEnabled(String namespace, String flowId, boolean enabled, Instant at) {
    return flows.setEnabled(namespace, flowId, enabled, at);
  }

  /**
   * Records that a trigger fired for {@code key} (a schedule slot, a file path, an upstream run).
   * Returns false when it had fired for that key already: the caller must not start a run.
   */
  public boolean markFired(
      String namespace, String flowId, String triggerId, String key, Instant at) {
    return fires.markFired(namespace, flowId, triggerId, key, at);
  }

  /** A trigger's fire to record: {@code runId} null when no run could be made for it. */
  public record Fire(
      String namespace, String flowId, String triggerId, String key, Instant at, String runId) {}

  /** Where a schedule now stands ({@link #setMark}). */
  public record Mark(String namespace, String flowId, String triggerId, Instant mark) {}

  /**
   * Records fires and schedule marks on {@code c}, inside the caller's transaction (the one that
   * stores the runs they started). A fire recorded before fails it on the key.
   */
  public static void write(java.sql.Connection c, List<Fire> fires, List<Mark> marks)
      throws SQLException {
    JdbcTriggerFires.insert(c, fires);
    JdbcScheduleMarks.write(c, marks);
  }

  /** Notes which run a fire started (for the API and for tests). */
  public void setFiredRun(
      String namespace, String flowId, String triggerId, String key, String runId) {
    fires.setFiredRun(namespace, flowId, triggerId, key, runId);
  }

  public boolean hasFired(String namespace, String flowId, String triggerId, String key) {
    return fires.hasFired(namespace, flowId, triggerId, key);
  }

  /**
   * Takes back a {@link #markFired} whose run could not be created for a passing reason (the server
   * was stopping), so that the fire happens again later.
   */
  public void unmarkFired(String namespace, String flowId, String triggerId, String key) {
    fires.unmarkFired(namespace, flowId, triggerId, key);
  }

  /** The last slot a schedule considered, if any. */
  public Optional<Instant> mark(String namespace, String flowId, String triggerId) {
    return marks.mark(namespace, flowId, triggerId);
  }

  /** Every schedule mark, keyed {@code namespace/flow/trigger}: one query at start. */
  public java.util.Map<String, Instant> marks() {
    return marks.marks();
  }

  public void setMark(String namespace, String flowId, String triggerId, Instant mark) {
    marks.setMark(namespace, flowId, triggerId, mark);
  }

  public List<String> tokenHashes() {
    return jdbc.query("SELECT hash FROM weir_api_tokens", ps -> {}, rs -> rs.getString(1));
  }

  public void addToken(String hash, String name, Instant at) {
    jdbc.update(
        "INSERT INTO weir_api_tokens (hash, name, created_at) VALUES (?, ?, ?)",
        ps -> {
          ps.setString(1, hash);
          ps.setString(2, name);
          ps.setTimestamp(3, Timestamp.from(at));
        });
  }
}
