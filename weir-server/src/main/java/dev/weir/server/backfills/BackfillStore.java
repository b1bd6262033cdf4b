package dev.weir.server.backfills;

import dev.weir.server.flows.FlowKey;
import dev.weir.server.store.Jdbc;
import dev.weir.store.RunState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * {@code weir_backfills} and {@code weir_backfill_slots} (schema v4). A slot's run state is read
 * from {@code weir_runs}, so progress is always what the runs say. Plain SQL for H2 and PostgreSQL.
 */
final class BackfillStore {
  private static final String COLUMNS =
      "id, namespace, flow_id, trigger_id, from_date, to_date, parallel, state, slots, created_at,"
          + " ended_at, error";

  private final Jdbc jdbc;

  BackfillStore(DataSource ds) {
    this.jdbc = new Jdbc(ds);
  }

  /** Stores a new backfill with all its slots, in one transaction. */
  void insert(Backfill b, List<Instant> slots) {
    jdbc.inTransaction(c -> {
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_backfills ("
                  + COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                  + " ?, ?)")) {
        ps.setString(1, b.id());
        ps.setString(2, b.flow().namespace());
        ps.setString(3, b.flow().id());
        ps.setString(4, b.triggerId());
        ps.setTimestamp(5, ts(b.from()));
        ps.setTimestamp(6, ts(b.to()));
        ps.setInt(7, b.parallel());
        ps.setString(8, b.state().name());
        ps.setInt(9, b.slots());
        ps.setTimestamp(10, ts(b.createdAt()));
        ps.setTimestamp(11, ts(b.endedAt()));
        ps.setString(12, b.error());
        ps.executeUpdate();
      }
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_backfill_slots (backfill_id, slot_no, logical_date)"
                  + " VALUES (?, ?, ?)")) {
        for (int i = 0; i < slots.size(); i++) {
          ps.setString(1, b.id());
          ps.setInt(2, i);
          ps.setTimestamp(3, ts(slots.get(i)));
          ps.addBatch();
          if (i % 1000 == 999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  Optional<Backfill> find(String id) {
    return jdbc
        .query(
            "SELECT " + COLUMNS + " FROM weir_backfills WHERE id = ?",
            ps -> ps.setString(1, id),
            BackfillStore::backfill)
        .stream()
        .findFirst();
  }

  /** Newest first; {@code flow} and {@code state} filter when not null. */
  List<Backfill> list(FlowKey flow, BackfillState state, int limit) {
    var where = new ArrayList<String>();
    var args = new ArrayList<String>();
    if (flow != null) {
      where.add("namespace = ? AND flow_id = ?");
      args.add(flow.namespace());
      args.add(flow.id());
    }
    if (state != null) {
      where.add("state = ?");
      args.add(state.name());
    }
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM weir_backfills"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY created_at DESC, id DESC LIMIT "
            + Math.max(1, limit),
        ps -> {
          for (int i = 0; i < args.size(); i++) {
            ps.setString(i + 1, args.get(i));
          }
        },
        BackfillStore::backfill);
  }

  /** The backfills in one of these states (unbounded: few are ever active at once). */
  List<Backfill> inStates(Set<BackfillState> states) {
    String in = states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    return jdbc.query(
        "SELECT "
            + COLUMNS
            + " FROM weir_backfills WHERE state IN ("
            + in
            + ") ORDER BY created_at",
        ps -> {},
        BackfillStore::backfill);
  }

  /**
   * Moves a backfill to {@code to} if it is in one of {@code from} now; false when it was not (the
   * caller lost a race or asked for something its state does not allow).
   */
  boolean transition(
      String id, Set<BackfillState> from, BackfillState to, Instant endedAt, String error) {
    String in = from.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    return jdbc.update(
            "UPDATE weir_backfills SET state = ?, ended_at = ?, error = ? WHERE id = ? AND state IN ("
                + in
                + ")",
            ps -> {
              ps.setString(1, to.name());
              ps.setTimestamp(2, ts(endedAt));
              ps.setString(3, error);
              ps.setString(4, id);
            })
        == 1;
  }

  /** Every slot, in order, with its run's state. */
  List<Slot> slots(String backfillId) {
    return jdbc.query(
        "SELECT s.slot_no, s.logical_date, s.claimed_at, s.run_id, r.state, s.error"
            + " FROM weir_backfill_slots s LEFT JOIN weir_runs r ON r.id = s.run_id"
            + " WHERE s.backfill_id = ? ORDER BY s.slot_no",
        ps -> ps.setString(1, backfillId),
        rs ->
            new Slot(
                rs.getInt(1),
                Jdbc.time(rs, 2),
                Jdbc.time(rs, 3),
                rs.getString(4),
                rs.getString(5) == null ? null : RunState.valueOf(rs.getString(5)),
                rs.getString(6)));
  }

  /** How many slots are in each {@link Slot#status()}. */
  Map<String, Integer> counts(String backfillId) {
    var out = new LinkedHashMap<String, Integer>();
    jdbc.query(
            "SELECT st, COUNT(*) FROM (SELECT CASE WHEN s.error IS NOT NULL THEN 'ERROR'"
                + " WHEN s.run_id IS NULL THEN 'PENDING' ELSE COALESCE(r.state, 'UNKNOWN') END AS"
                + " st FROM weir_backfill_slots s LEFT JOIN weir_runs r ON r.id = s.run_id"
                + " WHERE s.backfill_id = ?) x GROUP BY st",
            ps -> ps.setString(1, backfillId),
            rs -> Map.entry(rs.getString(1), rs.getInt(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return Collections.unmodifiableMap(out);
  }

  /** Notes that the slot's run is being made (null: no longer). */
  void claim(String backfillId, int no, Instant at) {
    updateSlot("claimed_at", backfillId, no, ps -> ps.setTimestamp(1, ts(at)));
  }

  /**
   * Claims a slot nobody claimed and that has no run yet: false when it is claimed already (a
   * driver before a failover is making its run).
   */
  boolean tryClaim(String backfillId, int no, Instant at) {
    return jdbc.update(
            "UPDATE weir_backfill_slots SET claimed_at = ? WHERE backfill_id = ? AND slot_no = ?"
                + " AND claimed_at IS NULL AND run_id IS NULL",
            ps -> {
              ps.setTimestamp(1, ts(at));
              ps.setString(2, backfillId);
              ps.setInt(3, no);
            })
        == 1;
  }

  void setRun(String backfillId, int no, String runId) {
    updateSlot("run_id", backfillId, no, ps -> ps.setString(1, runId));
  }

  void setError(String backfillId, int no, String error) {
    String e = error != null && error.length() > 2000 ? error.substring(0, 1997) + "..." : error;
    updateSlot("error", backfillId, no, ps -> ps.setString(1, e));
  }

  /**
   * The run a backfill made for a slot, looked up in {@code weir_runs}: for a slot claimed before a
   * crash whose run id was never written.
   */
  Optional<String> findRun(Backfill b, Instant logicalDate) {
    return jdbc
        .query(
            "SELECT id FROM weir_runs WHERE namespace = ? AND flow_id = ? AND logical_date = ?"
                + " AND trigger_type = ? AND trigger_data LIKE ? ORDER BY created_at",
            ps -> {
              ps.setString(1, b.flow().namespace());
              ps.setString(2, b.flow().id());
              ps.setTimestamp(3, ts(logicalDate));
              ps.setString(4, Backfills.TRIGGER);
              ps.setString(5, "%\"backfill\":\"" + b.id() + "\"%");
            },
            rs -> rs.getString(1))
        .stream()
        .findFirst();
  }

  /** A run a flow already has for a logical date: what a backfill's preview compares with. */
  record EarlierRun(
      String id, Instant logicalDate, RunState state, String trigger, Instant createdAt) {}

  /** The flow's runs whose logical date is in {@code [from, to]}, oldest date first. */
  List<EarlierRun> runsAt(FlowKey flow, Instant from, Instant to, int limit) {
    return jdbc.query(
        "SELECT id, logical_date, state, trigger_type, created_at FROM weir_runs"
            + " WHERE namespace = ? AND flow_id = ? AND logical_date >= ? AND logical_date <= ?"
            + " ORDER BY logical_date, created_at, id LIMIT "
            + Math.max(1, limit),
        ps -> {
          ps.setString(1, flow.namespace());
          ps.setString(2, flow.id());
          ps.setTimestamp(3, ts(from));
          ps.setTimestamp(4, ts(to));
        },
        rs ->
            new EarlierRun(
                rs.getString(1),
                Jdbc.time(rs, 2),
                RunState.valueOf(rs.getString(3)),
                rs.getString(4),
                Jdbc.time(rs, 5)));
  }

  static final Set<BackfillState> ACTIVE = EnumSet.of(BackfillState.RUNNING, BackfillState.PAUSED);

  // --- plumbing

  private void updateSlot(String column, String backfillId, int no, Jdbc.Binder value) {
    jdbc.update(
        "UPDATE weir_backfill_slots SET " + column + " = ? WHERE backfill_id = ? AND slot_no = ?",
        ps -> {
          value.bind(ps);
          ps.setString(2, backfillId);
          ps.setInt(3, no);
        });
  }

  private static Backfill backfill(ResultSet rs) throws SQLException {
    return new Backfill(
        rs.getString(1),
        new FlowKey(rs.getString(2), rs.getString(3)),
        rs.getString(4),
        Jdbc.time(rs, 5),
        Jdbc.time(rs, 6),
        rs.getInt(7),
        BackfillState.valueOf(rs.getString(8)),
        rs.getInt(9),
        Jdbc.time(rs, 10),
        Jdbc.time(rs, 11),
        rs.getString(12));
  }

  private static Timestamp ts(Instant t) {
    return t == null ? null : Timestamp.from(t);
  }
}
