package dev.weir.server;

import dev.weir.expr.Masker;
import dev.weir.flow.Durations;
import dev.weir.logs.LogRetention;
import dev.weir.server.alerts.Alerts;
import dev.weir.server.cluster.ClusterNode;
import dev.weir.server.flows.ClusterFlows;
import dev.weir.server.flows.FlowWatcher;
import dev.weir.staging.StagingGc;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link WeirServer} does periodically, on one thread: scans the flows, sweeps old logs and
 * staging, checks the flows' SLAs. A failing pass is logged and the next one runs as planned.
 */
final class ServerLoops implements AutoCloseable {
  // the server's log, as before this class was split from it
  private static final Logger log = LoggerFactory.getLogger(WeirServer.class);
  private static final Duration RETENTION_SWEEP = Duration.ofHours(1);

  private final ClusterNode cluster;
  private final ClusterFlows clusterFlows;
  private final FlowWatcher watcher;
  private final LogRetention logRetention;
  private final StagingGc stagingGc;
  private final Alerts alerts;
  private final Masker masker;
  private final ScheduledExecutorService loops =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("weir-server-loop").factory());

  ServerLoops(
      ClusterNode cluster,
      ClusterFlows clusterFlows,
      FlowWatcher watcher,
      ServerHousekeeping housekeeping,
      Alerts alerts,
      Masker masker) {
    this.cluster = cluster;
    this.clusterFlows = clusterFlows;
    this.watcher = watcher;
    this.logRetention = housekeeping.logRetention(); // null when logs.retention is not set
    this.stagingGc = housekeeping.stagingGc();
    this.alerts = alerts;
    this.masker = masker;
  }

  /** The loops' thread, for other periodic work of the server (cluster wake-ups). */
  Executor executor() {
    return loops;
  }

  /** Scans the flows every {@code interval} from now on ({@link #scanFlows}). */
  void scanEvery(Duration interval) {
    long scan = interval.toMillis();
    loops.scheduleWithFixedDelay(this::scanQuietly, scan, scan, TimeUnit.MILLISECONDS);
  }

  /**
   * Sweeps old logs (when retention is set) and staging now and every hour, and checks SLAs every
   * {@code slaInterval}.
   */
  void sweepAndCheck(Duration slaInterval) {
    if (logRetention != null) {
      log.info(
          "logs of runs ended more than {} ago are deleted (logs.retention)",
          Durations.format(logRetention.retention()));
      loops.scheduleWithFixedDelay(
          this::sweepLogsQuietly, 0, RETENTION_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }
    // runs ending apply the staging policy; this catches what expires while none end
    loops.scheduleWithFixedDelay(
        this::sweepStagingQuietly, 0, RETENTION_SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    long sla = slaInterval.toMillis();
    loops.scheduleWithFixedDelay(this::checkSlasQuietly, sla, sla, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code sweep} now and every hour; a failing pass is logged under {@code what}. */
  void sweepHourly(String what, Runnable sweep) {
    loops.scheduleWithFixedDelay(
        () -> {
          try {
            sweep.run();
          } catch (RuntimeException e) {
            log.warn("{} sweep failed: {}", what, masker.mask(e.toString()));
          }
        },
        0,
        RETENTION_SWEEP.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * One node of a cluster watches the flows directory (the one holding the flows lease; a single
   * server always does), reading the store's revisions into it first when it just took the lease
   * from another node; every node then takes the revisions other nodes stored.
   */
  void scanFlows() {
    if (cluster.leadsFlows()) {
      if (cluster.tookFlowsFromOther()) {
        clusterFlows.sync();
      }
      watcher.scan();
    }
    clusterFlows.sync();
  }

  private void scanQuietly() {
    try {
      scanFlows();
    } catch (RuntimeException e) {
      log.warn("scanning flows failed: {}", e.toString());
    }
  }

  private void sweepLogsQuietly() {
    try {
      logRetention.sweep();
    } catch (RuntimeException e) {
      log.warn("log retention sweep failed: {}", e.toString());
    }
  }

  private void sweepStagingQuietly() {
    try {
      stagingGc.sweep();
    } catch (RuntimeException e) {
      log.warn("staging retention sweep failed: {}", e.toString());
    }
  }

  private void checkSlasQuietly() {
    try {
      alerts.checkSlas();
    } catch (RuntimeException e) {
      log.warn("checking SLAs failed: {}", masker.mask(e.toString()));
    }
  }

  /** Stops the loops at once (a pass under way is interrupted). */
  @Override
  public void close() {
    loops.shutdownNow();
  }
}
