package dev.weir.store;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The state store on a JDBC database: an H2 file (the default) or PostgreSQL.
 *
 * <p>It opens the database (pool, migrations) and hands each call to the class of the table family
 * it concerns: {@link JdbcRevisions}, {@link JdbcRuns}, {@link JdbcRunOwnership}, {@link
 * JdbcNodes}, {@link JdbcBreakers}, {@link JdbcTaskRuns}, {@link JdbcAudits}, {@link JdbcLogs},
 * {@link JdbcFlowState}, {@link JdbcCheckResults}, {@link JdbcTaskProcesses} and {@link
 * JdbcRunParents}. A {@link Batch} spans several families in one transaction: {@link #write(Batch,
 * AlsoWrite)} opens it and each family writes its rows on its connection.
 */
public final class JdbcStateStore implements StateStore {
  private final HikariDataSource pool;
  private final DataSource ds;
  private final MembershipPool membership;
  private final IdleTransactionLimit idleLimit;
  private final String description;
  private final StoreRetry retry;
  private final JdbcWork work;
  private final JdbcRevisions revisions;
  private final JdbcRuns runs;
  private final JdbcRunOwnership ownership;
  private final JdbcNodes nodes;
  private final JdbcLeases leases;
  private final JdbcPoolSlots poolSlots;
  private final JdbcBreakers breakers;
  private final JdbcDeadLetters deadLetters;
  private final JdbcStreamOffsets streamOffsets;
  private final JdbcRunQueue queue;
  private final JdbcAttemptQueue attempts;
  private final JdbcTaskRuns taskRuns;
  private final JdbcAudits audits;
  private final JdbcLogs logs;
  private final JdbcFlowState flowState;
  private final JdbcCheckResults checks;
  private final JdbcTaskProcesses processes;
  private final JdbcRunParents parents;

  private JdbcStateStore(
      HikariDataSource pool,
      MembershipPool membership,
      IdleTransactionLimit idleLimit,
      String description,
      StoreRetry.Settings settings,
      RunsDialect dialect) {
    this.pool = pool;
    this.membership = membership;
    this.idleLimit = idleLimit;
    // every connection the store takes: a cluster node's get its idle-transaction limit
    DataSource ds = idleLimit.wrap(pool);
    this.ds = ds;
    this.description = description;
    this.retry = new StoreRetry(description, settings);
    this.work = new JdbcWork(ds, description, retry);
    this.revisions = new JdbcRevisions(ds, description, retry);
    this.runs = new JdbcRuns(ds, description, retry, dialect);
    this.ownership = new JdbcRunOwnership(work, dialect);
    // a heartbeat fails fast and alone; the next one tries again
    var beat =
        new JdbcWork(
            idleLimit.wrap(membership),
            description,
            new StoreRetry(description, StoreRetry.Settings.NONE));
    this.nodes = new JdbcNodes(beat);
    this.leases = new JdbcLeases(beat);
    this.poolSlots = new JdbcPoolSlots(work);
    // a breaker's bookkeeping fails at once: its gate lets the task go rather than hold it a minute
    this.breakers =
        new JdbcBreakers(
            new JdbcWork(ds, description, new StoreRetry(description, StoreRetry.Settings.NONE)));
    this.deadLetters = new JdbcDeadLetters(work);
    this.streamOffsets = new JdbcStreamOffsets(work);
    this.queue = new JdbcRunQueue(work);
    this.attempts = new JdbcAttemptQueue(work, dialect == RunsDialect.POSTGRESQL);
    this.taskRuns = new JdbcTaskRuns(ds, description, retry);
    this.audits = new JdbcAudits(ds, description, retry);
    this.logs = new JdbcLogs(ds, description, retry);
    this.flowState = new JdbcFlowState(ds, description, retry);
    this.checks = new JdbcCheckResults(ds, description, retry);
    this.processes = new JdbcTaskProcesses(ds, description, retry);
    this.parents = new JdbcRunParents(work);
  }

  /** How this store's units of work retry what can heal; for the server's own tables. */
  public StoreRetry retry() {
    return retry;
  }

  /** The embedded H2 store in {@code home} ({@code .weir/} beside a flow by default). */
  public static JdbcStateStore h2(Path home) {
    return open(StorePool.h2Url(home), null, null, "H2 store in " + home, home);
  }

  /** A store at a JDBC URL ({@code jdbc:postgresql://…} or {@code jdbc:h2:…}). */
  public static JdbcStateStore open(String url, String user, String password, String label) {
    return open(url, user, password, label, null);
  }

  private static JdbcStateStore open(
      String url, String user, String password, String label, Path home) {
    HikariDataSource ds = StorePool.open(url, user, password, home);
    return new JdbcStateStore(
        ds,
        new MembershipPool(() -> StorePool.membership(url, user, password)),
        new IdleTransactionLimit(url),
        label == null ? redact(url) : label,
        StoreRetry.Settings.DEFAULTS,
        RunsDialect.of(url));
  }

  static String redact(String url) {
    return dev.weir.util.JdbcUrls.redact(url);
  }

  @Override
  public String toString() {
    return description;
  }

  /** The store's connection pool, for the server's own tables beside the engine's. */
  public javax.sql.DataSource dataSource() {
    return ds;
  }

  @Override
  public void saveRevision(String hash, String namespace, String flowId, String file, String text) {
    revisions.save(hash, namespace, flowId, file, text);
  }

  @Override
  public void saveRevisions(List<Revision> list) {
    revisions.saveAll(list);
  }

  @Override
  public Optional<String> revisionText(String hash) {
    return revisions.text(hash);
  }

  @Override
  public Optional<Revision> revision(String hash) {
    return revisions.revision(hash);
  }

  @Override
  public void write(Batch batch) {
    if (batch.isEmpty()) {
      return;
    }
    write(batch, c -> {});
  }

  /** Rows of another component's tables, written in the transaction of a {@link Batch}. */
  public interface AlsoWrite {
    void write(Connection c) throws SQLException;
  }

  /**
   * Applies the batch and {@code also} in one transaction: a server records what a trigger fired
   * together with the runs it created, so a crash keeps both or neither.
   */
  public void write(Batch batch, AlsoWrite also) {
    work.run(c -> {
      if (batch.fence() != null) {
        ownership.checkFence(c, batch.fence());
      }
      JdbcRuns.insert(c, batch.insertRuns(), batch.owner());
      JdbcRuns.update(c, batch.updateRuns());
      JdbcTaskRuns.insert(c, batch.insertTaskRuns());
      JdbcTaskRuns.update(c, batch.updateTaskRuns());
      JdbcAudits.write(c, batch.audits());
      DatasetWrites.record(c, batch);
      also.write(c);
      return null;
    });
  }

  @Override
  public OptionalLong claimRun(RunRecord expected, Claimant who, boolean force) {
    return ownership.claim(expected, who, force);
  }

  @Override
  public boolean holds(Fence fence) {
    return ownership.holds(fence);
  }

  @Override
  public List<RunRecord> orphanedRuns(int limit) {
    return ownership.orphaned(limit);
  }

  @Override
  public List<RunRecord> runsOwnedBy(String nodeId, long epoch) {
    return ownership.ownedBy(nodeId, epoch);
  }

  @Override
  public long registerNode(String nodeId, String role, String host, long pid, Duration lease) {
    // a node frozen inside a transaction must not hold the rows of its runs past its lease
    idleLimit.set(lease);
    return nodes.register(nodeId, role, host, pid, lease);
  }

  @Override
  public boolean renewNode(String nodeId, long epoch, Duration lease) {
    return nodes.renew(nodeId, epoch, lease);
  }

  @Override
  public void leaveCluster(String nodeId, long epoch) {
    nodes.leave(nodeId, epoch);
  }

  @Override
  public List<NodeRecord> nodes() {
    return nodes.all();
  }

  @Override
  public LeaseGrant holdLease(String name, String nodeId, long epoch, Duration lease) {
    return leases.hold(name, nodeId, epoch, lease);
  }

  @Override
  public void releaseLease(String name, String nodeId, long epoch) {
    leases.release(name, nodeId, epoch);
  }

  @Override
  public List<ClaimedRun> claimQueued(String namespace, String flowId, int limit, Claimant who) {
    return queue.claim(namespace, flowId, limit, who);
  }

  @Override
  public int activeRuns(String namespace, String flowId) {
    return queue.active(namespace, flowId);
  }

  @Override
  public boolean endQueued(RunRecord ended) {
    return queue.endQueued(ended);
  }

  @Override
  public boolean dropQueued(String runId) {
    return queue.drop(runId);
  }

  @Override
  public List<QueuedFlow> queuedFlows() {
    return queue.queuedFlows();
  }

  @Override
  public void ensurePool(String pool, int size) {
    poolSlots.ensure(pool, size);
  }

  @Override
  public OptionalInt acquirePoolSlot(PoolClaim claim) {
    return poolSlots.acquire(claim);
  }

  @Override
  public void releasePoolSlot(PoolClaim claim, int slot) {
    poolSlots.release(claim, slot);
  }

  @Override
  public AttemptQueue attempts() {
    return attempts;
  }

  @Override
  public DeadLetterStore deadLetters() {
    return deadLetters;
  }

  @Override
  public BreakerStore circuitBreakers() {
    return breakers;
  }

  @Override
  public StreamOffsetStore streamOffsets() {
    return streamOffsets;
  }

  @Override
  public int poolSlotsInUse(String pool) {
    return poolSlots.inUse(pool);
  }

  @Override
  public List<HeldSlot> poolSlotsHeldBy(String nodeId, long epoch) {
    return poolSlots.heldBy(nodeId, epoch);
  }

  @Override
  public Optional<RunRecord> findRun(String runId) {
    return runs.find(runId);
  }

  @Override
  public List<RunRecord> findRunsByPrefix(String prefix, int limit) {
    return runs.findByPrefix(prefix, limit);
  }

  @Override
  public List<RunRecord> listRuns(RunQuery q) {
    return runs.list(q);
  }

  @Override
  public RunPage searchRuns(RunSearch s) {
    return runs.search(s);
  }

  @Override
  public Map<String, Instant> endedAt(Collection<String> runIds) {
    return runs.endedAt(runIds);
  }

  @Override
  public List<TaskRunRecord> taskRuns(String runId) {
    return taskRuns.ofRun(runId);
  }

  @Override
  public List<TaskAuditRecord> audits(String runId) {
    return audits.ofRun(runId);
  }

  @Override
  public void appendLogs(List<LogLine> lines) {
    logs.append(lines);
  }

  @Override
  public List<LogLine> logs(String runId, String taskId) {
    return logs.of(runId, taskId);
  }

  @Override
  public int deleteLogsOfRunsEndedBefore(Instant cutoff) {
    return logs.deleteOfRunsEndedBefore(cutoff);
  }

  @Override
  public Optional<String> getState(String namespace, String flowId, String taskId, String key) {
    return flowState.get(namespace, flowId, taskId, key);
  }

  @Override
  public void putState(String namespace, String flowId, String taskId, String key, String value) {
    flowState.put(namespace, flowId, taskId, key, value);
  }

  /** Whether a failed insert hit an existing key (SQLSTATE 23505 on H2 and PostgreSQL). */
  public static boolean isDuplicateKey(Throwable e) {
    return JdbcWork.isDuplicateKey(e);
  }

  @Override
  public void saveChecks(String runId, String taskId, int attempt, List<CheckRecord> results) {
    checks.save(runId, taskId, attempt, results);
  }

  @Override
  public List<CheckRecord> checks(String runId) {
    return checks.ofRun(runId);
  }

  @Override
  public List<CheckRecord> checkHistory(
      String namespace, String flowId, String dataset, int limit) {
    return checks.history(namespace, flowId, dataset, limit);
  }

  @Override
  public List<Long> rowCountHistory(
      String namespace, String flowId, String taskId, String exceptRunId, int limit) {
    return checks.rowCounts(namespace, flowId, taskId, exceptRunId, limit);
  }

  @Override
  public List<DatasetWrite> lastDatasetWrites() {
    return checks.lastWrites();
  }

  @Override
  public void recordProcess(TaskProcess process) {
    processes.record(process);
  }

  @Override
  public List<TaskProcess> processes(String runId) {
    return processes.ofRun(runId);
  }

  @Override
  public void recordParent(RunParent parent) {
    parents.record(parent);
  }

  @Override
  public Optional<RunParent> parentOf(String runId) {
    return parents.parentOf(runId);
  }

  @Override
  public List<RunParent> children(String parentRunId, String taskId) {
    return parents.children(parentRunId, taskId);
  }

  @Override
  public void close() {
    membership.close();
    pool.close();
  }
}
