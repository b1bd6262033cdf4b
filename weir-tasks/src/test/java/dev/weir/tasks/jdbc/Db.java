package dev.weir.tasks.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC for tests: run statements and read rows as "a|b|c" strings. */
record Db(String url) {
  void exec(String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  List<String> rows(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      var rows = new ArrayList<String>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        var cells = new ArrayList<String>();
        for (int i = 1; i <= n; i++) {
          cells.add(String.valueOf(rs.getObject(i)));
        }
        rows.add(String.join("|", cells));
      }
      return rows;
    }
  }

  String one(String sql) throws SQLException {
    return rows(sql).getFirst();
  }
}
