package dev.weir.tasks.jdbc;

import java.sql.SQLException;

/**
 * Which load failures a bad row causes (a constraint or a value the column cannot take), as opposed
 * to the database being down or the SQL being wrong: only those make a row-by-row search worth it.
 */
public final class RowErrors {
  private RowErrors() {}

  public static boolean isRowError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException()) {
          if (rowState(n.getSQLState()) || duckRowError(n.getMessage())) {
            return true;
          }
          if (n.getNextException() == n) {
            break;
          }
        }
      }
    }
    return false;
  }

  // SQLSTATE class 22 is a data exception (a value too long, out of range, not a date), 23 an
  // integrity constraint violation (not null, unique, foreign key, check), on every database
  private static boolean rowState(String state) {
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  // DuckDB's JDBC driver gives no SQLSTATE; its messages start with the error class
  private static boolean duckRowError(String message) {
    if (message == null) {
      return false;
    }
    String m = message.strip();
    return m.startsWith("Constraint Error")
        || m.startsWith("Conversion Error")
        || m.startsWith("Out of Range Error")
        || m.startsWith("Invalid Input Error");
  }

  /** A database's message about one row, on one line. */
  public static String oneLine(SQLException e) {
    String m = dev.weir.tasks.duck.Sql.message(e);
    return m == null ? e.toString() : m.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
