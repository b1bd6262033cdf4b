package dev.weir.util;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.SQLTransientException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Weir's one vocabulary for database failures: whether trying again can help, and whether the
 * database went away (which counts towards a connection's circuit breaker). Every task that talks
 * to a database and the state store classify with it, so a PostgreSQL restart is retried everywhere
 * and a missing table nowhere.
 *
 * <p>The SQLSTATE decides where there is one (PostgreSQL, H2, DuckDB, the SQL standard); MariaDB
 * and MySQL report some conditions only by error code. The whole cause chain is read, and the
 * exceptions suppressed on the way (a rollback that failed because the connection was gone), since
 * drivers and pools wrap the original.
 */
public final class SqlFailures {
  /** What a failure means for the one who would try again. */
  public enum Kind {
    /**
     * The database went away or could not be reached: a lost connection, a shutdown, a restart.
     * Retryable; counts towards the connection's circuit breaker.
     */
    CONNECTION,
    /** The database answered, but trying again can succeed: a deadlock, a serialization failure. */
    TRANSIENT,
    /** The database answered and will answer the same again: bad SQL, a missing table, a key. */
    PERMANENT;

    public boolean retryable() {
      return this != PERMANENT;
    }
  }

  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down);
  // the session ended by idle_in_transaction_session_timeout (a cluster node that froze inside a
  // transaction) or idle_session_timeout: the next connection works
  private static final Set<String> SESSION_ENDED =
      Set.of("57P01", "57P02", "57P03", "25P03", "57P05");

  // MariaDB/MySQL error codes that mean the server or the connection is gone: 1053 server
  // shutdown, 1927 connection killed, 2002/2003 cannot connect, 2006 server has gone away,
  // 2013 lost connection during query
  private static final Set<Integer> MARIADB_GONE = Set.of(1053, 1927, 2002, 2003, 2006, 2013);

  // MariaDB/MySQL: 1205 lock wait timeout, 1213 deadlock; 1040 too many connections
  private static final Set<Integer> MARIADB_TRANSIENT = Set.of(1040, 1205, 1213);

  private SqlFailures() {}

  /** What {@code failure} means; a failure nothing here recognises is {@link Kind#PERMANENT}. */
  public static Kind classify(Throwable failure) {
    Kind byState = null;
    boolean connectionHint = false;
    boolean transientHint = false;
    for (Throwable t : chain(failure)) {
      Kind k = definite(t);
      if (k == Kind.CONNECTION) {
        return k; // a lost connection explains whatever else failed after it
      }
      if (k != null && byState == null) {
        byState = k;
      }
      connectionHint |= connectionType(t);
      transientHint |= t instanceof SQLTransientException;
    }
    // a state beats the exception's type: HikariCP's timeout copies the state of the last refusal
    // (28P01, wrong password) into an SQLTransientConnectionException
    if (byState != null) {
      return byState;
    }
    if (connectionHint) {
      return Kind.CONNECTION;
    }
    return transientHint ? Kind.TRANSIENT : Kind.PERMANENT;
  }

  /** Whether trying again can help. */
  public static boolean retryable(Throwable failure) {
    return classify(failure).retryable();
  }

  /** Whether the database went away or could not be reached; see {@link Kind#CONNECTION}. */
  public static boolean connectionLost(Throwable failure) {
    return classify(failure) == Kind.CONNECTION;
  }

  /** The first SQLSTATE in the cause chain, or null. */
  public static String sqlState(Throwable failure) {
    for (Throwable t : chain(failure)) {
      if (t instanceof SQLException s && s.getSQLState() != null && !s.getSQLState().isBlank()) {
        return s.getSQLState();
      }
    }
    return null;
  }

  /**
   * " (SQLSTATE 57P01)" for a message, so a log line names the condition a DBA can look up; the
   * empty string when the driver gave none.
   */
  public static String stateSuffix(Throwable failure) {
    String state = sqlState(failure);
    return state == null ? "" : " (SQLSTATE " + state + ")";
  }

  /**
   * What the database said, in one short line: the message of the innermost SQLException of the
   * cause chain (a batch's "Batch entry 0 UPDATE … was aborted" quotes the whole statement, its
   * cause says "terminating connection due to administrator command"; a pool's timeout wraps the
   * refusal).
   */
  public static String reason(Throwable failure) {
    String message = failure.getMessage();
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException s && s.getMessage() != null && !s.getMessage().isBlank()) {
        message = s.getMessage();
      }
      if (t instanceof SQLException s && s.getNextException() != null) {
        message = s.getNextException().getMessage();
      }
    }
    if (message == null) {
      return failure.getClass().getSimpleName();
    }
    message = message.strip().lines().findFirst().orElse("");
    return message.length() > 300 ? message.substring(0, 297) + "..." : message;
  }

  /** The kind one exception's own SQLSTATE or error code says, or null when it says none. */
  private static Kind definite(Throwable t) {
    if (!(t instanceof SQLException e)) {
      return null;
    }
    String state = e.getSQLState();
    // MariaDB's driver throws plain java.sql exceptions with SQLSTATE HY000 for these, so the code
    // is read whatever the driver; PostgreSQL and DuckDB report 0, H2 and SQLite other numbers
    int code = e.getErrorCode();
    if (MARIADB_GONE.contains(code)) {
      return Kind.CONNECTION;
    }
    if (MARIADB_TRANSIENT.contains(code)) {
      return Kind.TRANSIENT;
    }
    if (state == null || state.length() < 2) {
      // HikariCP's proxy of a connection it has evicted after a failure carries no state
      return "Connection is closed".equals(e.getMessage()) ? Kind.CONNECTION : null;
    }
    if (state.startsWith("08") || SESSION_ENDED.contains(state)) {
      return Kind.CONNECTION;
    }
    // 40: serialization failure, deadlock; 53: out of connections, disk or memory; 55P03: lock
    // not available; 57014: cancelled by statement_timeout; HYT00: H2's lock timeout
    if (state.startsWith("40")
        || state.startsWith("53")
        || state.equals("55P03")
        || state.equals("57014")
        || state.equals("HYT00")) {
      return Kind.TRANSIENT;
    }
    return Kind.PERMANENT;
  }

  private static boolean connectionType(Throwable t) {
    return t instanceof SQLRecoverableException
        || t instanceof SQLTransientConnectionException
        || t instanceof ConnectException
        || t instanceof SocketException
        || t instanceof SocketTimeoutException
        || t instanceof UnknownHostException
        || t instanceof java.io.EOFException;
  }

  /** The failure, its causes, and what was suppressed along the way, each once. */
  private static Iterable<Throwable> chain(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    var out = new java.util.ArrayList<Throwable>();
    collect(failure, seen, out, 0);
    return out;
  }

  private static void collect(
      Throwable t, Map<Throwable, Boolean> seen, java.util.List<Throwable> out, int depth) {
    for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
      if (seen.put(c, Boolean.TRUE) != null) {
        return;
      }
      out.add(c);
      if (c instanceof SQLException s && s.getNextException() != null) {
        collect(s.getNextException(), seen, out, depth + 1);
      }
      for (Throwable s : c.getSuppressed()) {
        collect(s, seen, out, depth + 1);
      }
    }
  }
}
