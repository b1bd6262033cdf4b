package dev.weir.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads {@code weir_attempt_queue}'s rows and total size ({@code pg_total_relation_size}: table,
 * indexes, TOAST) on a connection of its own, once or every 100 ms while a load runs.
 */
final class QueueSampler implements AutoCloseable {
  /** The queue table: rows and bytes. */
  record QueueSize(long rows, long bytes) {}

  private final Connection c;
  private final String schema;
  private final AtomicBoolean running = new AtomicBoolean();
  private Thread thread;
  private volatile long maxRows;
  private volatile long maxBytes;
  private volatile long samples;

  QueueSampler(String url) throws SQLException {
    this.c = DriverManager.getConnection(url);
    this.schema = PgSchemas.schemaOf(url);
  }

  synchronized QueueSize read() throws SQLException {
    try (var st = c.createStatement();
        var rs =
            st.executeQuery(
                "SELECT (SELECT COUNT(*) FROM weir_attempt_queue),"
                    + " pg_total_relation_size('weir_attempt_queue')")) {
      rs.next();
      return new QueueSize(rs.getLong(1), rs.getLong(2));
    }
  }

  /** Dead row versions, as the statistics collector last heard (it lags by up to a second). */
  synchronized long deadRows() throws SQLException {
    try (var ps =
        c.prepareStatement(
            "SELECT n_dead_tup FROM pg_stat_user_tables WHERE schemaname = ? AND relname ="
                + " 'weir_attempt_queue'")) {
      ps.setString(1, schema);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  synchronized void vacuum() throws SQLException {
    try (var st = c.createStatement()) {
      st.execute("VACUUM weir_attempt_queue");
    }
  }

  /** Starts reading every 100 ms. */
  void start() {
    running.set(true);
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("bench-queue-sampler")
            .start(() -> {
              while (running.get()) {
                try {
                  QueueSize q = read();
                  maxRows = Math.max(maxRows, q.rows());
                  maxBytes = Math.max(maxBytes, q.bytes());
                  samples++;
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  return;
                } catch (SQLException e) {
                  System.out.println("queue sampler: " + e);
                  return;
                }
              }
            });
  }

  /** Stops reading; the largest rows and size it saw. */
  QueueSize stop() throws InterruptedException {
    running.set(false);
    if (thread != null) {
      thread.join();
    }
    return new QueueSize(maxRows, maxBytes);
  }

  long samples() {
    return samples;
  }

  @Override
  public void close() throws Exception {
    stop();
    c.close();
  }
}
