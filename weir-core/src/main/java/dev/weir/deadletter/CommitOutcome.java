package dev.weir.deadletter;

import dev.weir.util.SqlFailures;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Whether a target's commit that threw surely did not commit. Only then may its letters be
 * withdrawn: a commit whose reply was lost (the connection broke during {@code COMMIT}) may have
 * committed on the server, and a retry that finds its append done keeps the letters it finds, so
 * withdrawing them would leave the bad rows nowhere.
 */
public final class CommitOutcome {
  private CommitOutcome() {}

  /**
   * Whether the database answered that the transaction did not commit: a constraint checked at the
   * commit (SQLSTATE class 23, a deferred key), a value it could not take (22), a serialization
   * failure or deadlock (40), or DuckDB's constraint and transaction-conflict errors (it gives no
   * SQLSTATE). A lost connection, or anything else, is not: its outcome is unknown.
   */
  public static boolean clearlyFailed(Throwable failure) {
    if (failure == null || SqlFailures.connectionLost(failure)) {
      return false;
    }
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        int depth = 0;
        for (SQLException n = s; n != null && depth < 20; n = n.getNextException(), depth++) {
          if (refused(n)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean refused(SQLException e) {
    String state = e.getSQLState();
    if (state != null && state.length() >= 2) {
      String c = state.substring(0, 2);
      return c.equals("23") || c.equals("22") || c.equals("40");
    }
    String m = e.getMessage() == null ? "" : e.getMessage().strip();
    return m.startsWith("Constraint Error")
        || m.startsWith("TransactionContext Error")
            && (m.contains("onflict") || m.contains("constraint violation"));
  }

  /**
   * The note {@link DeadLetterSink#storeThenCommit} adds to a commit failure whose outcome is
   * unknown (the letters were kept), or null: a task puts it in its failure message.
   */
  public static String keptNote(Throwable failure) {
    for (Throwable s : failure.getSuppressed()) {
      if (s instanceof LettersKept) {
        return s.getMessage();
      }
    }
    return null;
  }

  /** Says, on a commit failure, that the letters were kept because the commit may have landed. */
  static final class LettersKept extends RuntimeException {
    LettersKept(String message) {
      super(message, null, false, false);
    }
  }
}
