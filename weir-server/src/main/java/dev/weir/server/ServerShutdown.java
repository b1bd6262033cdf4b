package dev.weir.server;

import dev.weir.server.cluster.Signal;
import dev.weir.server.cluster.StagingLocation;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stop of a {@link WeirServer}: its {@link ServerParts} closed in order, the runs still going
 * given the grace period to finish, and the store left open for those that outlast it.
 */
final class ServerShutdown {
  // logs as the server, as it did before the shutdown moved here
  private static final Logger log = LoggerFactory.getLogger(WeirServer.class);

  private ServerShutdown() {}

  /**
   * Stops taking work, lets running runs finish within {@code grace}, then stops. Runs still going
   * after it are left as they are in the store and resume at the next start.
   */
  static void close(ServerParts p, Duration grace) {
    p.launcher.stopAccepting();
    p.loops.close();
    for (AutoCloseable c : p.closeables) {
      closeQuietly(c);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (!p.launcher.handles().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closeQuietly(p.api);
    if (p.lineage != null) {
      p.lineage.close(); // after the runs: their last events are queued by now
    }
    closeQuietly(p.alerts);
    closeQuietly(p.attemptWorker); // what it still runs is queued again by the others
    // the lease ends now: other nodes adopt at once what this one leaves (and fence its late
    // writes)
    closeQuietly(p.cluster);
    p.signals.send(Signal.RUNS); // the others adopt what it left now, not at their next heartbeat
    closeQuietly(p.signals);
    int left = p.launcher.handles().size();
    if (left > 0) {
      log.warn(
          "{} run(s) still going after {} of grace; they resume when the server starts again",
          left,
          Duration.ofNanos(grace.toNanos()));
      if (p.housekeeping.logFiles() != null) {
        p.housekeeping.logFiles().flush();
      }
      return; // the store stays open for their last writes until the process exits
    }
    p.engine.close();
    StagingLocation.close(p.staging);
    if (p.housekeeping.logFiles() != null) {
      p.housekeeping.logFiles().close();
    }
    p.store.close();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
    }
  }
}
