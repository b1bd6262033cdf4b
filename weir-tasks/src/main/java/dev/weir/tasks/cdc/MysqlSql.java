package dev.weir.tasks.cdc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers for the queries a MySQL source asks of its server. */
final class MysqlSql {
  private MysqlSql() {}

  static String one(Connection c, String sql, String... params) throws SQLException {
    List<String> all = list(c, sql, params);
    return all.isEmpty() ? null : all.getFirst();
  }

  static List<String> list(Connection c, String sql, String... params) throws SQLException {
    var out = new ArrayList<String>();
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** The rows of a statement that returns several columns, each as an array of text. */
  static List<String[]> rows(Connection c, String sql) throws SQLException {
    var out = new ArrayList<String[]>();
    try (var st = c.createStatement();
        var rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var row = new String[n];
        for (int i = 0; i < n; i++) {
          row[i] = rs.getString(i + 1);
        }
        out.add(row);
      }
    }
    return out;
  }
}
