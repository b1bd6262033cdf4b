package dev.weir.server.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fire rows of queue triggers ({@code weir_trigger_fires}), which come by the message: looked
 * up a polled batch at a time, and forgotten once older than a retention, where schedule slots,
 * file paths and upstream runs are kept for good.
 */
public final class QueueFires {
  /** Keys per {@code IN (…)}: well under every database's limit on parameters. */
  static final int CHUNK = 500;

  private final Jdbc jdbc;
  private final ServerStore store;

  QueueFires(Jdbc jdbc, ServerStore store) {
    this.jdbc = jdbc;
    this.store = store;
  }

  /** Which of {@code keys} the trigger fired for already: one query per {@value #CHUNK} keys. */
  public Set<String> firedAmong(
      String namespace, String flowId, String triggerId, Collection<String> keys) {
    return among(namespace, flowId, triggerId, keys, "");
  }

  /** Which of {@code keys} started a run (a fire without one was set aside or refused). */
  public Set<String> startedAmong(
      String namespace, String flowId, String triggerId, Collection<String> keys) {
    return among(namespace, flowId, triggerId, keys, " AND run_id IS NOT NULL");
  }

  private Set<String> among(
      String namespace, String flowId, String triggerId, Collection<String> keys, String and) {
    var out = new HashSet<String>();
    List<String> all = List.copyOf(new java.util.LinkedHashSet<>(keys));
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      String in = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
      out.addAll(
          jdbc.query(
              "SELECT fire_key FROM weir_trigger_fires WHERE namespace = ? AND flow_id = ?"
                  + " AND trigger_id = ? AND fire_key IN ("
                  + in
                  + ")"
                  + and,
              ps -> {
                ps.setString(1, namespace);
                ps.setString(2, flowId);
                ps.setString(3, triggerId);
                for (int i = 0; i < chunk.size(); i++) {
                  ps.setString(4 + i, chunk.get(i));
                }
              },
              rs -> rs.getString(1)));
    }
    return out;
  }

  /**
   * Records fires without a run (messages kept as dead letters or acknowledged with a warning), so
   * that a redelivery of them is skipped; keys recorded before are left as they are.
   */
  public void markAll(
      String namespace, String flowId, String triggerId, Collection<String> keys, Instant at) {
    var fresh = new ArrayList<>(keys);
    fresh.removeAll(firedAmong(namespace, flowId, triggerId, keys));
    for (String key : fresh) {
      store.markFired(namespace, flowId, triggerId, key, at); // false: recorded meanwhile
    }
  }

  /** Records that {@code key} started {@code runId} (a replayed dead letter), fired or not. */
  public void recordRun(
      String namespace, String flowId, String triggerId, String key, String runId, Instant at) {
    store.markFired(namespace, flowId, triggerId, key, at);
    store.setFiredRun(namespace, flowId, triggerId, key, runId);
  }

  /** Deletes the trigger's fires recorded before {@code before}; returns how many. */
  public int forgetBefore(String namespace, String flowId, String triggerId, Instant before) {
    return jdbc.update(
        "DELETE FROM weir_trigger_fires WHERE namespace = ? AND flow_id = ? AND trigger_id = ?"
            + " AND fired_at < ?",
        ps -> {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
          ps.setString(3, triggerId);
          ps.setTimestamp(4, Timestamp.from(before));
        });
  }
}
