package dev.weir.store;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The heartbeat's own pool ({@link StorePool#membership}), opened at its first use: a {@code weir
 * run} or a CLI command, which is no cluster node, never opens it.
 */
final class MembershipPool implements DataSource, AutoCloseable {
  private final Supplier<HikariDataSource> opener;
  private volatile HikariDataSource pool;

  MembershipPool(Supplier<HikariDataSource> opener) {
    this.opener = opener;
  }

  private HikariDataSource pool() {
    HikariDataSource p = pool;
    if (p == null) {
      synchronized (this) {
        if (pool == null) {
          pool = opener.get();
        }
        p = pool;
      }
    }
    return p;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return pool().getConnection();
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return pool().getConnection(user, password);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool().getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool().setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool().setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool().getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger("dev.weir.store");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return pool().unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return pool().isWrapperFor(iface);
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.close();
    }
  }
}
