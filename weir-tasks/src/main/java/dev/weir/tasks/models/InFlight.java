package dev.weir.tasks.models;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements a run has in flight, on any of its connections, so that a cancel can stop them
 * ({@link Statement#cancel()}: DuckDB interrupts the query, PostgreSQL sends a cancel request).
 * Once cancelled, creating a statement fails, so no new SQL starts. Thread-safe.
 */
final class InFlight {
  /** The message of a node stopped, or never started, because the run was cancelled. */
  static final String CANCELLED = "cancelled";

  private final Set<Statement> running = ConcurrentHashMap.newKeySet();
  private volatile boolean cancelled;

  /** Registers {@code st}; fails (closing it) if the run is cancelled. */
  <S extends Statement> S track(S st) throws SQLException {
    running.add(st); // before the check: a cancel from now on sees it
    if (cancelled) {
      done(st);
      throw new SQLException(CANCELLED);
    }
    return st;
  }

  /** Unregisters and closes {@code st}. */
  void done(Statement st) throws SQLException {
    forget(st);
    st.close();
  }

  /** Unregisters {@code st}, which its caller closes. */
  void forget(Statement st) {
    running.remove(st);
  }

  boolean cancelled() {
    return cancelled;
  }

  /** Stops starting statements and cancels the running ones. */
  void cancel() {
    cancelled = true;
    cancelRunning();
  }

  /**
   * Cancels the statements in flight. A statement registered but not yet executing ignores a
   * cancel, so a cancelled run calls this again until its nodes have stopped.
   */
  void cancelRunning() {
    for (Statement st : running) {
      try {
        st.cancel();
      } catch (SQLException | RuntimeException e) {
        // closed meanwhile, or the driver cannot cancel: the statement ends by itself
      }
    }
  }
}
