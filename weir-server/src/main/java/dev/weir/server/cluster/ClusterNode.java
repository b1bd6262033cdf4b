package dev.weir.server.cluster;

import dev.weir.WeirException;
import dev.weir.store.Claimant;
import dev.weir.store.LeaseGrant;
import dev.weir.store.NodeRecord;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a member of the cluster of nodes sharing its store: it registers (a new epoch),
 * renews its lease every heartbeat, and adopts the runs of nodes whose lease ran out.
 *
 * <p>Three threads, so that none waits on another: the <em>heartbeat</em> renews the lease (and the
 * flows lease) on a connection pool of its own and nothing else; the <em>worker</em> ({@link
 * NodeWorker}) adopts orphaned runs and starts what the flows' queues have room for, every
 * heartbeat and when another node's signal {@link #wake wakes} it; the <em>watchdog</em> gives
 * every run up once the last renewal that started is 80 % of a lease old, even while a renewal
 * hangs — before any other node may adopt them, as the lease counts from the renewal's start on the
 * database's clock and the watchdog from before the call on this one. A node that lost its place
 * (its lease expired) gives its runs up and joins again with a new epoch; one whose id another live
 * process took retires: it executes nothing more.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  /** The lease of the node that watches the flows directory (and drives backfills). */
  static final String FLOWS_LEASE = "flows";

  /** What the node asks of the server it belongs to. */
  public interface Host {
    /** Stops executing every run, writing nothing more for them. */
    void giveUpRuns(String reason);

    /**
     * Takes over a run whose owner node is gone; false when it was not taken (someone was faster).
     */
    boolean adopt(RunRecord run);

    /** Starts what the flows' queues have room for, cluster-wide (runs ended on other nodes). */
    void drainQueues();

    /** Gives back pool slots no attempt here holds (found so twice, a heartbeat apart). */
    void releaseStraySlots();

    /** Another live process runs with this node's id: stop taking work. */
    void retire(String reason);

    /** Whether this server executes the run now. */
    boolean executes(String runId);

    /**
     * Executes a run this node owns but no coordinator here executes (a claim whose answer was
     * lost, a start that failed after the claim); false when it could not.
     */
    boolean resumeOwn(RunRecord run);
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
  private final AtomicBoolean tookFlowsFromOther = new AtomicBoolean();
  private volatile Host server;
  // when the last renewal that succeeded started, on this machine's monotonic clock
  private volatile long lastRenewal;
  private final AtomicBoolean gaveUp = new AtomicBoolean();
  private volatile boolean retired;
  private ScheduledExecutorService heartbeat;
  private volatile NodeWorker worker;
  private ScheduledExecutorService watchdog;

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
    long start = nanos.getAsLong();
    epoch = store.registerNode(nodeId, role, host, ProcessHandle.current().pid(), settings.lease());
    lastRenewal = start;
    gaveUp.set(false);
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
    if (!current() || !settings.role().coordinatesRuns()) {
      leadsFlows = false;
      return false;
    }
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

  /** Whether this node watches the flows directory for the cluster (and drives backfills). */
  public boolean leadsFlows() {
    return leadsFlows && current();
  }

  /**
   * Whether this node took the flows lease from another node since the last call: it takes the
   * store's revisions into its directory before it reads the directory, which may be behind.
   */
  public boolean tookFlowsFromOther() {
    return tookFlowsFromOther.getAndSet(false);
  }

  /**
   * Who this node claims runs as now.
   *
   * @throws WeirException when this node's lease is not current: it may start nothing now
   */
  public Claimant claimant() {
    if (!current()) {
      throw new WeirException(
          "cluster node "
              + nodeId
              + (retired
                  ? " retired: another process runs with its id"
                  : " cannot renew its lease just now")
              + "; it starts no run until it can (another node can)");
    }
    return Claimant.node(nodeId, epoch);
  }

  // the lease is surely current: renewed less than 80 % of a lease ago, not given up
  boolean current() {
    return !retired && !gaveUp.get() && nanos.getAsLong() - lastRenewal < giveUpAfterNanos();
  }

  private long giveUpAfterNanos() {
    return settings.lease().toNanos() / 5 * 4;
  }

  public String nodeId() {
    return nodeId;
  }

  public long epoch() {
    return epoch;
  }

  /**
   * Starts the heartbeat, the worker and the watchdog. Orphans (this node's own runs of its earlier
   * epoch among them) are adopted once at once, before the server serves.
   */
  public synchronized void start(Host host) {
    this.server = host;
    if (settings.role().coordinatesRuns()) { // a task worker's work is the attempt queue's
      worker = new NodeWorker(this, store, host, settings.heartbeat());
      worker.start();
    }
    long every = settings.heartbeat().toMillis();
    heartbeat = thread("weir-cluster-heartbeat");
    heartbeat.scheduleWithFixedDelay(this::beatQuietly, every, every, TimeUnit.MILLISECONDS);
    long check = Math.max(10, Math.min(every, settings.lease().toMillis() / 10));
    watchdog = thread("weir-cluster-watchdog");
    watchdog.scheduleWithFixedDelay(this::watch, check, check, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs a round of the worker now rather than at the next heartbeat: another node signalled work
   * (a run ended, a node left). Rounds asked for close together are one.
   */
  public void wake() {
    NodeWorker w = worker;
    if (w != null) {
      w.wake();
    }
  }

  private static ScheduledExecutorService thread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name(name).factory());
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (RuntimeException e) {
      log.warn("cluster node {}: heartbeat failed: {}", nodeId, e.getMessage());
    }
  }

  /** One heartbeat: renew, or find out why not (expired: join again; id taken: retire). */
  void beat() {
    if (retired) {
      return;
    }
    long start = nanos.getAsLong();
    boolean renewed;
    try {
      renewed = !gaveUp.get() && store.renewNode(nodeId, epoch, settings.lease());
    } catch (RuntimeException e) {
      log.warn(
          "cluster node {} cannot renew its lease ({} since the last renewal): {}",
          nodeId,
          Duration.ofNanos(start - lastRenewal),
          e.getMessage());
      return; // the watchdog gives the runs up in time
    }
    if (renewed) {
      lastRenewal = start;
    } else {
      if (idTakenByAnother()) {
        retire();
        return;
      }
      giveUp("its lease expired (epoch " + epoch + ")");
      register();
    }
    holdFlowsLease();
  }

  // the renewal was refused although this node did not give up: has another process its id?
  private boolean idTakenByAnother() {
    for (NodeRecord n : store.nodes()) {
      if (n.id().equals(nodeId) && n.epoch() > epoch && n.alive()) {
        return true;
      }
    }
    return false;
  }

  private void retire() {
    retired = true;
    leadsFlows = false;
    String why =
        "another process registered node id "
            + nodeId
            + " (pid or host differ); give each node its own --node-id";
    log.error("cluster node {} (epoch {}) retires: {}", nodeId, epoch, why);
    giveUp(why);
    Host h = server;
    if (h != null) {
      h.retire(why);
    }
  }

  // the lease may lapse any moment now: stop before another node may adopt
  private void watch() {
    long since = nanos.getAsLong() - lastRenewal;
    if (!gaveUp.get() && since >= giveUpAfterNanos()) {
      leadsFlows = false;
      giveUp("it could not renew its lease for " + Duration.ofNanos(since).toMillis() + " ms");
    }
  }

  private void giveUp(String why) {
    if (!gaveUp.compareAndSet(false, true)) {
      return;
    }
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

  /** Leaves the cluster: the lease ends now, so other nodes adopt what this node leaves at once. */
  @Override
  public synchronized void close() {
    for (var t : new ScheduledExecutorService[] {heartbeat, watchdog}) {
      if (t != null) {
        t.shutdownNow();
      }
    }
    if (worker != null) {
      worker.close();
    }
    if (retired) {
      return; // the id is another process's now
    }
    try {
      store.releaseLease(FLOWS_LEASE, nodeId, epoch);
      store.leaveCluster(nodeId, epoch);
    } catch (RuntimeException e) {
      log.warn("cluster node {} could not leave the cluster: {}", nodeId, e.getMessage());
    }
  }
}
