package dev.weir.tasks.models;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs SQL on one connection again when it lost to another connection's concurrent change (a DuckDB
 * transaction conflict, a PostgreSQL deadlock or serialization failure): the loser was rolled back,
 * so it is run again after a short pause, up to {@value #ATTEMPTS} times. Inside a transaction a
 * statement is not retried on its own: the whole transaction is. One thread at a time.
 */
final class ConflictRetry {
  static final int ATTEMPTS = 5;

  @FunctionalInterface
  interface SqlAction {
    void run() throws SQLException;
  }

  /** Hears each conflict that is about to be retried: the attempt that lost, from 1. */
  @FunctionalInterface
  interface Listener {
    void conflicted(int attempt, SQLException e) throws SQLException;
  }

  private final Connection c;
  private final InFlight inFlight;
  private Listener listener = (attempt, e) -> {};
  private int nesting; // run() calls in progress: only the outermost one retries

  ConflictRetry(Connection c, InFlight inFlight) {
    this.c = c;
    this.inFlight = inFlight;
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  /**
   * Runs {@code action}, again if it lost a conflict. After a cancel, only a {@code cleanup} is
   * tried again (it runs after the cancel on purpose).
   */
  void run(SqlAction action, boolean cleanup) throws SQLException {
    if (nesting > 0 || !c.getAutoCommit()) {
      action.run();
      return;
    }
    nesting++;
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          action.run();
          return;
        } catch (SQLException e) {
          if (attempt >= ATTEMPTS || !conflict(e) || (inFlight.cancelled() && !cleanup)) {
            throw e;
          }
          listener.conflicted(attempt, e);
          pause(attempt);
        }
      }
    } finally {
      nesting--;
    }
  }

  /** Whether {@code e} is a conflict with another connection's concurrent change, worth a retry. */
  static boolean conflict(SQLException e) {
    String state = e.getSQLState();
    String msg = String.valueOf(e.getMessage());
    return "40P01".equals(state)
        || "40001".equals(state)
        || msg.contains("write-write conflict")
        || msg.contains("Transaction conflict")
        || msg.contains("TransactionContext Error: Catalog write-write");
  }

  private static void pause(int attempt) throws SQLException {
    try {
      Thread.sleep(25L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException(InFlight.CANCELLED, e);
    }
  }
}
