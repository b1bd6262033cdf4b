package dev.weir.tasks.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one batch of changes to the target in one transaction. Per table the batch is first
 * collapsed to the last change of each primary key, so a key is either deleted or upserted once (a
 * primary-key update arrives as a delete of the old key and an insert of the new one: two keys).
 * Deletes go first, then upserts grouped by column set, each as multi-row statements.
 */
final class BatchApplier {
  private final Connection conn;
  private final TargetSql sql;
  private final TargetTables tables;
  private final boolean soft;

  /** The statement running now, for {@link #abort} where the driver cannot abort a connection. */
  private volatile PreparedStatement running;

  /**
   * The statements of full-size chunks, by SQL, kept for the next chunks and batches: DuckDB spends
   * as long preparing a 1,000-row upsert as running it (CdcBench's profile). Closed with the
   * connection.
   */
  private final Map<String, PreparedStatement> kept = new java.util.HashMap<>();

  private static final int MAX_KEPT = 64;

  /** DuckDB's upserts through its Appender; null for other targets. */
  private final DuckUpserts duck;

  BatchApplier(Connection conn, TargetSql sql, TargetTables tables, boolean soft) {
    this.conn = conn;
    this.sql = sql;
    this.tables = tables;
    this.soft = soft;
    this.duck = sql instanceof TargetSql.DuckDb ? new DuckUpserts(conn, sql) : null;
  }

  /** Last change per key, per table, in order of first appearance (truncates left out). */
  static Map<String, LinkedHashMap<List<Object>, Change>> collapse(List<Change> changes) {
    var out = new LinkedHashMap<String, LinkedHashMap<List<Object>, Change>>();
    for (Change c : changes) {
      if (c.op() == Change.Op.TRUNCATE) {
        continue;
      }
      var byKey = out.computeIfAbsent(c.table(), t -> new LinkedHashMap<>());
      byKey.put(c.key(), c);
    }
    return out;
  }

  /**
   * The changes a batch writes, in an order that writes the same: between truncates, the last
   * change per key; each truncate where it was.
   */
  static List<Change> units(List<Change> changes) {
    var out = new ArrayList<Change>();
    var segment = new ArrayList<Change>();
    for (Change c : changes) {
      if (c.op() == Change.Op.TRUNCATE) {
        collapse(segment).values().forEach(byKey -> out.addAll(byKey.values()));
        segment.clear();
        out.add(c);
      } else {
        segment.add(c);
      }
    }
    collapse(segment).values().forEach(byKey -> out.addAll(byKey.values()));
    return out;
  }

  /**
   * Empties the target tables of {@code sourceTables} that exist (marks their rows deleted with
   * soft deletes), as a source truncate does, in one transaction of its own.
   *
   * @return the target tables emptied
   */
  List<String> empty(List<String> sourceTables, OffsetDateTime now) throws SQLException {
    conn.setAutoCommit(true);
    var present = new ArrayList<String>();
    for (String table : sourceTables) {
      if (tables.exists(conn, table)) {
        present.add(table);
      }
    }
    conn.setAutoCommit(false);
    try {
      for (String table : present) {
        truncate(table, now);
      }
      conn.commit();
    } catch (SQLException | RuntimeException ex) {
      try {
        conn.rollback();
      } catch (SQLException r) {
        ex.addSuppressed(r);
      }
      throw ex;
    } finally {
      conn.setAutoCommit(true);
    }
    return present.stream().map(tables::name).toList();
  }

  /** Writes the batch and commits; returns the number of rows written (after collapsing). */
  int apply(List<Change> changes, OffsetDateTime now) throws SQLException {
    return write(changes, now, true);
  }

  /**
   * Writes the batch and rolls it back: what {@link #apply} would refuse, without changing the
   * target.
   *
   * @return the error applying it would give, or null when it would go through
   */
  SQLException trial(List<Change> changes, OffsetDateTime now) {
    try {
      write(changes, now, false);
      return null;
    } catch (SQLException e) {
      return e;
    }
  }

  private int write(List<Change> changes, OffsetDateTime now, boolean commit) throws SQLException {
    // DDL first, outside the batch's transaction
    conn.setAutoCommit(true);
    var shapes =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<RowShape, Boolean>());
    var present = new java.util.HashMap<String, Boolean>();
    for (Change c : changes) {
      if (c.op().hasRow() && shapes.add(c.shape())) {
        tables.prepare(conn, c.shape(), c.keyColumns());
        if (duck != null) {
          duck.prepare(c.shape());
        }
      }
    }
    for (Change c : changes) {
      if (!present.containsKey(c.table())) {
        present.put(c.table(), tables.exists(conn, c.table()));
      }
    }
    conn.setAutoCommit(false);
    int written = 0;
    try {
      // a truncate divides the batch: what came before it is written before it
      var segment = new ArrayList<Change>();
      for (Change c : changes) {
        if (c.op() != Change.Op.TRUNCATE) {
          segment.add(c);
          continue;
        }
        written += writeCollapsed(segment, present, now);
        segment.clear();
        if (present.get(c.table())) {
          truncate(c.table(), now);
          written++;
        }
      }
      written += writeCollapsed(segment, present, now);
      if (commit) {
        conn.commit();
      } else {
        conn.rollback();
      }
    } catch (SQLException | RuntimeException ex) {
      try {
        conn.rollback();
      } catch (SQLException r) {
        ex.addSuppressed(r);
      }
      throw ex;
    } finally {
      conn.setAutoCommit(true);
    }
    return written;
  }

  private int writeCollapsed(List<Change> changes, Map<String, Boolean> present, OffsetDateTime now)
      throws SQLException {
    int written = 0;
    for (var e : collapse(changes).entrySet()) {
      if (!present.get(e.getKey())) {
        continue; // only deletes of a table the target never had: nothing to do
      }
      written += write(e.getKey(), e.getValue().values(), now);
    }
    return written;
  }

  // a DELETE, not TRUNCATE: it stays in the batch's transaction (MariaDB commits on TRUNCATE)
  private void truncate(String table, OffsetDateTime now) throws SQLException {
    String target = tables.sqlName(table);
    try (PreparedStatement ps =
        conn.prepareStatement(soft ? sql.softDeleteAll(target) : sql.deleteAll(target))) {
      if (soft) {
        ps.setObject(1, now);
      }
      execute(ps);
    }
  }

  private int write(String table, java.util.Collection<Change> changes, OffsetDateTime now)
      throws SQLException {
    String target = tables.sqlName(table);
    var deletes = new ArrayList<Change>();
    var upserts = new LinkedHashMap<List<String>, List<Change>>();
    for (Change c : changes) {
      if (c.op().isDelete()) {
        deletes.add(c);
      } else {
        upserts.computeIfAbsent(c.shape().names(), n -> new ArrayList<>()).add(c);
      }
    }
    if (!deletes.isEmpty()) {
      List<String> key = deletes.getFirst().keyColumns();
      int per = TargetSql.rowsPerStatement(key.size() + 1);
      for (int from = 0; from < deletes.size(); from += per) {
        var chunk = deletes.subList(from, Math.min(deletes.size(), from + per));
        String stmt =
            soft
                ? sql.softDelete(target, key, chunk.size())
                : sql.delete(target, key, chunk.size());
        boolean full = chunk.size() == per;
        PreparedStatement ps = statement(stmt, full);
        try {
          int i = 1;
          if (soft) {
            ps.setObject(i++, now);
          }
          for (Change c : chunk) {
            for (Object v : c.key()) {
              ps.setObject(i++, KeyBytes.unwrap(v));
            }
          }
          execute(ps);
        } finally {
          if (!full) {
            ps.close();
          }
        }
      }
    }
    for (var group : upserts.entrySet()) {
      List<String> columns = group.getKey();
      List<Change> rows = group.getValue();
      List<String> key = rows.getFirst().keyColumns();
      RowShape shape = rows.getFirst().shape();
      if (duck != null && DuckUpserts.appendable(shape, rows)) {
        duck.upsert(target, shape, key, rows, soft);
        continue;
      }
      int per = TargetSql.rowsPerStatement(columns.size());
      for (int from = 0; from < rows.size(); from += per) {
        var chunk = rows.subList(from, Math.min(rows.size(), from + per));
        boolean full = chunk.size() == per;
        PreparedStatement ps =
            statement(sql.upsert(target, columns, key, chunk.size(), soft), full);
        try {
          int i = 1;
          for (Change c : chunk) {
            for (Object v : c.values()) {
              ps.setObject(i++, v);
            }
          }
          execute(ps);
        } finally {
          if (!full) {
            ps.close();
          }
        }
      }
    }
    return changes.size();
  }

  private void execute(PreparedStatement ps) throws SQLException {
    running = ps;
    try {
      ps.executeUpdate();
    } finally {
      running = null;
    }
  }

  /**
   * Ends a write in flight at once, from another thread (a cancel while the target hangs on a lock
   * or a slow statement): the connection is aborted, or the running statement cancelled where the
   * driver cannot abort; the batch fails and rolls back, and is read again by the next run.
   */
  void abort() {
    try {
      conn.abort(Runnable::run);
      return;
    } catch (SQLException | RuntimeException e) {
      // DuckDB's driver has no abort: cancel the statement
    }
    PreparedStatement ps = running;
    if (ps != null) {
      try {
        ps.cancel();
      } catch (SQLException | RuntimeException e) {
        // ended already
      }
    }
  }

  /** A kept statement for a full chunk ({@code keep}), else a new one the caller closes. */
  private PreparedStatement statement(String text, boolean keep) throws SQLException {
    if (!keep) {
      return conn.prepareStatement(text);
    }
    PreparedStatement ps = kept.get(text);
    if (ps == null) {
      if (kept.size() >= MAX_KEPT) {
        for (PreparedStatement old : kept.values()) {
          old.close();
        }
        kept.clear();
      }
      ps = conn.prepareStatement(text);
      kept.put(text, ps);
    }
    return ps;
  }
}
