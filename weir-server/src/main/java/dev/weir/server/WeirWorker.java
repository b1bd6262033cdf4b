package dev.weir.server;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.engine.StagingArea;
import dev.weir.server.cluster.AttemptWorker;
import dev.weir.server.cluster.ClusterNode;
import dev.weir.server.cluster.ClusterSettings;
import dev.weir.server.cluster.ClusterSignals;
import dev.weir.server.cluster.NodeRole;
import dev.weir.server.cluster.Signal;
import dev.weir.server.cluster.StagingLocation;
import dev.weir.staging.StagingGc;
import dev.weir.staging.StagingPolicy;
import dev.weir.store.RunRecord;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weir worker}: a cluster node that executes the task attempts other nodes route to workers,
 * and nothing else: no API, no schedules, no runs of its own. It joins the cluster (a lease, an
 * epoch) so that its claims die with it: when its lease lapses, its attempts are queued again for
 * other workers.
 */
public final class WeirWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WeirWorker.class);
  private static final Duration CACHE_SWEEP = Duration.ofMinutes(5);

  private final dev.weir.store.JdbcStateStore store;
  private final ClusterNode cluster;
  private final Engine engine;
  private final AttemptWorker worker;
  private final ClusterSignals signals;
  private final StagingArea staging;
  // with S3 staging, what the worker copied or staged for runs that ended goes from its cache
  private final ScheduledExecutorService cacheSweeps;

  private WeirWorker(ServerOptions options) {
    if (options.store() == null) {
      throw new WeirException(
          "a worker takes its tasks from the cluster's PostgreSQL store: give it --db (or"
              + " WEIR_DB), the same as the servers'");
    }
    ClusterSettings work =
        options
            .cluster()
            .withWork(NodeRole.WORKER, options.cluster().pools(), options.cluster().slots());
    var address = WeirServer.storeSecretsRead(options);
    this.store = address.open();
    try {
      this.cluster = ClusterNode.join(store, work, options.home(), NodeRole.WORKER.label());
      var taskTypes = ServerTaskTypes.load(options);
      this.staging = StagingLocation.open(work.staging(), options.home(), options.environment());
      this.engine =
          new Engine(
              store,
              taskTypes,
              new EngineOptions(
                      options.home(),
                      options.clock(),
                      options.environment(),
                      options.secretsDir(),
                      null)
                  .withClaimant(cluster::claimant)
                  .withStaging(staging));
      this.worker =
          new AttemptWorker(
              store.attempts(), engine, cluster::claimant, work.pools(), work.slots());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    this.cacheSweeps = staging.isShared() ? sweepCache(store, staging, options) : null;
    cluster.start(new Host());
    // woken when an attempt is queued, instead of at its next poll
    this.signals = ClusterSignals.open(address, store.dataSource(), cluster.nodeId());
    signals.on(Signal.Kind.ATTEMPTS, worker::wake);
    signals.start();
    worker.start();
    log.info("weir worker: node {} (epoch {}) joined", cluster.nodeId(), cluster.epoch());
  }

  /**
   * Empties the worker's staging cache of the runs that ended, every few minutes: every dataset in
   * it is in the shared store too. A shared directory is the servers' to sweep, as their policy
   * says; a worker leaves it alone.
   */
  private static ScheduledExecutorService sweepCache(
      dev.weir.store.StateStore store, StagingArea staging, ServerOptions options) {
    var gc =
        new StagingGc(
            store,
            StagingArea.local(staging.dir()),
            new StagingPolicy(Duration.ZERO, false),
            options.clock());
    var sweeps =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("weir-staging-cache").daemon().factory());
    sweeps.scheduleWithFixedDelay(
        () -> {
          try {
            gc.sweep();
          } catch (RuntimeException e) {
            log.warn("sweeping the staging cache {} failed: {}", staging.dir(), e.toString());
          }
        },
        CACHE_SWEEP.toMillis(),
        CACHE_SWEEP.toMillis(),
        TimeUnit.MILLISECONDS);
    return sweeps;
  }

  public static WeirWorker start(ServerOptions options) {
    return new WeirWorker(options);
  }

  public ClusterNode cluster() {
    return cluster;
  }

  /** What masks the secrets this worker knows (its JSON console log uses it). */
  public dev.weir.expr.Masker masker() {
    return engine.masker();
  }

  /** Attempts running here now. */
  public int running() {
    return worker.running();
  }

  /** What the cluster node asks of a worker: only to give its attempts up. */
  private final class Host implements ClusterNode.Host {
    @Override
    public void giveUpRuns(String reason) {
      worker.giveUp(reason);
    }

    @Override
    public boolean adopt(RunRecord run) {
      return false; // a worker coordinates no run
    }

    @Override
    public void drainQueues() {}

    @Override
    public void releaseStraySlots() {}

    @Override
    public void retire(String reason) {
      worker.close();
    }

    @Override
    public boolean executes(String runId) {
      return false;
    }

    @Override
    public boolean resumeOwn(RunRecord run) {
      return false;
    }
  }

  /** Stops claiming, stops the attempts running here (others take them again), leaves. */
  @Override
  public void close() {
    signals.close();
    if (cacheSweeps != null) {
      cacheSweeps.shutdownNow();
    }
    worker.close();
    cluster.close();
    engine.close();
    StagingLocation.close(staging);
    store.close();
  }
}
