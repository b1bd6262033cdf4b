package dev.weir.store;

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

/**
 * The state store on a JDBC database: an H2 file (the default) or PostgreSQL.
 *
 * <p>{@link JdbcFamilies} opens the database (pools, migrations) and wires the class of each table
 * family on it; this facade hands each call to the family it concerns: {@link JdbcRevisions},
 * {@link JdbcRuns}, {@link JdbcRunOwnership}, {@link JdbcNodes}, {@link JdbcLeases}, {@link
 * JdbcRunQueue}, {@link JdbcPoolSlots}, {@link JdbcAttemptQueue}, {@link JdbcDeadLetters}, {@link
 * JdbcBreakers}, {@link JdbcStreamOffsets}, {@link JdbcTaskRuns}, {@link JdbcAudits}, {@link
 * JdbcLogs}, {@link JdbcFlowState}, {@link JdbcCheckResults}, {@link JdbcTaskProcesses} and {@link
 * JdbcRunParents}. A {@link Batch} spans several families in one transaction: {@link #write(Batch,
 * AlsoWrite)} opens it and each family writes its rows on its connection.
 */
public final class JdbcStateStore implements StateStore {
  private final JdbcFamilies db;

  private JdbcStateStore(JdbcFamilies db) {
    this.db = db;
  }

  /** How this store's units of work retry what can heal; for the server's own tables. */
  public StoreRetry retry() {
    return db.retry;
  }

  /** The embedded H2 store in {@code home} ({@code .weir/} beside a flow by default). */
  public static JdbcStateStore h2(Path home) {
    return new JdbcStateStore(
        JdbcFamilies.open(StorePool.h2Url(home), null, null, "H2 store in " + home, home));
  }

  /** A store at a JDBC URL ({@code jdbc:postgresql://…} or {@code jdbc:h2:…}). */
  public static JdbcStateStore open(String url, String user, String password, String label) {
    return new JdbcStateStore(JdbcFamilies.open(url, user, password, label, null));
  }

  @Override
  public String toString() {
    return db.description;
  }

  /** The store's connection pool, for the server's own tables beside the engine's. */
  public javax.sql.DataSource dataSource() {
    return db.ds;
  }

  @Override
  public void saveRevision(String hash, String namespace, String flowId, String file, String text) {
    db.revisions.save(hash, namespace, flowId, file, text);
  }

  @Override
  public void saveRevisions(List<Revision> list) {
    db.revisions.saveAll(list);
  }

  @Override
  public Optional<String> revisionText(String hash) {
    return db.revisions.text(hash);
  }

  @Override
  public Optional<Revision> revision(String hash) {
    return db.revisions.revision(hash);
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
    db.work.run(c -> {
      if (batch.fence() != null) {
        db.ownership.checkFence(c, batch.fence());
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
    return db.ownership.claim(expected, who, force);
  }

  @Override
  public boolean holds(Fence fence) {
    return db.ownership.holds(fence);
  }

  @Override
  public List<RunRecord> orphanedRuns(int limit) {
    return db.ownership.orphaned(limit);
  }

  @Override
  public List<RunRecord> runsOwnedBy(String nodeId, long epoch) {
    return db.ownership.ownedBy(nodeId, epoch);
  }

  @Override
  public long registerNode(String nodeId, String role, String host, long pid, Duration lease) {
    // a node frozen inside a transaction must not hold the rows of its runs past its lease
    db.idleLimit.set(lease);
    return db.nodes.register(nodeId, role, host, pid, lease);
  }

  @Override
  public boolean renewNode(String nodeId, long epoch, Duration lease) {
    return db.nodes.renew(nodeId, epoch, lease);
  }

  @Override
  public void leaveCluster(String nodeId, long epoch) {
    db.nodes.leave(nodeId, epoch);
  }

  @Override
  public List<NodeRecord> nodes() {
    return db.nodes.all();
  }

  @Override
  public LeaseGrant holdLease(String name, String nodeId, long epoch, Duration lease) {
    return db.leases.hold(name, nodeId, epoch, lease);
  }

  @Override
  public void releaseLease(String name, String nodeId, long epoch) {
    db.leases.release(name, nodeId, epoch);
  }

  @Override
  public List<ClaimedRun> claimQueued(String namespace, String flowId, int limit, Claimant who) {
    return db.queue.claim(namespace, flowId, limit, who);
  }

  @Override
  public int activeRuns(String namespace, String flowId) {
    return db.queue.active(namespace, flowId);
  }

  @Override
  public boolean endQueued(RunRecord ended) {
    return db.queue.endQueued(ended);
  }

  @Override
  public boolean dropQueued(String runId) {
    return db.queue.drop(runId);
  }

  @Override
  public List<QueuedFlow> queuedFlows() {
    return db.queue.queuedFlows();
  }

  @Override
  public void ensurePool(String pool, int size) {
    db.poolSlots.ensure(pool, size);
  }

  @Override
  public OptionalInt acquirePoolSlot(PoolClaim claim) {
    return db.poolSlots.acquire(claim);
  }

  @Override
  public void releasePoolSlot(PoolClaim claim, int slot) {
    db.poolSlots.release(claim, slot);
  }

  @Override
  public AttemptQueue attempts() {
    return db.attempts;
  }

  @Override
  public DeadLetterStore deadLetters() {
    return db.deadLetters;
  }

  @Override
  public BreakerStore circuitBreakers() {
    return db.breakers;
  }

  @Override
  public StreamOffsetStore streamOffsets() {
    return db.streamOffsets;
  }

  @Override
  public int poolSlotsInUse(String pool) {
    return db.poolSlots.inUse(pool);
  }

  @Override
  public List<HeldSlot> poolSlotsHeldBy(String nodeId, long epoch) {
    return db.poolSlots.heldBy(nodeId, epoch);
  }

  @Override
  public Optional<RunRecord> findRun(String runId) {
    return db.runs.find(runId);
  }

  @Override
  public List<RunRecord> findRunsByPrefix(String prefix, int limit) {
    return db.runs.findByPrefix(prefix, limit);
  }

  @Override
  public List<RunRecord> listRuns(RunQuery q) {
    return db.runs.list(q);
  }

  @Override
  public RunPage searchRuns(RunSearch s) {
    return db.runs.search(s);
  }

  @Override
  public Map<String, Instant> endedAt(Collection<String> runIds) {
    return db.runs.endedAt(runIds);
  }

  @Override
  public List<TaskRunRecord> taskRuns(String runId) {
    return db.taskRuns.ofRun(runId);
  }

  @Override
  public List<TaskAuditRecord> audits(String runId) {
    return db.audits.ofRun(runId);
  }

  @Override
  public void appendLogs(List<LogLine> lines) {
    db.logs.append(lines);
  }

  @Override
  public List<LogLine> logs(String runId, String taskId) {
    return db.logs.of(runId, taskId);
  }

  @Override
  public int deleteLogsOfRunsEndedBefore(Instant cutoff) {
    return db.logs.deleteOfRunsEndedBefore(cutoff);
  }

  @Override
  public Optional<String> getState(String namespace, String flowId, String taskId, String key) {
    return db.flowState.get(namespace, flowId, taskId, key);
  }

  @Override
  public void putState(String namespace, String flowId, String taskId, String key, String value) {
    db.flowState.put(namespace, flowId, taskId, key, value);
  }

  /** Whether a failed insert hit an existing key (SQLSTATE 23505 on H2 and PostgreSQL). */
  public static boolean isDuplicateKey(Throwable e) {
    return JdbcWork.isDuplicateKey(e);
  }

  @Override
  public void saveChecks(String runId, String taskId, int attempt, List<CheckRecord> results) {
    db.checks.save(runId, taskId, attempt, results);
  }

  @Override
  public List<CheckRecord> checks(String runId) {
    return db.checks.ofRun(runId);
  }

  @Override
  public List<CheckRecord> checkHistory(
      String namespace, String flowId, String dataset, int limit) {
    return db.checks.history(namespace, flowId, dataset, limit);
  }

  @Override
  public List<Long> rowCountHistory(
      String namespace, String flowId, String taskId, String exceptRunId, int limit) {
    return db.checks.rowCounts(namespace, flowId, taskId, exceptRunId, limit);
  }

  @Override
  public List<DatasetWrite> lastDatasetWrites() {
    return db.checks.lastWrites();
  }

  @Override
  public void recordProcess(TaskProcess process) {
    db.processes.record(process);
  }

  @Override
  public List<TaskProcess> processes(String runId) {
    return db.processes.ofRun(runId);
  }

  @Override
  public void recordParent(RunParent parent) {
    db.parents.record(parent);
  }

  @Override
  public Optional<RunParent> parentOf(String runId) {
    return db.parents.parentOf(runId);
  }

  @Override
  public List<RunParent> children(String parentRunId, String taskId) {
    return db.parents.children(parentRunId, taskId);
  }

  @Override
  public void close() {
    db.close();
  }
}
