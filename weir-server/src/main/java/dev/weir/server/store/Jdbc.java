package dev.weir.server.store;

import dev.weir.WeirException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The few JDBC moves the server's tables need: query, update, a transaction. */
public final class Jdbc {
  private final DataSource ds;

  public Jdbc(DataSource ds) {
    this.ds = ds;
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
    } catch (SQLException e) {
      throw new WeirException("state store query failed: " + e.getMessage(), e);
    }
  }

  public int update(String sql, Binder binder) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new WeirException("state store update failed: " + e.getMessage(), e);
    }
  }

  public <T> T inTransaction(Work<T> work) {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new WeirException("state store update failed: " + e.getMessage(), e);
    }
  }

  /** A nullable timestamp column as an instant. */
  public static Instant time(ResultSet rs, int i) throws SQLException {
    Timestamp t = rs.getTimestamp(i);
    return t == null ? null : t.toInstant();
  }
}
