package dev.weir.server.cluster;

import dev.weir.store.Claimant;
import dev.weir.store.LeaseGrant;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a member of the cluster of nodes sharing its store: it registers (a new epoch),
 * renews its lease every heartbeat, and adopts the runs of nodes whose lease ran out. A node that
 * lost its place — its lease expired or another process took its id — gives up every run it
 * executes, writing nothing more for them, and joins again with a new epoch; one that cannot reach
 * the database for most of its lease gives its runs up before anyone may adopt them.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  private static final int ADOPT_AT_ONCE = 100;

  /** The lease of the node that watches the flows directory for the cluster. */
  static final String FLOWS_LEASE = "flows";

  /** What the node asks of the server it belongs to. */
  public interface Host {
    /** Stops executing every run, writing nothing more for them. */
    void giveUpRuns(String reason);

    /**
     * Takes over a run whose owner node is gone; false when it was not taken (someone was faster).
     */
    boolean adopt(RunRecord run);
  }

  private final StateStore store;
  private final String nodeId;
  private final String role;
  private final String host;
  private final ClusterSettings settings;
  private final LongSupplier nanos;
  private volatile long epoch;
  private volatile boolean leadsFlows;
  // the flows lease was just taken from another node: its directory may be behind the store
  private final java.util.concurrent.atomic.AtomicBoolean tookFlowsFromOther =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile Host server;
  private long lastRenewal;
  private boolean gaveUp;
  private ScheduledExecutorService loop;

  ClusterNode(
      StateStore store,
      String nodeId,
      String role,
      String host,
      ClusterSettings settings,
      LongSupplier nanos) {
    this.store = store;
    this.nodeId = nodeId;
    this.role = role;
    this.host = host;
    this.settings = settings;
    this.nanos = nanos;
  }

  /** Registers the node (its epoch goes up): runs it owned before this start become orphans. */
  public static ClusterNode join(
      StateStore store, ClusterSettings settings, java.nio.file.Path home, String role) {
    String host = dev.weir.engine.RunOwner.host();
    var node =
        new ClusterNode(
            store, NodeIds.of(settings, home, host), role, host, settings, System::nanoTime);
    node.register();
    return node;
  }

  private void register() {
    epoch = store.registerNode(nodeId, role, host, ProcessHandle.current().pid(), settings.lease());
    lastRenewal = nanos.getAsLong();
    gaveUp = false;
    log.info(
        "cluster node {} (epoch {}) joined; lease {}, heartbeat {}",
        nodeId,
        epoch,
        settings.lease(),
        settings.heartbeat());
  }

  /**
   * Takes or renews the lease of watching the flows directory for the cluster.
   *
   * @return whether this node watches it now
   */
  public boolean holdFlowsLease() {
    try {
      LeaseGrant g = store.holdLease(FLOWS_LEASE, nodeId, epoch, settings.lease());
      if (g.held() && !leadsFlows) {
        log.info(
            "cluster node {} watches the flows directory{}",
            nodeId,
            g.previousHolder() == null || g.previousHolder().equals(nodeId)
                ? ""
                : " (taken over from " + g.previousHolder() + ")");
      } else if (!g.held() && leadsFlows) {
        log.warn("cluster node {} no longer watches the flows directory", nodeId);
      }
      if (g.taken() && g.previousHolder() != null && !g.previousHolder().equals(nodeId)) {
        tookFlowsFromOther.set(true);
      }
      leadsFlows = g.held();
    } catch (RuntimeException e) {
      leadsFlows = false; // cannot tell: better no watcher than two
      log.warn("cluster node {}: the flows lease: {}", nodeId, e.getMessage());
    }
    return leadsFlows;
  }

  /** Whether this node watches the flows directory for the cluster. */
  public boolean leadsFlows() {
    return leadsFlows;
  }

  /**
   * Whether this node took the flows lease from another node since the last call: it takes the
   * store's revisions into its directory before it reads the directory, which may be behind.
   */
  public boolean tookFlowsFromOther() {
    return tookFlowsFromOther.getAndSet(false);
  }

  /** Who this node claims runs as now. */
  public Claimant claimant() {
    return Claimant.node(nodeId, epoch);
  }

  public String nodeId() {
    return nodeId;
  }

  public long epoch() {
    return epoch;
  }

  /** Renews the lease every heartbeat and adopts orphans, on a thread of its own. */
  public synchronized void start(Host host) {
    this.server = host;
    loop =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("weir-cluster-" + nodeId).factory());
    beatQuietly(); // what this node left before its restart is adopted before the server serves
    long every = settings.heartbeat().toMillis();
    loop.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      log.warn("cluster node {}: heartbeat failed: {}", nodeId, e.getMessage());
    }
  }

  /** One heartbeat: renew, or give up and join again; then adopt what gone nodes left. */
  synchronized void beat() {
    boolean renewed;
    try {
      renewed = store.renewNode(nodeId, epoch, settings.lease());
    } catch (RuntimeException e) {
      cutOff(e);
      return;
    }
    if (!renewed) {
      giveUp("its lease expired or another process took its id (epoch " + epoch + ")");
      register();
    } else if (gaveUp) {
      register(); // cut off locally while the lease still held: rejoin so the runs become orphans
    } else {
      lastRenewal = nanos.getAsLong();
    }
    holdFlowsLease();
    adoptOrphans();
  }

  // the database cannot be reached: past most of the lease, stop before another node adopts
  private void cutOff(RuntimeException e) {
    leadsFlows = false;
    Duration since = Duration.ofNanos(nanos.getAsLong() - lastRenewal);
    Duration limit = settings.lease().multipliedBy(4).dividedBy(5);
    log.warn(
        "cluster node {} cannot renew its lease ({} since the last renewal): {}",
        nodeId,
        since,
        e.getMessage());
    if (!gaveUp && since.compareTo(limit) >= 0) {
      giveUp("it could not renew its lease for " + since.toSeconds() + " s");
    }
  }

  private void giveUp(String why) {
    gaveUp = true;
    log.warn(
        "cluster node {} gives up the runs it executes: {}; other nodes (or this one, once it"
            + " joins again) continue them",
        nodeId,
        why);
    Host h = server;
    if (h != null) {
      h.giveUpRuns("cluster node " + nodeId + " lost its lease: " + why);
    }
  }

  /** Adopts runs of gone nodes, oldest first; another node adopting one first is no error. */
  synchronized int adoptOrphans() {
    Host h = server;
    if (h == null || gaveUp) {
      return 0;
    }
    List<RunRecord> orphans = store.orphanedRuns(ADOPT_AT_ONCE);
    int adopted = 0;
    for (RunRecord run : orphans) {
      if (h.adopt(run)) {
        adopted++;
        log.info("cluster node {} adopted run {} from {}", nodeId, run.id(), run.owner());
      }
    }
    return adopted;
  }

  /** Leaves the cluster: the lease ends now, so other nodes adopt what this node leaves at once. */
  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
    }
    try {
      store.releaseLease(FLOWS_LEASE, nodeId, epoch);
      store.leaveCluster(nodeId, epoch);
    } catch (RuntimeException e) {
      log.warn("cluster node {} could not leave the cluster: {}", nodeId, e.getMessage());
    }
  }
}
