package dev.weir.tasks.file;

import static dev.weir.tasks.duck.Sql.path;

import dev.weir.tasks.duck.DuckSession;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Rows a read could not load, gathered in one table so every format reports them alike. */
final class Rejects {
  static final String TABLE = "weir_rejects";

  private Rejects() {}

  static void create(DuckSession duck) throws SQLException {
    duck.exec(
        "CREATE TEMP TABLE "
            + TABLE
            + " (line BIGINT, \"column\" VARCHAR, reason VARCHAR, raw VARCHAR)");
  }

  /** Rejected rows, not problems: one row may break several columns. */
  static long rows(DuckSession duck) throws SQLException {
    return duck.queryLong("SELECT count(DISTINCT line) FROM " + TABLE);
  }

  /** The first {@code n} problems as {@code line 3, column amount: reason}. */
  static List<String> first(DuckSession duck, int n) throws SQLException {
    List<Map<String, Object>> rows =
        duck.rows(
            "SELECT line, \"column\", reason FROM " + TABLE + " ORDER BY line, \"column\"", n);
    return rows.stream()
        .map(r ->
            "line "
                + r.get("line")
                + (r.get("column") == null ? "" : ", column " + r.get("column"))
                + ": "
                + r.get("reason"))
        .toList();
  }

  /**
   * Sets every rejected row aside: its line and the row as it is in the file, with each problem of
   * it in the reason ({@code line 3, column amount: …; column day: …}).
   */
  static void setAside(DuckSession duck, dev.weir.deadletter.DeadLetters letters)
      throws SQLException {
    List<Map<String, Object>> rows =
        duck.rows(
            "SELECT line, first(raw ORDER BY \"column\") AS raw, string_agg(CASE WHEN \"column\""
                + " IS NULL THEN '' ELSE 'column ' || \"column\" || ': ' END || reason, '; '"
                + " ORDER BY \"column\") AS reasons FROM "
                + TABLE
                + " GROUP BY line ORDER BY line",
            Integer.MAX_VALUE);
    for (Map<String, Object> r : rows) {
      var record = new java.util.LinkedHashMap<String, Object>();
      record.put("line", r.get("line"));
      record.put("raw", r.get("raw"));
      letters.reject(record, "line " + r.get("line") + ", " + r.get("reasons"));
    }
  }

  static void write(DuckSession duck, Path csv) throws SQLException {
    duck.exec(
        "COPY (SELECT line, \"column\", reason, raw FROM "
            + TABLE
            + " ORDER BY line, \"column\") TO "
            + path(csv)
            + " (FORMAT csv, HEADER true)");
  }
}
