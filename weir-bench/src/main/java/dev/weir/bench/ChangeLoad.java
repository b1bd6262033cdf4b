package dev.weir.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes a steady stream of row changes to the source's tables {@code bench.t0 … t<n-1>}: each
 * transaction carries {@code txn} changes spread over the tables, half inserts, 35% updates and 15%
 * deletes (of the oldest rows, so that every update and delete hits a live row), at a target rate
 * of changes per second (0: as fast as it goes). One connection, JDBC batches.
 */
final class ChangeLoad implements AutoCloseable {
  static final int TABLES = 3;

  private final Connection conn;
  private final int txn;
  private final long[] low = new long[TABLES];
  private final long[] next = new long[TABLES];
  private final PreparedStatement[] insert = new PreparedStatement[TABLES];
  private final PreparedStatement[] update = new PreparedStatement[TABLES];
  private final PreparedStatement[] delete = new PreparedStatement[TABLES];
  private final SplittableRandom random = new SplittableRandom(42);

  ChangeLoad(String url, int txn) throws SQLException {
    this.conn = DriverManager.getConnection(url + "&reWriteBatchedInserts=true");
    this.txn = txn;
    for (int t = 0; t < TABLES; t++) {
      insert[t] =
          conn.prepareStatement(
              "INSERT INTO bench.t" + t + " (id, a, b, c, updated_at) VALUES (?, ?, ?, ?, now())");
      update[t] =
          conn.prepareStatement(
              "UPDATE bench.t" + t + " SET a = a + 1, b = ?, updated_at = now() WHERE id = ?");
      delete[t] = conn.prepareStatement("DELETE FROM bench.t" + t + " WHERE id = ?");
    }
  }

  /** Creates the tables with {@code rows} rows each (before any slot exists: not streamed). */
  static void createTables(String url, int rows) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS bench CASCADE");
      st.execute("CREATE SCHEMA bench");
      for (int t = 0; t < TABLES; t++) {
        st.execute(
            "CREATE TABLE bench.t"
                + t
                + " (id bigint PRIMARY KEY, a int NOT NULL, b text, c numeric(12,2),"
                + " updated_at timestamptz NOT NULL)");
        st.execute(
            "INSERT INTO bench.t"
                + t
                + " SELECT g, g % 1000, 'row ' || g, g / 100.0, now() FROM generate_series(0, "
                + (rows - 1)
                + ") g");
        st.execute("VACUUM ANALYZE bench.t" + t);
      }
    }
  }

  /** Continues after the {@code rows} rows {@link #createTables} wrote. */
  ChangeLoad startingAt(int rows) {
    for (int t = 0; t < TABLES; t++) {
      next[t] = Math.max(next[t], rows);
    }
    return this;
  }

  /** The id the next insert into table {@code t} gets. */
  long nextId(int t) {
    return next[t];
  }

  /**
   * Writes for {@code seconds} (or until {@code maxChanges} are written) at {@code rate} changes/s
   * (0: flat out); returns the changes written.
   */
  long run(double rate, double seconds, long maxChanges) throws SQLException {
    conn.setAutoCommit(false);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long written = 0;
    long k = 0;
    while (written < maxChanges) {
      long now = System.nanoTime();
      if (now >= end) {
        break;
      }
      if (rate > 0) {
        long due = start + (long) (k * txn / rate * 1e9);
        if (due > now) {
          LockSupport.parkNanos(due - now);
        }
      }
      written += transaction();
      k++;
    }
    conn.setAutoCommit(true);
    return written;
  }

  private int transaction() throws SQLException {
    int[] ins = new int[TABLES];
    int[] upd = new int[TABLES];
    int[] del = new int[TABLES];
    for (int i = 0; i < txn; i++) {
      int t = i % TABLES;
      int p = random.nextInt(100);
      if (p < 50 || next[t] - low[t] < 1000) {
        long id = next[t]++;
        var ps = insert[t];
        ps.setLong(1, id);
        ps.setInt(2, (int) (id % 1000));
        ps.setString(3, "row " + id);
        ps.setBigDecimal(4, java.math.BigDecimal.valueOf(id, 2));
        ps.addBatch();
        ins[t]++;
      } else if (p < 85) {
        long id = random.nextLong(low[t], next[t]);
        update[t].setString(1, "upd " + random.nextInt());
        update[t].setLong(2, id);
        update[t].addBatch();
        upd[t]++;
      } else {
        delete[t].setLong(1, low[t]++);
        delete[t].addBatch();
        del[t]++;
      }
    }
    // inserts, updates, deletes: an update finds a row inserted in this transaction, and one
    // drawn before the delete of the same (oldest) row still finds it
    for (int t = 0; t < TABLES; t++) {
      if (ins[t] > 0) {
        insert[t].executeBatch();
      }
      if (upd[t] > 0) {
        update[t].executeBatch();
      }
      if (del[t] > 0) {
        delete[t].executeBatch();
      }
    }
    conn.commit();
    return txn;
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
