package dev.weir.tasks.duck;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;

/** Quoting for the SQL the tasks build; every name and path from a flow goes through here. */
public final class Sql {
  private Sql() {}

  /** {@code order-lines} → {@code "order-lines"}; task ids may hold '-' and clash with keywords. */
  public static String id(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** {@code analytics.orders} → {@code "analytics"."orders"}. */
  public static String qualified(String name) {
    var parts = new ArrayList<String>();
    for (String p : name.split("\\.", -1)) {
      parts.add(id(p));
    }
    return String.join(".", parts);
  }

  /** A SQL string literal. */
  public static String str(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** A path as a SQL string literal; absolute so the SQL does not depend on the JVM's cwd. */
  public static String path(Path file) {
    return str(file.toAbsolutePath().toString());
  }

  public static String readParquet(Path file) {
    return "read_parquet(" + path(file) + ")";
  }

  /** DuckDB's own message, which already names the bad column or token and where it is. */
  public static String message(SQLException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage().strip();
  }
}
