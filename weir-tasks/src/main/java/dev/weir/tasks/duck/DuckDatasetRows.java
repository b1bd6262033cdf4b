package dev.weir.tasks.duck;

import dev.weir.task.Dataset;
import dev.weir.task.DatasetRows;
import dev.weir.task.TaskFailedException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a staged dataset's rows with an in-memory DuckDB, for a forEach over {@code rows:}.
 * Numbers, text and booleans stay as they are; dates, times and other values become their text.
 */
public final class DuckDatasetRows implements DatasetRows {
  @Override
  public List<Map<String, Object>> read(Dataset dataset, int max) {
    String sql = "SELECT * FROM " + Sql.readParquet(dataset.path()) + " LIMIT " + max;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      var out = new ArrayList<Map<String, Object>>();
      while (rs.next()) {
        var row = new LinkedHashMap<String, Object>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), value(rs.getObject(i)));
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw TaskFailedException.permanent(
          "rows: cannot read the dataset of task '" + dataset.taskId() + "': " + Sql.message(e));
    }
  }

  private static Object value(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof java.math.BigDecimal d) {
      return d;
    }
    if (v instanceof Number n) {
      return n instanceof Long || n instanceof Integer || n instanceof Double ? n : n.toString();
    }
    return v.toString();
  }
}
