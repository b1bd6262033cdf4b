package dev.weir.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.weir.util.JdbcUrls;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * The opened database of a {@link JdbcStateStore} and its table families wired on it: the pool
 * (migrations run as it opens), the separate pool of the cluster heartbeats ({@link
 * MembershipPool}), the {@link IdleTransactionLimit} on every connection, the {@link StoreRetry} of
 * the units of work, and one object per table family.
 */
final class JdbcFamilies {
  final HikariDataSource pool;
  final DataSource ds;
  final MembershipPool membership;
  final IdleTransactionLimit idleLimit;
  final String description;
  final StoreRetry retry;
  final JdbcWork work;
  final JdbcRevisions revisions;
  final JdbcRuns runs;
  final JdbcRunOwnership ownership;
  final JdbcNodes nodes;
  final JdbcLeases leases;
  final JdbcPoolSlots poolSlots;
  final JdbcBreakers breakers;
  final JdbcDeadLetters deadLetters;
  final JdbcStreamOffsets streamOffsets;
  final JdbcRunQueue queue;
  final JdbcAttemptQueue attempts;
  final JdbcTaskRuns taskRuns;
  final JdbcAudits audits;
  final JdbcLogs logs;
  final JdbcFlowState flowState;
  final JdbcCheckResults checks;
  final JdbcTaskProcesses processes;
  final JdbcRunParents parents;

  /**
   * Opens the database at {@code url}; {@code label} describes it in errors and logs ({@code null}:
   * the URL without its secrets), {@code home} is the directory of an H2 file store or {@code
   * null}.
   */
  static JdbcFamilies open(String url, String user, String password, String label, Path home) {
    HikariDataSource ds = StorePool.open(url, user, password, home);
    return new JdbcFamilies(
        ds,
        new MembershipPool(() -> StorePool.membership(url, user, password)),
        new IdleTransactionLimit(url),
        label == null ? JdbcUrls.redact(url) : label,
        StoreRetry.Settings.DEFAULTS,
        RunsDialect.of(url));
  }

  private JdbcFamilies(
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

  /** Closes the heartbeat pool, then the main pool. */
  void close() {
    membership.close();
    pool.close();
  }
}
