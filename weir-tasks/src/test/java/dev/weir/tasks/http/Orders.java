package dev.weir.tasks.http;

import dev.weir.task.Dataset;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Test data: orders 1..n as JSON, and a way to read a staged dataset back. */
final class Orders {
  private Orders() {}

  /** Orders {@code from}..{@code to} (inclusive, 1-based), as a JSON array. */
  static String json(int from, int to) {
    return "["
        + String.join(
            ",",
            IntStream.rangeClosed(from, to)
                .mapToObj(i -> "{\"id\": " + i + ", \"status\": \"open\"}")
                .toList())
        + "]";
  }

  /** Page {@code page} (1-based) of {@code size} of {@code total} orders. */
  static String page(int page, int size, int total) {
    int from = (page - 1) * size + 1;
    return from > total ? "[]" : json(from, Math.min(total, page * size));
  }

  /** {@code select} over the dataset as table {@code t}, each row as "a|b|c". */
  static List<String> rows(Dataset dataset, String select) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    select.replace(
                        "FROM t", "FROM read_parquet('" + path(dataset.path()) + "') t"))) {
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

  static List<Long> ids(Dataset dataset) throws Exception {
    return rows(dataset, "SELECT id FROM t ORDER BY id").stream().map(Long::valueOf).toList();
  }

  private static String path(Path p) {
    return p.toAbsolutePath().toString().replace("'", "''");
  }
}
