package dev.weir.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Has PostgreSQL end a store transaction left idle longer than a cluster node's lease, by its
 * {@code idle_in_transaction_session_timeout}. A node frozen in the middle of a transaction (a
 * SIGSTOP, a VM paused, a partition) would otherwise keep the locks of the rows it wrote for as
 * long as it is frozen, and the other nodes, adopting its runs once its lease expired, would wait
 * on those locks: the database now ends the session within a lease, and the frozen node, when it
 * wakes, finds its connection gone and its claims fenced off.
 *
 * <p>The limit is set when a node joins the cluster (a {@code weir run} has none). Each connection
 * taken from a pool through {@link #wrap} gets it by a plain {@code SET}, once per physical
 * connection (a pooler in session mode passes it on, as it would not a startup option). A store
 * transaction is a few statements sent back to back, idle for milliseconds.
 */
final class IdleTransactionLimit {
  // a floor, for the zero leases of tests: no transaction of the store is meant to idle for a
  // second
  private static final long MIN_MS = 1_000;

  private final boolean postgres;
  // the limit each physical connection has (weakly held: the pool closes and drops connections)
  private final Map<Object, Long> applied = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile long limitMs; // 0: none

  /**
   * @param url the store's JDBC URL: only PostgreSQL's connections get a limit
   */
  IdleTransactionLimit(String url) {
    this.postgres = url.startsWith("jdbc:postgresql:");
  }

  /** Transactions idle longer than {@code limit} are ended by the database from now on. */
  void set(Duration limit) {
    if (postgres) {
      limitMs = Math.max(MIN_MS, limit.toMillis());
    }
  }

  /** {@code pool}, whose connections have the limit (itself where there is none to set). */
  DataSource wrap(DataSource pool) {
    return postgres ? new Limited(pool) : pool;
  }

  private Connection limited(Connection c) throws SQLException {
    long ms = limitMs;
    if (ms == 0) {
      return c;
    }
    try {
      Object physical = c.unwrap(org.postgresql.PGConnection.class);
      Long has = applied.get(physical);
      if (has == null || has != ms) {
        try (Statement st = c.createStatement()) {
          st.execute("SET idle_in_transaction_session_timeout = " + ms);
        }
        applied.put(physical, ms);
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      c.close(); // back to its pool, which tests or replaces it
      throw e;
    }
  }

  private final class Limited implements DataSource {
    private final DataSource pool;

    Limited(DataSource pool) {
      this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return limited(pool.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return limited(pool.getConnection(user, password));
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getLogger("dev.weir.store");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return pool.isWrapperFor(iface);
    }
  }
}
