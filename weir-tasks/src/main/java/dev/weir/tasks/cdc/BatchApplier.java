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

  /**
   * The statements of full-size chunks, by SQL, kept for the next chunks and batches: DuckDB spends
   * as long preparing a 1,000-row upsert as running it (CdcBench's profile). Closed with the
   * connection.
   */
  private final Map<String, PreparedStatement> kept = new java.util.HashMap<>();

  private static final int MAX_KEPT = 64;

  BatchApplier(Connection conn, TargetSql sql, TargetTables tables, boolean soft) {
    this.conn = conn;
    this.sql = sql;
    this.tables = tables;
    this.soft = soft;
  }

  /** Last change per key, per table, in order of first appearance. */
  static Map<String, LinkedHashMap<List<Object>, Change>> collapse(List<Change> changes) {
    var out = new LinkedHashMap<String, LinkedHashMap<List<Object>, Change>>();
    for (Change c : changes) {
      var byKey = out.computeIfAbsent(c.table(), t -> new LinkedHashMap<>());
      byKey.put(c.key(), c);
    }
    return out;
  }

  /** Writes the batch and commits; returns the number of rows written (after collapsing). */
  int apply(List<Change> changes, OffsetDateTime now) throws SQLException {
    var byTable = collapse(changes);
    // DDL first, outside the batch's transaction
    conn.setAutoCommit(true);
    var present = new LinkedHashMap<String, Boolean>();
    for (var e : byTable.entrySet()) {
      for (Change c : e.getValue().values()) {
        if (!c.op().isDelete()) {
          tables.prepare(conn, c.shape(), c.keyColumns());
        }
      }
      present.put(e.getKey(), tables.exists(conn, e.getKey()));
    }
    conn.setAutoCommit(false);
    int written = 0;
    try {
      for (var e : byTable.entrySet()) {
        if (!present.get(e.getKey())) {
          continue; // only deletes of a table the target never had: nothing to do
        }
        written += write(e.getKey(), e.getValue().values(), now);
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
    return written;
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
              ps.setObject(i++, v);
            }
          }
          ps.executeUpdate();
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
          ps.executeUpdate();
        } finally {
          if (!full) {
            ps.close();
          }
        }
      }
    }
    return changes.size();
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
