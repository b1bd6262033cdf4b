package dev.weir.tasks.models;

import dev.weir.WeirException;
import dev.weir.flow.Location;

/**
 * A problem in a dbt project: its message starts with the file and line ({@code
 * models/marts/orders.sql:12: ref('stg_order'): no such model; did you mean stg_orders?}).
 */
public final class ModelsException extends WeirException {
  private final Location location;

  public ModelsException(Location location, String message) {
    super(where(location) + ": " + message);
    this.location = location;
  }

  public ModelsException(String file, int line, String message) {
    this(new Location(file, line, 0), message);
  }

  /** {@code file:line:col}, or {@code file:line} when the column is unknown (Jinja knows lines). */
  private static String where(Location l) {
    return l.line() > 0 && l.column() <= 0 ? l.file() + ":" + l.line() : l.toString();
  }

  /** Where the problem is: file (relative to the project), line and column (0: unknown). */
  public Location location() {
    return location;
  }
}
