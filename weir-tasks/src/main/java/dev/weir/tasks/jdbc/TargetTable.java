package dev.weir.tasks.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A load's target table as the database describes it: whether it exists, its columns, its keys. */
public final class TargetTable {
  final String name;
  final String schema;
  final String table;
  final Dialect dialect;

  public TargetTable(String name, Dialect dialect) {
    this.name = name;
    this.dialect = dialect;
    String[] parts = name.split("\\.");
    this.table = parts[parts.length - 1];
    this.schema = parts.length > 1 ? parts[parts.length - 2] : null;
  }

  public String sql() {
    return dialect.qualified(name);
  }

  /** Column name → type name, in table order; empty when there is no such table. */
  public Map<String, String> columns(Connection conn) throws SQLException {
    DatabaseMetaData md = conn.getMetaData();
    var found = new LinkedHashMap<String, String>();
    for (String t : candidates(table)) {
      for (String s :
          schema == null ? java.util.Collections.<String>singletonList(null) : candidates(schema)) {
        try (ResultSet rs =
            dialect == Dialect.MYSQL
                ? md.getColumns(s == null ? conn.getCatalog() : s, null, t, null)
                : md.getColumns(null, s == null ? currentSchema(conn) : s, t, null)) {
          while (rs.next()) {
            found.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
          }
        }
        if (!found.isEmpty()) {
          return found;
        }
      }
    }
    return found;
  }

  /** Whether a primary key or unique index covers exactly {@code key} (any order, any case). */
  public boolean hasUniqueKey(Connection conn, List<String> key) throws SQLException {
    Set<String> wanted = lower(key);
    DatabaseMetaData md = conn.getMetaData();
    for (String t : candidates(table)) {
      String cat = dialect == Dialect.MYSQL ? (schema == null ? conn.getCatalog() : schema) : null;
      String sch =
          dialect == Dialect.MYSQL ? null : (schema == null ? currentSchema(conn) : schema);
      var byIndex = new LinkedHashMap<String, Set<String>>();
      try (ResultSet rs = md.getIndexInfo(cat, sch, t, true, false)) {
        while (rs.next()) {
          String index = rs.getString("INDEX_NAME");
          String col = rs.getString("COLUMN_NAME");
          if (index != null && col != null) {
            byIndex.computeIfAbsent(index, k -> new TreeSet<>()).add(col.toLowerCase(Locale.ROOT));
          }
        }
      }
      if (byIndex.values().stream().anyMatch(wanted::equals)) {
        return true;
      }
    }
    return false;
  }

  private String currentSchema(Connection conn) throws SQLException {
    try {
      return conn.getSchema();
    } catch (SQLException | AbstractMethodError e) {
      return null;
    }
  }

  private List<String> candidates(String n) {
    var out = new ArrayList<String>();
    out.add(n);
    if (!n.equals(n.toLowerCase(Locale.ROOT))) {
      out.add(n.toLowerCase(Locale.ROOT));
    }
    if (!n.equals(n.toUpperCase(Locale.ROOT))) {
      out.add(n.toUpperCase(Locale.ROOT));
    }
    return out;
  }

  static Set<String> lower(List<String> names) {
    var s = new TreeSet<String>();
    names.forEach(n -> s.add(n.toLowerCase(Locale.ROOT)));
    return s;
  }
}
