package dev.weir.tasks.cdc;

import io.debezium.engine.DebeziumEngine;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;

/** Closing a Debezium engine safely, and what its JMX metrics say of it. */
final class DebeziumEngines {
  /**
   * How long a close may take: a slot still being created waits for the source's open transactions.
   */
  private static final long CLOSE_SECONDS = 120;

  private DebeziumEngines() {}

  /**
   * Closes Debezium on a thread of its own and waits for it (bounded). A cancel interrupts the
   * task's thread, and a close interrupted midway shuts the engine down "immediately", without
   * ending its replication connection: PostgreSQL then keeps the slot active for the next run of
   * the task until wal_sender_timeout (a minute by default).
   */
  static void close(DebeziumEngine<?> engine) {
    Thread closing = Thread.ofPlatform().name("weir-cdc-close").start(() -> closeOnce(engine));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_SECONDS);
    while (closing.isAlive() && System.nanoTime() < deadline) {
      try {
        closing.join(1000);
      } catch (InterruptedException e) {
        // the cancel's interrupt: the close goes on, and the engine knows of the cancel
      }
    }
  }

  /**
   * Closes the engine once it can be closed. Debezium refuses a close while its task starts (it
   * creates the replication slot then, which waits for the transactions open on the source to end):
   * the close is tried again until the start is over, or the engine would stream on, unseen,
   * holding the slot. A close refused because the engine stops already (a failed batch) is done.
   */
  private static void closeOnce(DebeziumEngine<?> engine) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_SECONDS);
    while (true) {
      try {
        engine.close();
        return;
      } catch (IllegalStateException e) {
        boolean starting = e.getMessage() != null && e.getMessage().contains("tasks are starting");
        if (!starting || System.nanoTime() > deadline) {
          return;
        }
      } catch (java.io.IOException e) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Whether the engine of topic prefix {@code prefix} streams: Debezium says so in its JMX metrics
   * ({@code Connected} of {@code context=streaming}), set just before the streaming source opens
   * the log at its stored position.
   */
  static boolean isStreaming(String prefix) {
    var server = ManagementFactory.getPlatformMBeanServer();
    try {
      for (var name : server.queryNames(new ObjectName("debezium.*:*"), null)) {
        if ("streaming".equals(name.getKeyProperty("context"))
            && prefix.equals(name.getKeyProperty("server"))
            && Boolean.TRUE.equals(server.getAttribute(name, "Connected"))) {
          return true;
        }
      }
    } catch (JMException | RuntimeException e) {
      // not registered yet
    }
    return false;
  }

  /**
   * Unregisters the JMX metrics an earlier engine of this prefix left behind (one that failed does
   * not always unregister them); Debezium would otherwise wait a minute per metrics set for them to
   * go.
   */
  static void forgetMetrics(String prefix) {
    try {
      var server = ManagementFactory.getPlatformMBeanServer();
      for (var name : server.queryNames(new ObjectName("debezium.*:*"), null)) {
        if (prefix.equals(name.getKeyProperty("server"))) {
          server.unregisterMBean(name);
        }
      }
    } catch (JMException | RuntimeException e) {
      // only metrics: Debezium waits for them as it would have anyway
    }
  }
}
