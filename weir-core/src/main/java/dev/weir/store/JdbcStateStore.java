package dev.weir.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.weir.WeirException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The state store on a JDBC database: an H2 file (the default) or PostgreSQL. */
public final class JdbcStateStore implements StateStore {
  private static final int MAX_TEXT = 200_000;
  static final String RUN_COLUMNS =
      "id, namespace, flow_id, revision, flow_file, state, inputs, logical_date, trigger_type, attempt,"
          + " created_at, started_at, ended_at, error, owner, trigger_data";
  // a run's duration is kept beside it, written with it, so the runs list can sort and filter on it
  // with an index on both databases instead of date arithmetic that each spells its own way
  private static final String RUN_WRITE_COLUMNS = RUN_COLUMNS + ", duration_ms";
  private static final String TASK_COLUMNS =
      "run_id, task_id, attempt, run_attempt, state, queued_at, started_at, ended_at, retry_at, error,"
          + " outputs, dataset, rows_out, state_updates";

  private final HikariDataSource ds;
  private final String description;
  // revision hashes known to be stored: a server starting thousands of runs of one revision, or
  // runs of thousands of flows it registered in a batch, asks the database once per revision
  private final java.util.Set<String> savedRevisions =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final JdbcCheckResults checks;
  private final StoreRetry retry;
  private final JdbcTaskProcesses processes;
  private final JdbcRunParents parents;
  private final JdbcRunSearch runSearch;

  private JdbcStateStore(
      HikariDataSource ds, String description, StoreRetry.Settings retry, RunsDialect dialect) {
    this.ds = ds;
    this.runSearch = new JdbcRunSearch(dialect);
    this.description = description;
    this.retry = new StoreRetry(description, retry);
    this.checks = new JdbcCheckResults(ds, description, this.retry);
    this.processes = new JdbcTaskProcesses(ds, description, this.retry);
    this.parents = new JdbcRunParents(ds, description, this.retry);
  }

  /** How this store's units of work retry what can heal; for the server's own tables. */
  public StoreRetry retry() {
    return retry;
  }

  /** The embedded H2 store in {@code home} ({@code .weir/} beside a flow by default). */
  public static JdbcStateStore h2(Path home) {
    try {
      Files.createDirectories(home);
    } catch (java.io.IOException e) {
      throw StoreFailures.homeNotCreated(home, e);
    }
    // checked here because H2 would otherwise print its own stack traces while it tries to write
    // a trace file, then fail with a message about its lock file
    if (!Files.isWritable(home)) {
      throw StoreFailures.homeNotWritable(home, null);
    }
    // and because H2 would open a store file it may not write read-only, then refuse AUTO_SERVER
    // only after the pool's connection timeout
    Path file = home.resolve("state.mv.db");
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw StoreFailures.homeNotWritable(file, null);
    }
    // AUTO_SERVER lets `weir runs list` read while another process runs a flow. WRITE_DELAY=0
    // writes each commit to the file at once, so a killed process loses no transition.
    String url =
        "jdbc:h2:file:"
            + home.toAbsolutePath().resolve("state")
            + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    return open(url, null, null, "H2 store in " + home, home);
  }

  /** A store at a JDBC URL ({@code jdbc:postgresql://…} or {@code jdbc:h2:…}). */
  public static JdbcStateStore open(String url, String user, String password, String label) {
    return open(url, user, password, label, null);
  }

  private static JdbcStateStore open(
      String url, String user, String password, String label, Path home) {
    if (!url.startsWith("jdbc:h2:")) {
      StoreFailures.probe(url, user, password); // a network database: is anything there?
    }
    var cfg = new HikariConfig();
    if (url.startsWith("jdbc:h2:")) {
      // H2's DataSource rather than its Driver: the first use of java.sql.DriverManager loads and
      // starts every JDBC driver on the class path (PostgreSQL, MariaDB, DuckDB's, which starts
      // JFR's machinery), a large share of a short command's start-up that the H2 store never uses.
      var h2 = new org.h2.jdbcx.JdbcDataSource();
      h2.setURL(url);
      cfg.setDataSource(h2);
    } else {
      cfg.setJdbcUrl(url);
    }
    if (user != null) {
      cfg.setUsername(user);
    }
    if (password != null) {
      cfg.setPassword(password);
    }
    boolean pg = url.startsWith("jdbc:postgresql:");
    cfg.setMaximumPoolSize(pg ? 8 : 4);
    cfg.setMinimumIdle(1);
    cfg.setPoolName("weir-store");
    cfg.setInitializationFailTimeout(-1);
    cfg.setConnectionTimeout(10_000);
    HikariDataSource ds = null;
    try {
      ds = new HikariDataSource(cfg);
      Migrations.migrate(ds);
    } catch (RuntimeException e) {
      if (ds != null) {
        ds.close(); // or its threads keep trying to connect
      }
      throw StoreFailures.openFailed(url, password, home, e);
    }
    return new JdbcStateStore(
        ds, label == null ? redact(url) : label, StoreRetry.Settings.DEFAULTS, RunsDialect.of(url));
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
    if (savedRevisions.contains(hash)) {
      return;
    }
    run(c -> {
      try (var ps = c.prepareStatement("SELECT 1 FROM weir_flow_revisions WHERE hash = ?")) {
        ps.setString(1, hash);
        try (var rs = ps.executeQuery()) {
          if (rs.next()) {
            return null;
          }
        }
      }
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_flow_revisions (hash, namespace, flow_id, file, source,"
                  + " created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, hash);
        ps.setString(2, namespace);
        ps.setString(3, flowId);
        ps.setString(4, file);
        ps.setString(5, text);
        setTime(ps, 6, Instant.now());
        ps.executeUpdate();
      } catch (SQLException e) {
        // another process saved the same revision between our check and insert: fine
        if (!"23505".equals(e.getSQLState())) {
          throw e;
        }
      }
      return null;
    });
    savedRevisions.add(hash);
  }

  @Override
  public void saveRevisions(List<Revision> revisions) {
    var unique = new java.util.LinkedHashMap<String, Revision>();
    revisions.stream()
        .filter(r -> !savedRevisions.contains(r.hash()))
        .forEach(r -> unique.putIfAbsent(r.hash(), r));
    var all = List.copyOf(unique.values());
    for (int from = 0; from < all.size(); from += 500) {
      var chunk = all.subList(from, Math.min(all.size(), from + 500));
      run(c -> {
        var saved = new java.util.HashSet<String>();
        try (var ps =
            c.prepareStatement(
                "SELECT hash FROM weir_flow_revisions WHERE hash IN ("
                    + marks(chunk.size())
                    + ")")) {
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 1, chunk.get(i).hash());
          }
          try (var rs = ps.executeQuery()) {
            while (rs.next()) {
              saved.add(rs.getString(1));
            }
          }
        }
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_flow_revisions (hash, namespace, flow_id, file, source,"
                    + " created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
          int n = 0;
          for (Revision r : chunk) {
            if (saved.contains(r.hash())) {
              continue;
            }
            ps.setString(1, r.hash());
            ps.setString(2, r.namespace());
            ps.setString(3, r.flowId());
            ps.setString(4, r.file());
            ps.setString(5, r.text());
            setTime(ps, 6, Instant.now());
            ps.addBatch();
            n++;
          }
          if (n > 0) {
            ps.executeBatch();
          }
        }
        return null;
      });
    }
    savedRevisions.addAll(unique.keySet());
  }

  @Override
  public Optional<String> revisionText(String hash) {
    return query(
            "SELECT source FROM weir_flow_revisions WHERE hash = ?",
            ps -> ps.setString(1, hash),
            rs -> rs.getString(1))
        .stream()
        .findFirst();
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
    run(c -> {
      if (!batch.insertRuns().isEmpty()) {
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_runs (" + RUN_WRITE_COLUMNS + ") VALUES (" + marks(17) + ")")) {
          for (RunRecord r : batch.insertRuns()) {
            bindRun(ps, r);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      if (!batch.updateRuns().isEmpty()) {
        try (var ps =
            c.prepareStatement(
                "UPDATE weir_runs SET id = ?, namespace = ?, flow_id = ?, revision = ?, flow_file = ?,"
                    + " state = ?, inputs = ?, logical_date = ?, trigger_type = ?,"
                    + " attempt = ?, created_at = ?, started_at = ?, ended_at = ?,"
                    + " error = ?, owner = ?, trigger_data = ?, duration_ms = ? WHERE id = ?")) {
          for (RunRecord r : batch.updateRuns()) {
            bindRun(ps, r);
            ps.setString(18, r.id());
            ps.addBatch();
          }
          requireUpdated(ps.executeBatch(), batch.updateRuns(), r -> "run '" + r.id() + "'");
        }
      }
      if (!batch.insertTaskRuns().isEmpty()) {
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_task_runs (" + TASK_COLUMNS + ") VALUES (" + marks(14) + ")")) {
          for (TaskRunRecord t : batch.insertTaskRuns()) {
            bindTask(ps, t);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      if (!batch.updateTaskRuns().isEmpty()) {
        try (var ps =
            c.prepareStatement(
                "UPDATE weir_task_runs SET run_id = ?, task_id = ?, attempt = ?, run_attempt = ?,"
                    + " state = ?,"
                    + " queued_at = ?, started_at = ?, ended_at = ?, retry_at = ?, error = ?,"
                    + " outputs = ?, dataset = ?, rows_out = ?, state_updates = ?"
                    + " WHERE run_id = ? AND task_id = ? AND attempt = ?")) {
          for (TaskRunRecord t : batch.updateTaskRuns()) {
            bindTask(ps, t);
            ps.setString(15, t.runId());
            ps.setString(16, t.taskId());
            ps.setInt(17, t.attempt());
            ps.addBatch();
          }
          requireUpdated(
              ps.executeBatch(),
              batch.updateTaskRuns(),
              t ->
                  "attempt "
                      + t.attempt()
                      + " of task '"
                      + t.taskId()
                      + "' in run '"
                      + t.runId()
                      + "'");
        }
      }
      AuditTable.write(c, batch.audits());
      DatasetWrites.record(c, batch);
      also.write(c);
      return null;
    });
  }

  /**
   * An update that matches no row would lose a transition the engine believes is durable, so it
   * fails the whole batch instead.
   */
  private static <T> void requireUpdated(
      int[] counts, List<T> records, java.util.function.Function<T, String> name)
      throws SQLException {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        throw new SQLException(
            "cannot update "
                + name.apply(records.get(i))
                + ": it was never inserted (a batch must insert a record before updating it)");
      }
    }
  }

  @Override
  public boolean claimRun(RunRecord expected, String newOwner) {
    return run(c -> {
      String sql =
          "UPDATE weir_runs SET owner = ? WHERE id = ? AND state = ? AND attempt = ? AND "
              + (expected.owner() == null ? "owner IS NULL" : "owner = ?");
      try (var ps = c.prepareStatement(sql)) {
        ps.setString(1, newOwner);
        ps.setString(2, expected.id());
        ps.setString(3, expected.state().name());
        ps.setInt(4, expected.attempt());
        if (expected.owner() != null) {
          ps.setString(5, expected.owner());
        }
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<RunRecord> findRun(String runId) {
    return query(
            "SELECT " + RUN_COLUMNS + " FROM weir_runs WHERE id = ?",
            ps -> ps.setString(1, runId),
            JdbcStateStore::readRun)
        .stream()
        .findFirst();
  }

  @Override
  public List<RunRecord> findRunsByPrefix(String prefix, int limit) {
    return query(
        "SELECT "
            + RUN_COLUMNS
            + " FROM weir_runs WHERE id LIKE ? ESCAPE '!' ORDER BY created_at DESC, id"
            + " DESC LIMIT "
            + Math.max(1, limit),
        ps -> ps.setString(1, likePrefix(prefix)),
        JdbcStateStore::readRun);
  }

  @Override
  public List<RunRecord> listRuns(RunQuery q) {
    int limit = Math.max(1, q.limit());
    var sql = runSearch.page(RUN_COLUMNS, q.filter(), RunSort.NEWEST, limit, null, false);
    var runs = query(sql.text(), sql::bind, JdbcStateStore::readRun);
    return runs.size() > limit ? runs.subList(0, limit) : runs;
  }

  /** A run with what its duration column holds, for the cursor of the next page. */
  private record Found(RunRecord run, Long durationMs) {}

  /**
   * Counts first: how many runs the filter keeps decides how the page is best read (see {@link
   * JdbcRunSearch#page}).
   */
  @Override
  public RunPage searchRuns(RunSearch s) {
    var count = runSearch.count(s.filter());
    long total = query(count.text(), count::bind, rs -> rs.getLong(1)).getFirst();
    boolean exact = total <= RunPage.COUNT_CAP || runSearch.exactCount(s.filter());
    var sql =
        runSearch.page(
            RUN_COLUMNS, s.filter(), s.sort(), s.limit(), s.after(), total > RunPage.COUNT_CAP);
    List<Found> found =
        query(
            sql.text(),
            sql::bind,
            rs -> {
              long d = rs.getLong(17);
              Long duration = rs.wasNull() ? null : d;
              return new Found(readRun(rs), duration);
            });
    boolean more = found.size() > s.limit();
    var shown = more ? found.subList(0, s.limit()) : found;
    RunCursor next =
        more
            ? JdbcRunSearch.cursorAfter(
                s.sort(), shown.getLast().run(), shown.getLast().durationMs())
            : null;
    return new RunPage(
        shown.stream().map(Found::run).toList(), exact ? total : RunPage.COUNT_CAP, exact, next);
  }

  @Override
  public List<TaskRunRecord> taskRuns(String runId) {
    return query(
        "SELECT " + TASK_COLUMNS + " FROM weir_task_runs WHERE run_id = ? ORDER BY seq",
        ps -> ps.setString(1, runId),
        JdbcStateStore::readTask);
  }

  @Override
  public List<TaskAuditRecord> audits(String runId) {
    return query(AuditTable.SELECT, ps -> ps.setString(1, runId), AuditTable::read);
  }

  @Override
  public void appendLogs(List<LogLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    run(c -> {
      try (var ps =
          c.prepareStatement(
              "INSERT INTO weir_logs (run_id, task_id, attempt, ts, level, message)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        for (LogLine l : lines) {
          ps.setString(1, l.runId());
          ps.setString(2, l.taskId());
          ps.setInt(3, l.attempt());
          setTime(ps, 4, l.time());
          ps.setString(5, l.level());
          ps.setString(6, clip(l.message()));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<LogLine> logs(String runId, String taskId) {
    return query(
        "SELECT run_id, task_id, attempt, ts, level, message FROM weir_logs WHERE run_id = ?"
            + (taskId == null ? "" : " AND task_id = ?")
            + " ORDER BY id",
        ps -> {
          ps.setString(1, runId);
          if (taskId != null) {
            ps.setString(2, taskId);
          }
        },
        rs ->
            new LogLine(
                rs.getString(1),
                rs.getString(2),
                rs.getInt(3),
                time(rs, 4),
                rs.getString(5),
                rs.getString(6)));
  }

  @Override
  public int deleteLogsOfRunsEndedBefore(Instant cutoff) {
    return run(c -> {
      try (var ps =
          c.prepareStatement(
              "DELETE FROM weir_logs WHERE run_id IN (SELECT id FROM weir_runs WHERE ended_at < ?"
                  + " AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED'))")) {
        setTime(ps, 1, cutoff);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public Map<String, Instant> endedAt(Collection<String> runIds) {
    var out = new HashMap<String, Instant>();
    var ids = List.copyOf(runIds);
    for (int from = 0; from < ids.size(); from += 500) {
      var chunk = ids.subList(from, Math.min(ids.size(), from + 500));
      query(
              "SELECT id, ended_at FROM weir_runs WHERE ended_at IS NOT NULL"
                  + " AND state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND id IN ("
                  + marks(chunk.size())
                  + ")",
              ps -> {
                for (int i = 0; i < chunk.size(); i++) {
                  ps.setString(i + 1, chunk.get(i));
                }
              },
              rs -> Map.entry(rs.getString(1), time(rs, 2)))
          .forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }

  @Override
  public Optional<String> getState(String namespace, String flowId, String taskId, String key) {
    return query(
            "SELECT state_value FROM weir_state WHERE namespace = ? AND flow_id = ? AND task_id = ?"
                + " AND state_key = ?",
            ps -> {
              ps.setString(1, namespace);
              ps.setString(2, flowId);
              ps.setString(3, taskId);
              ps.setString(4, key);
            },
            rs -> rs.getString(1))
        .stream()
        .findFirst();
  }

  /** A LIKE pattern matching {@code prefix} literally, with '!' as the escape character. */
  static String likePrefix(String prefix) {
    return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
  }

  @Override
  public void putState(String namespace, String flowId, String taskId, String key, String value) {
    try {
      upsertState(namespace, flowId, taskId, key, value);
    } catch (WeirException e) {
      if (!isDuplicateKey(e)) {
        throw e;
      }
      // another writer inserted the key between our update and insert; now the update hits
      upsertState(namespace, flowId, taskId, key, value);
    }
  }

  /** Whether a failed insert hit an existing key (SQLSTATE 23505 on H2 and PostgreSQL). */
  public static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  private void upsertState(
      String namespace, String flowId, String taskId, String key, String value) {
    run(c -> {
      int n;
      try (var ps =
          c.prepareStatement(
              "UPDATE weir_state SET state_value = ?, updated_at = ? WHERE namespace = ? AND"
                  + " flow_id = ? AND task_id = ? AND state_key = ?")) {
        ps.setString(1, value);
        setTime(ps, 2, Instant.now());
        ps.setString(3, namespace);
        ps.setString(4, flowId);
        ps.setString(5, taskId);
        ps.setString(6, key);
        n = ps.executeUpdate();
      }
      if (n == 0) {
        try (var ps =
            c.prepareStatement(
                "INSERT INTO weir_state (namespace, flow_id, task_id, state_key, state_value,"
                    + " updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, namespace);
          ps.setString(2, flowId);
          ps.setString(3, taskId);
          ps.setString(4, key);
          ps.setString(5, value);
          setTime(ps, 6, Instant.now());
          ps.executeUpdate();
        }
      }
      return null;
    });
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
    ds.close();
  }

  // ---- JDBC plumbing

  private static void bindRun(PreparedStatement ps, RunRecord r) throws SQLException {
    ps.setString(1, r.id());
    ps.setString(2, r.namespace());
    ps.setString(3, r.flowId());
    ps.setString(4, r.revision());
    ps.setString(5, r.flowFile());
    ps.setString(6, r.state().name());
    ps.setString(7, r.inputs());
    setTime(ps, 8, r.logicalDate());
    ps.setString(9, r.trigger());
    ps.setInt(10, r.attempt());
    setTime(ps, 11, r.createdAt());
    setTime(ps, 12, r.startedAt());
    setTime(ps, 13, r.endedAt());
    ps.setString(14, clip(r.error()));
    ps.setString(15, r.owner());
    ps.setString(16, r.triggerData());
    Long duration = JdbcRunSearch.durationMs(r);
    if (duration == null) {
      ps.setNull(17, Types.BIGINT);
    } else {
      ps.setLong(17, duration);
    }
  }

  static RunRecord readRun(ResultSet rs) throws SQLException {
    return new RunRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        RunState.valueOf(rs.getString(6)),
        rs.getString(7),
        time(rs, 8),
        rs.getString(9),
        rs.getInt(10),
        time(rs, 11),
        time(rs, 12),
        time(rs, 13),
        rs.getString(14),
        rs.getString(15),
        rs.getString(16));
  }

  private static void bindTask(PreparedStatement ps, TaskRunRecord t) throws SQLException {
    ps.setString(1, t.runId());
    ps.setString(2, t.taskId());
    ps.setInt(3, t.attempt());
    ps.setInt(4, t.runAttempt());
    ps.setString(5, t.state().name());
    setTime(ps, 6, t.queuedAt());
    setTime(ps, 7, t.startedAt());
    setTime(ps, 8, t.endedAt());
    setTime(ps, 9, t.retryAt());
    ps.setString(10, clip(t.error()));
    ps.setString(11, clip(t.outputs()));
    ps.setString(12, t.dataset());
    ps.setLong(13, t.rows());
    ps.setString(14, t.stateUpdates());
  }

  private static TaskRunRecord readTask(ResultSet rs) throws SQLException {
    return new TaskRunRecord(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getInt(4),
        TaskState.valueOf(rs.getString(5)),
        time(rs, 6),
        time(rs, 7),
        time(rs, 8),
        time(rs, 9),
        rs.getString(10),
        rs.getString(11),
        rs.getString(12),
        rs.getLong(13),
        rs.getString(14));
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static String clip(String s) {
    return s == null || s.length() <= MAX_TEXT
        ? s
        : s.substring(0, MAX_TEXT) + "… (" + (s.length() - MAX_TEXT) + " more characters)";
  }

  static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  private static Instant time(ResultSet rs, int i) throws SQLException {
    Object o = rs.getObject(i);
    if (o == null) {
      return null;
    }
    if (o instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (o instanceof Timestamp ts) {
      return ts.toInstant();
    }
    return rs.getObject(i, OffsetDateTime.class).toInstant();
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T apply(Connection c) throws SQLException;
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T run(SqlWork<T> work) {
    try {
      return retry.call(() -> inTransaction(work));
    } catch (SQLException e) {
      throw new WeirException("state store (" + description + "): " + e.getMessage(), e);
    }
  }

  private <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException r) {
          // the connection the failure broke cannot roll back; the failure is what counts
          e.addSuppressed(r);
        }
        throw e;
      }
    }
  }

  private <T> List<T> query(String sql, Binder binder, Reader<T> reader) {
    try {
      return retry.call(() -> {
        try (Connection c = ds.getConnection();
            var ps = c.prepareStatement(sql)) {
          binder.bind(ps);
          var out = new ArrayList<T>();
          try (var rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(reader.read(rs));
            }
          }
          return out;
        }
      });
    } catch (SQLException e) {
      throw new WeirException("state store (" + description + "): " + e.getMessage(), e);
    }
  }
}
