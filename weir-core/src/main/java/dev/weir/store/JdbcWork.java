package dev.weir.store;

import dev.weir.WeirException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The JDBC plumbing the table families of {@link JdbcStateStore} share: a unit of work in one
 * transaction or one query, each retried by {@link StoreRetry} and failing with the store's
 * description; and the binding of times and long text.
 */
final class JdbcWork {
  private static final int MAX_TEXT = 200_000;

  private final DataSource ds;
  private final String description;
  private final StoreRetry retry;

  JdbcWork(DataSource ds, String description, StoreRetry retry) {
    this.ds = ds;
    this.description = description;
    this.retry = retry;
  }

  /** Work on a connection of a transaction that the caller commits or rolls back. */
  @FunctionalInterface
  interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  /** Sets a statement's parameters. */
  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Reads the current row of a result. */
  @FunctionalInterface
  interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs {@code work} in one transaction, again while its failures can heal. */
  <T> T run(SqlWork<T> work) {
    try {
      return retry.call(() -> inTransaction(work));
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          // the connection the failure broke cannot roll back; the failure is what counts
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  /** The rows of one query, each read by {@code reader}. */
  <T> List<T> query(String sql, Binder binder, Reader<T> reader) {
    try {
      return retry.call(() -> {
        try (Connection c = ds.getConnection();
            var ps = c.prepareStatement(sql)) {
          binder.bind(ps);
          var out = new ArrayList<T>();
          try (var rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(reader.read(rs));
            }
          }
          return out;
        }
      });
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private WeirException failure(SQLException e) {
    return new WeirException("state store (" + description + "): " + e.getMessage(), e);
  }

  /**
   * An update that matches no row would lose a transition the engine believes is durable, so it
   * fails the whole batch instead.
   */
  static <T> void requireUpdated(
      int[] counts, List<T> records, java.util.function.Function<T, String> name)
      throws SQLException {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        throw new SQLException(
            "cannot update "
                + name.apply(records.get(i))
                + ": it was never inserted (a batch must insert a record before updating it)");
      }
    }
  }

  /** Whether a failed insert hit an existing key (SQLSTATE 23505 on H2 and PostgreSQL). */
  static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  static String clip(String s) {
    return s == null || s.length() <= MAX_TEXT
        ? s
        : s.substring(0, MAX_TEXT) + "… (" + (s.length() - MAX_TEXT) + " more characters)";
  }

  static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  static Instant time(ResultSet rs, int i) throws SQLException {
    Object o = rs.getObject(i);
    if (o == null) {
      return null;
    }
    if (o instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (o instanceof Timestamp ts) {
      return ts.toInstant();
    }
    return rs.getObject(i, OffsetDateTime.class).toInstant();
  }
}
