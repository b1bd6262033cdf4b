package dev.weir.server.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signals after their work committed, from a thread of its own, so that whoever sends (a
 * run's end) waits for no database round trip. Signals asked for while one is being sent go
 * together in the next statement, each payload once; a failure drops them (polling finds the work)
 * and is told once at WARN, then at DEBUG until a send succeeds again.
 */
final class SignalSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignalSender.class);

  private final DataSource pool;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("weir-cluster-signals-send").factory());
  private boolean failing; // the sending thread's only

  SignalSender(DataSource pool) {
    this.pool = pool;
  }

  void send(Signal signal) {
    pending.add(signal.payload());
    if (scheduled.compareAndSet(false, true)) {
      try {
        thread.execute(this::flush);
      } catch (RejectedExecutionException e) {
        pending.clear(); // closed: nobody listens here any more, polling covers the rest
      }
    }
  }

  private void flush() {
    scheduled.set(false); // a signal added from now on schedules another flush
    List<String> batch = new ArrayList<>();
    for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
      batch.add(it.next());
      it.remove();
    }
    if (batch.isEmpty()) {
      return;
    }
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?::text[]) AS p")) {
      ps.setString(1, Signal.CHANNEL);
      ps.setArray(2, c.createArrayOf("text", batch.toArray()));
      ps.execute();
      if (failing) {
        log.info("cluster signals: sending again");
      }
      failing = false;
    } catch (SQLException | RuntimeException e) {
      // the store's own errors carry no credentials (its pool's URL is never in them)
      if (!failing) {
        log.warn(
            "cluster signals: sending {} failed ({}); polling finds the work",
            batch,
            e.getMessage());
      } else {
        log.debug("cluster signals: sending {} failed again: {}", batch, e.getMessage());
      }
      failing = true;
    }
  }

  /** Sends a signal when the transaction on {@code c} commits. */
  static void sendIn(Connection c, Signal signal) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, Signal.CHANNEL);
      ps.setString(2, signal.payload());
      ps.execute();
    }
  }

  /** Sends what is pending (for up to 2 s), then nothing more. */
  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
