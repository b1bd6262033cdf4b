package dev.weir.server.store;

import dev.weir.WeirException;
import dev.weir.store.StoreRetry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The few JDBC moves the server's tables need: query, update, a transaction. Each is tried again
 * while the store is restarting, as the engine's own store does ({@link StoreRetry}), so the
 * scheduler, triggers and workers wait for the database instead of failing.
 */
public final class Jdbc {
  private final DataSource ds;
  private final StoreRetry retry;

  public Jdbc(DataSource ds) {
    this(ds, new StoreRetry("server tables", StoreRetry.Settings.DEFAULTS));
  }

  public Jdbc(DataSource ds, StoreRetry retry) {
    this.ds = ds;
    this.retry = retry;
  }

  /** Sets a statement's parameters. */
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Reads one row. */
  public interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Work done inside one transaction. */
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  public <T> List<T> query(String sql, Binder binder, Reader<T> reader) {
    try {
      return retry.call(() -> {
        try (Connection c = ds.getConnection();
            PreparedStatement ps = c.prepareStatement(sql)) {
          binder.bind(ps);
          try (ResultSet rs = ps.executeQuery()) {
            var out = new ArrayList<T>();
            while (rs.next()) {
              out.add(reader.read(rs));
            }
            return out;
          }
        }
      });
    } catch (SQLException e) {
      throw new WeirException("state store query failed: " + e.getMessage(), e);
    }
  }

  public int update(String sql, Binder binder) {
    try {
      return retry.call(() -> {
        try (Connection c = ds.getConnection();
            PreparedStatement ps = c.prepareStatement(sql)) {
          binder.bind(ps);
          return ps.executeUpdate();
        }
      });
    } catch (SQLException e) {
      throw new WeirException("state store update failed: " + e.getMessage(), e);
    }
  }

  public <T> T inTransaction(Work<T> work) {
    try {
      return retry.call(() -> once(work));
    } catch (SQLException e) {
      throw new WeirException("state store update failed: " + e.getMessage(), e);
    }
  }

  private <T> T once(Work<T> work) throws SQLException {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        c.setAutoCommit(auto);
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
          c.setAutoCommit(auto);
        } catch (SQLException r) {
          // a connection the failure broke cannot roll back; the failure is what counts
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  /** A nullable timestamp column as an instant. */
  public static Instant time(ResultSet rs, int i) throws SQLException {
    Timestamp t = rs.getTimestamp(i);
    return t == null ? null : t.toInstant();
  }
}
