package dev.weir.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where runs, task attempts, logs and flow state live. Every engine transition is written through
 * {@link #write(Batch)} before the engine acts on it.
 *
 * <p>Implementations: {@link JdbcStateStore} on H2 (embedded default) and PostgreSQL; both pass the
 * same contract test suite. Every method a store must act on is abstract; the few defaults ({@link
 * #saveRevisions}, {@link #resolveRun}, {@link #endedAt}) are answers derived from other methods,
 * right for any store, that a store may give in fewer queries.
 */
public interface StateStore extends AutoCloseable {

  /** Saves a flow revision's text once (by hash). */
  void saveRevision(String hash, String namespace, String flowId, String file, String text);

  /** A flow revision's text, saved once by its hash. */
  record Revision(String hash, String namespace, String flowId, String file, String text) {}

  /**
   * Saves several revisions' texts (those not saved yet) in as few transactions as it can: a server
   * starting with thousands of new flows must not commit once per flow.
   */
  default void saveRevisions(List<Revision> revisions) {
    for (Revision r : revisions) {
      saveRevision(r.hash(), r.namespace(), r.flowId(), r.file(), r.text());
    }
  }

  Optional<String> revisionText(String hash);

  /** A flow revision with the file it was first saved from (a path on the node that saved it). */
  Optional<Revision> revision(String hash);

  /** Applies every change of the batch in one transaction. */
  void write(Batch batch);

  Optional<RunRecord> findRun(String runId);

  /**
   * Takes a run over for {@code who}: only if it is still in the state, attempt and owner of {@code
   * expected} (two resumes racing: one wins), and, unless {@code force}, only if no live cluster
   * node owns it (its owner node's lease expired on the database's clock, or the node started again
   * since). Raises the run's fence.
   *
   * @return the run's new fencing token (see {@link Fence}), empty when the run was not taken
   */
  OptionalLong claimRun(RunRecord expected, Claimant who, boolean force);

  /**
   * Whether the run's claim is still the one {@code fence} names: false once another claim took the
   * run (a node that did not write for a while asks, told that its run may be gone).
   */
  boolean holds(Fence fence);

  /**
   * Runs still RUNNING or QUEUED whose owner node is gone: its lease expired, or it started again
   * with a newer epoch. Oldest first, at most {@code limit}. Another node adopts them ({@link
   * #claimRun}).
   */
  List<RunRecord> orphanedRuns(int limit);

  /**
   * Runs still RUNNING or QUEUED that a node owns in an epoch, oldest first: a live node checks
   * that it executes each (a claim whose answer was lost, a start that failed after the claim).
   */
  List<RunRecord> runsOwnedBy(String nodeId, long epoch);

  // ---- cluster membership

  /**
   * A node (re)joins the cluster: its epoch goes up by one (1 the first time) and its lease runs
   * {@code lease} from now on the database's clock. Runs it owned in an earlier epoch are orphaned
   * from now on.
   *
   * @return the node's new epoch
   */
  long registerNode(String nodeId, String role, String host, long pid, Duration lease);

  /**
   * Extends a node's lease to {@code lease} from now on the database's clock, only while the node
   * is still in {@code epoch} and its lease has not expired.
   *
   * @return false when the node lost its place: it must stop executing its runs and register again
   */
  boolean renewNode(String nodeId, long epoch, Duration lease);

  /** A node stopping: its lease ends now, so other nodes adopt what it leaves at once. */
  void leaveCluster(String nodeId, long epoch);

  /** Every node that ever registered, by id, with whether its lease is current. */
  List<NodeRecord> nodes();

  /**
   * Takes or renews the lease {@code name} (a duty one node does for the cluster) for {@code lease}
   * from now on the database's clock: granted when the node holds it already in this epoch, held it
   * in an earlier epoch, or its holder let it lapse.
   */
  LeaseGrant holdLease(String name, String nodeId, long epoch, Duration lease);

  /** Gives a lease up now, if this node in this epoch holds it: another node takes it at once. */
  void releaseLease(String name, String nodeId, long epoch);

  // ---- the queue of runs waiting for their flow's concurrency limit, shared by the cluster

  /**
   * Takes, for {@code who}, the oldest QUEUED runs nobody owns of a flow, as many as the flow has
   * free places under {@code limit} counting the runs going on every node. Two nodes asking at once
   * never take more than the free places between them.
   *
   * @return the runs taken, oldest first, each with its fencing token
   */
  List<ClaimedRun> claimQueued(String namespace, String flowId, int limit, Claimant who);

  /** How many runs of a flow count against its concurrency limit now, on every node. */
  int activeRuns(String namespace, String flowId);

  /**
   * Writes {@code ended} (its state, end and error) only if the run is still QUEUED and nobody took
   * it.
   *
   * @return false when a node took it first
   */
  boolean endQueued(RunRecord ended);

  /** Deletes a run only if it is still QUEUED and nobody took it; false otherwise. */
  boolean dropQueued(String runId);

  /** A flow with runs waiting for its concurrency limit. */
  record QueuedFlow(String namespace, String flowId, int runs, Instant oldest) {}

  /** Every flow with runs waiting in the queue, with how many and since when. */
  List<QueuedFlow> queuedFlows();

  /** Task attempts routed to workers: queued by coordinators, claimed by workers. */
  AttemptQueue attempts();

  // ---- pools shared by the nodes of a cluster

  /** Makes sure slots {@code 0..size-1} of the pool exist (each node does, for its config). */
  void ensurePool(String pool, int size);

  /**
   * Takes a free slot of the pool for a task attempt: one no attempt holds, or whose node is gone
   * (on the database's clock).
   *
   * @return the slot taken, or empty when none of the first {@code claim.size()} is free now
   */
  OptionalInt acquirePoolSlot(PoolClaim claim);

  /** Gives back a slot {@link #acquirePoolSlot} gave for this claim; anything else is left. */
  void releasePoolSlot(PoolClaim claim, int slot);

  /** How many slots of the pool live nodes' attempts hold now, cluster-wide. */
  int poolSlotsInUse(String pool);

  /** A pool slot and the attempt holding it. */
  record HeldSlot(String pool, int slot, String runId, String taskId, int attempt) {}

  /** The pool slots a node holds in an epoch (to give back those no attempt of it holds). */
  List<HeldSlot> poolSlotsHeldBy(String nodeId, long epoch);

  /** Circuit breakers shared by the nodes of a cluster, one per connection name. */
  BreakerStore circuitBreakers();

  /** The index of dead-letter batches: records tasks set aside, and where they are. */
  DeadLetterStore deadLetters();

  /** Positions of change data capture streams, per task of a flow. */
  StreamOffsetStore streamOffsets();

  /** Runs whose id starts with {@code prefix}, newest first, at most {@code limit}. */
  List<RunRecord> findRunsByPrefix(String prefix, int limit);

  List<RunRecord> listRuns(RunQuery query);

  /**
   * A page of the runs list with the number of runs its filter matches; the next page is {@code
   * search.next(page)}. Paging through every page gives every run that existed throughout, once
   * each, in the order of the sort.
   */
  RunPage searchRuns(RunSearch search);

  /**
   * The run with this id, or the only one whose id starts with it.
   *
   * @throws dev.weir.WeirException when there is none or the prefix is ambiguous
   */
  default RunRecord resolveRun(String idOrPrefix) {
    Optional<RunRecord> exact = findRun(idOrPrefix);
    if (exact.isPresent()) {
      return exact.get();
    }
    List<RunRecord> matches = findRunsByPrefix(idOrPrefix, 5);
    if (matches.size() == 1) {
      return matches.get(0);
    }
    throw new dev.weir.WeirException(
        matches.isEmpty()
            ? "no run '" + idOrPrefix + "' in " + this + "; list runs with `weir runs list`"
            : "run id '"
                + idOrPrefix
                + "' is ambiguous, it starts "
                + matches.stream().map(RunRecord::id).toList()
                + "; give more characters");
  }

  /** Every attempt of every task of a run, in (task order of insertion, attempt) order. */
  List<TaskRunRecord> taskRuns(String runId);

  /**
   * The audit facts of every ended attempt of a run (written with the attempt's end, see {@link
   * Batch#audits()}), by task id and attempt.
   */
  List<TaskAuditRecord> audits(String runId);

  void appendLogs(List<LogLine> lines);

  /** Log lines of a run, optionally of one task, in the order they were written. */
  List<LogLine> logs(String runId, String taskId);

  /**
   * Deletes the log lines of runs that ended before {@code cutoff} (log retention); a run still
   * going keeps its lines however old they are.
   *
   * @return how many lines were deleted
   */
  int deleteLogsOfRunsEndedBefore(Instant cutoff);

  /** When each of these runs ended; runs unknown to the store or not ended are left out. */
  default Map<String, Instant> endedAt(Collection<String> runIds) {
    var out = new HashMap<String, Instant>();
    for (String id : runIds) {
      findRun(id)
          .filter(r -> r.endedAt() != null && r.state().isTerminal())
          .ifPresent(r -> out.put(id, r.endedAt()));
    }
    return out;
  }

  Optional<String> getState(String namespace, String flowId, String taskId, String key);

  void putState(String namespace, String flowId, String taskId, String key, String value);

  /**
   * Stores the quality check results of one task attempt, replacing what that attempt stored before
   * (an attempt re-run after a crash writes its results again).
   */
  void saveChecks(String runId, String taskId, int attempt, List<CheckRecord> checks);

  /** Check results of a run, every attempt, in the order they were checked. */
  List<CheckRecord> checks(String runId);

  /**
   * Check results of a flow's runs, newest first, at most {@code limit}; of the checks of one
   * dataset (the id of the task that staged it) unless {@code dataset} is null.
   */
  List<CheckRecord> checkHistory(String namespace, String flowId, String dataset, int limit);

  /**
   * Rows of task {@code taskId}'s dataset in the last {@code limit} SUCCEEDED runs of a flow other
   * than {@code exceptRunId}, newest first; runs where the task did not succeed are left out.
   */
  List<Long> rowCountHistory(
      String namespace, String flowId, String taskId, String exceptRunId, int limit);

  /**
   * For every task of every flow that ever staged a dataset in a SUCCEEDED attempt, the newest such
   * attempt: the freshness of each dataset the flows write. One row per dataset, kept as attempts
   * end (schema v11), so it costs the same however many task runs are stored.
   */
  List<DatasetWrite> lastDatasetWrites();

  /**
   * Remembers a process a task attempt started, at once and on its own: it must be known even if
   * this process is killed a moment later: resuming a run ends the processes it left.
   */
  void recordProcess(TaskProcess process);

  /** The processes the attempts of a run started (see {@link #recordProcess}). */
  List<TaskProcess> processes(String runId);

  /**
   * Records that a {@code subflow} task started run {@code parent.runId()}; recording the same run
   * again changes nothing.
   */
  void recordParent(RunParent parent);

  /** What started this run, when a subflow task did. */
  Optional<RunParent> parentOf(String runId);

  /**
   * The runs subflow tasks of run {@code parentRunId} started, oldest first; of task {@code taskId}
   * only, unless it is null.
   */
  List<RunParent> children(String parentRunId, String taskId);

  @Override
  void close();

  /**
   * Filters for {@link #listRuns}; nulls mean "any".
   *
   * @param from runs created at or after this instant
   * @param to runs created before this instant
   */
  record RunQuery(
      String namespace, String flowId, RunState state, Instant from, Instant to, int limit) {
    public RunQuery(String namespace, String flowId, RunState state, int limit) {
      this(namespace, flowId, state, null, null, limit);
    }

    /** The same filters as a {@link RunFilter}. */
    public RunFilter filter() {
      return RunFilter.ANY
          .withFlow(namespace, flowId)
          .withStates(state == null ? List.of() : List.of(state))
          .within(RunFilter.TimeField.CREATED, from, to);
    }

    public static RunQuery latest(int limit) {
      return new RunQuery(null, null, null, limit);
    }
  }

  /**
   * Changes applied together.
   *
   * @param audits audit facts of attempts that end in this batch
   * @param fence the claim of the run the batch is about, or null for a write that needs none (a
   *     new run, a scheduler's rows)
   * @param owner who owns the runs the batch inserts (see {@link #ownedBy}); null for nobody yet
   */
  record Batch(
      List<RunRecord> insertRuns,
      List<RunRecord> updateRuns,
      List<TaskRunRecord> insertTaskRuns,
      List<TaskRunRecord> updateTaskRuns,
      List<TaskAuditRecord> audits,
      Fence fence,
      Claimant owner) {
    public Batch {
      insertRuns = List.copyOf(insertRuns);
      updateRuns = List.copyOf(updateRuns);
      insertTaskRuns = List.copyOf(insertTaskRuns);
      updateTaskRuns = List.copyOf(updateTaskRuns);
      audits = audits == null ? List.of() : List.copyOf(audits);
    }

    public Batch(
        List<RunRecord> insertRuns,
        List<RunRecord> updateRuns,
        List<TaskRunRecord> insertTaskRuns,
        List<TaskRunRecord> updateTaskRuns,
        List<TaskAuditRecord> audits) {
      this(insertRuns, updateRuns, insertTaskRuns, updateTaskRuns, audits, null, null);
    }

    /**
     * This batch, written only while its run holds {@code f}: otherwise nothing of it is written
     * and the write fails with {@link FencedOffException}.
     */
    public Batch fenced(Fence f) {
      return new Batch(insertRuns, updateRuns, insertTaskRuns, updateTaskRuns, audits, f, owner);
    }

    /**
     * This batch, its new runs claimed by {@code who} as they are inserted: their fencing token is
     * 1 (a run is never without an owner between its insert and its claim, where a crash would
     * leave it to nobody).
     */
    public Batch ownedBy(Claimant who) {
      return new Batch(insertRuns, updateRuns, insertTaskRuns, updateTaskRuns, audits, fence, who);
    }

    public Batch(
        List<RunRecord> insertRuns,
        List<RunRecord> updateRuns,
        List<TaskRunRecord> insertTaskRuns,
        List<TaskRunRecord> updateTaskRuns) {
      this(insertRuns, updateRuns, insertTaskRuns, updateTaskRuns, List.of());
    }

    public boolean isEmpty() {
      return insertRuns.isEmpty()
          && updateRuns.isEmpty()
          && insertTaskRuns.isEmpty()
          && updateTaskRuns.isEmpty()
          && audits.isEmpty();
    }
  }
}
