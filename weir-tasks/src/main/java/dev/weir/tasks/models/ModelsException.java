package dev.weir.tasks.models;

import dev.weir.WeirException;
import dev.weir.flow.Location;
import java.util.List;

/**
 * A problem in a dbt project: its message starts with the file and line ({@code
 * models/marts/orders.sql:12: ref('stg_order'): no such model; did you mean stg_orders?}).
 *
 * <p>A model that failed to compile carries what its {@code {{ log() }}} calls said before the
 * failure ({@link #logged}), for its step log, as dbt prints them before the error.
 */
public final class ModelsException extends WeirException {
  private final Location location;
  private final List<CompiledModel.LogCall> logged;

  public ModelsException(Location location, String message) {
    super(where(location) + ": " + message);
    this.location = location;
    this.logged = List.of();
  }

  public ModelsException(String file, int line, String message) {
    this(new Location(file, line, 0), message);
  }

  private ModelsException(ModelsException e, List<CompiledModel.LogCall> logged) {
    super(e.getMessage(), e.getCause());
    this.location = e.location;
    this.logged = List.copyOf(logged);
    setStackTrace(e.getStackTrace());
    for (Throwable s : e.getSuppressed()) {
      addSuppressed(s);
    }
  }

  /** {@code file:line:col}, or {@code file:line} when the column is unknown (Jinja knows lines). */
  private static String where(Location l) {
    return l.line() > 0 && l.column() <= 0 ? l.file() + ":" + l.line() : l.toString();
  }

  /** Where the problem is: file (relative to the project), line and column (0: unknown). */
  public Location location() {
    return location;
  }

  /**
   * What the failing model's {@code log()} calls said, in order, before it failed (empty if none
   * did, or the problem is not a model's).
   */
  public List<CompiledModel.LogCall> logged() {
    return logged;
  }

  /** This problem with {@code calls} as what was logged before it. */
  ModelsException withLogged(List<CompiledModel.LogCall> calls) {
    return calls.equals(logged) ? this : new ModelsException(this, calls);
  }
}
