package dev.weir.bench;

import dev.weir.store.CheckRecord;
import dev.weir.store.LogLine;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A store that notes when each {@link #write} began and ended, so the benchmark can tell the time
 * spent in the store from the time spent in the engine.
 */
final class TimedStore implements StateStore {
  private final StateStore store;
  private long[] begins = new long[1024];
  private long[] ends = new long[1024];
  private int[] rows = new int[1024];
  private int count;
  private long logAppends;
  private long logLines;
  private long logNanos;
  private final boolean dropAudits;
  private final dev.weir.store.AttemptQueue attempts;

  TimedStore(StateStore store) {
    this(store, false);
  }

  /**
   * @param dropAudits write batches without their audit rows (the cost of the audit trail off)
   */
  TimedStore(StateStore store, boolean dropAudits) {
    this(store, dropAudits, store.attempts());
  }

  /**
   * @param attempts the attempt queue the engine and the workers use through this store
   */
  TimedStore(StateStore store, boolean dropAudits, dev.weir.store.AttemptQueue attempts) {
    this.store = store;
    this.dropAudits = dropAudits;
    this.attempts = attempts;
  }

  @Override
  public void write(Batch batch) {
    if (dropAudits && !batch.audits().isEmpty()) {
      batch =
          new Batch(
              batch.insertRuns(),
              batch.updateRuns(),
              batch.insertTaskRuns(),
              batch.updateTaskRuns());
    }
    long begin = System.nanoTime();
    store.write(batch);
    long end = System.nanoTime();
    int n =
        batch.insertRuns().size()
            + batch.updateRuns().size()
            + batch.insertTaskRuns().size()
            + batch.updateTaskRuns().size();
    noteWrite(begin, end, n);
  }

  private synchronized void noteWrite(long begin, long end, int n) {
    if (count == begins.length) {
      begins = Arrays.copyOf(begins, count * 2);
      ends = Arrays.copyOf(ends, count * 2);
      rows = Arrays.copyOf(rows, count * 2);
    }
    begins[count] = begin;
    ends[count] = end;
    rows[count] = n;
    count++;
  }

  /** What the writes so far looked like. */
  synchronized Writes writes() {
    return new Writes(
        Arrays.copyOf(begins, count), Arrays.copyOf(ends, count), Arrays.copyOf(rows, count));
  }

  /** Begin and end times (nanoTime) and row counts of each write, in order. */
  record Writes(long[] begins, long[] ends, int[] rows) {
    int count() {
      return begins.length;
    }

    long totalRows() {
      return Arrays.stream(rows).asLongStream().sum();
    }

    long[] durations() {
      long[] d = new long[begins.length];
      for (int i = 0; i < d.length; i++) {
        d[i] = ends[i] - begins[i];
      }
      return d;
    }

    /** The first write that began at or after {@code nanos}, or -1. */
    int firstBeginningAt(long nanos) {
      int i = Arrays.binarySearch(begins, nanos);
      i = i < 0 ? -i - 1 : i;
      return i < begins.length ? i : -1;
    }
  }

  @Override
  public void saveRevision(String hash, String namespace, String flowId, String file, String text) {
    store.saveRevision(hash, namespace, flowId, file, text);
  }

  @Override
  public void saveRevisions(List<Revision> revisions) {
    store.saveRevisions(revisions);
  }

  @Override
  public Optional<String> revisionText(String hash) {
    return store.revisionText(hash);
  }

  @Override
  public Optional<Revision> revision(String hash) {
    return store.revision(hash);
  }

  @Override
  public Optional<RunRecord> findRun(String runId) {
    return store.findRun(runId);
  }

  @Override
  public boolean holds(dev.weir.store.Fence fence) {
    return store.holds(fence);
  }

  @Override
  public java.util.OptionalLong claimRun(
      RunRecord expected, dev.weir.store.Claimant who, boolean force) {
    return store.claimRun(expected, who, force);
  }

  @Override
  public List<RunRecord> orphanedRuns(int limit) {
    return store.orphanedRuns(limit);
  }

  @Override
  public List<RunRecord> runsOwnedBy(String nodeId, long epoch) {
    return store.runsOwnedBy(nodeId, epoch);
  }

  @Override
  public long registerNode(
      String nodeId, String role, String host, long pid, java.time.Duration lease) {
    return store.registerNode(nodeId, role, host, pid, lease);
  }

  @Override
  public boolean renewNode(String nodeId, long epoch, java.time.Duration lease) {
    return store.renewNode(nodeId, epoch, lease);
  }

  @Override
  public void leaveCluster(String nodeId, long epoch) {
    store.leaveCluster(nodeId, epoch);
  }

  @Override
  public List<dev.weir.store.NodeRecord> nodes() {
    return store.nodes();
  }

  @Override
  public dev.weir.store.LeaseGrant holdLease(
      String name, String nodeId, long epoch, java.time.Duration lease) {
    return store.holdLease(name, nodeId, epoch, lease);
  }

  @Override
  public void releaseLease(String name, String nodeId, long epoch) {
    store.releaseLease(name, nodeId, epoch);
  }

  @Override
  public List<dev.weir.store.ClaimedRun> claimQueued(
      String namespace, String flowId, int limit, dev.weir.store.Claimant who) {
    return store.claimQueued(namespace, flowId, limit, who);
  }

  @Override
  public int activeRuns(String namespace, String flowId) {
    return store.activeRuns(namespace, flowId);
  }

  @Override
  public boolean endQueued(RunRecord ended) {
    return store.endQueued(ended);
  }

  @Override
  public boolean dropQueued(String runId) {
    return store.dropQueued(runId);
  }

  @Override
  public List<QueuedFlow> queuedFlows() {
    return store.queuedFlows();
  }

  @Override
  public dev.weir.store.AttemptQueue attempts() {
    return attempts;
  }

  @Override
  public void ensurePool(String pool, int size) {
    store.ensurePool(pool, size);
  }

  @Override
  public java.util.OptionalInt acquirePoolSlot(dev.weir.store.PoolClaim claim) {
    return store.acquirePoolSlot(claim);
  }

  @Override
  public void releasePoolSlot(dev.weir.store.PoolClaim claim, int slot) {
    store.releasePoolSlot(claim, slot);
  }

  @Override
  public int poolSlotsInUse(String pool) {
    return store.poolSlotsInUse(pool);
  }

  @Override
  public List<HeldSlot> poolSlotsHeldBy(String nodeId, long epoch) {
    return store.poolSlotsHeldBy(nodeId, epoch);
  }

  @Override
  public dev.weir.store.BreakerStore circuitBreakers() {
    return store.circuitBreakers();
  }

  @Override
  public dev.weir.store.DeadLetterStore deadLetters() {
    return store.deadLetters();
  }

  @Override
  public dev.weir.store.StreamOffsetStore streamOffsets() {
    return store.streamOffsets();
  }

  @Override
  public List<RunRecord> findRunsByPrefix(String prefix, int limit) {
    return store.findRunsByPrefix(prefix, limit);
  }

  @Override
  public List<RunRecord> listRuns(RunQuery query) {
    return store.listRuns(query);
  }

  @Override
  public dev.weir.store.RunPage searchRuns(dev.weir.store.RunSearch search) {
    return store.searchRuns(search);
  }

  @Override
  public List<TaskRunRecord> taskRuns(String runId) {
    return store.taskRuns(runId);
  }

  @Override
  public List<dev.weir.store.TaskAuditRecord> audits(String runId) {
    return store.audits(runId);
  }

  @Override
  public java.util.Map<String, java.time.Instant> endedAt(java.util.Collection<String> runIds) {
    return store.endedAt(runIds);
  }

  @Override
  public void appendLogs(List<LogLine> lines) {
    long begin = System.nanoTime();
    store.appendLogs(lines);
    long took = System.nanoTime() - begin;
    synchronized (this) {
      logAppends++;
      logLines += lines.size();
      logNanos += took;
    }
  }

  /** {appends, lines, nanoseconds} of the log lines written so far. */
  synchronized long[] logs() {
    return new long[] {logAppends, logLines, logNanos};
  }

  @Override
  public List<LogLine> logs(String runId, String taskId) {
    return store.logs(runId, taskId);
  }

  @Override
  public int deleteLogsOfRunsEndedBefore(java.time.Instant cutoff) {
    return store.deleteLogsOfRunsEndedBefore(cutoff);
  }

  @Override
  public Optional<String> getState(String namespace, String flowId, String taskId, String key) {
    return store.getState(namespace, flowId, taskId, key);
  }

  @Override
  public void putState(String namespace, String flowId, String taskId, String key, String value) {
    store.putState(namespace, flowId, taskId, key, value);
  }

  @Override
  public void saveChecks(String runId, String taskId, int attempt, List<CheckRecord> checks) {
    store.saveChecks(runId, taskId, attempt, checks);
  }

  @Override
  public List<CheckRecord> checks(String runId) {
    return store.checks(runId);
  }

  @Override
  public List<CheckRecord> checkHistory(
      String namespace, String flowId, String dataset, int limit) {
    return store.checkHistory(namespace, flowId, dataset, limit);
  }

  @Override
  public List<Long> rowCountHistory(
      String namespace, String flowId, String taskId, String exceptRunId, int limit) {
    return store.rowCountHistory(namespace, flowId, taskId, exceptRunId, limit);
  }

  @Override
  public List<dev.weir.store.DatasetWrite> lastDatasetWrites() {
    return store.lastDatasetWrites();
  }

  @Override
  public void recordProcess(dev.weir.store.TaskProcess process) {
    store.recordProcess(process);
  }

  @Override
  public List<dev.weir.store.TaskProcess> processes(String runId) {
    return store.processes(runId);
  }

  @Override
  public void recordParent(dev.weir.store.RunParent parent) {
    store.recordParent(parent);
  }

  @Override
  public Optional<dev.weir.store.RunParent> parentOf(String runId) {
    return store.parentOf(runId);
  }

  @Override
  public List<dev.weir.store.RunParent> children(String parentRunId, String taskId) {
    return store.children(parentRunId, taskId);
  }

  @Override
  public void close() {
    store.close();
  }
}
