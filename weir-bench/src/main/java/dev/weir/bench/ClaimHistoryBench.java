package dev.weir.bench;

import dev.weir.store.Claimant;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Does finished history slow the cluster's claim path (issue 15)? Two fresh PostgreSQL schemas, one
 * empty and one with N finished runs (two task runs each) written through {@link StateStore#write}
 * in batches; in each, one orphaned RUNNING run (its owner node left the cluster) and ten runs of a
 * live node. Then, alternating between the schemas in rounds: the time of {@link
 * StateStore#orphanedRuns orphanedRuns(100)} (what every node asks at every heartbeat) and of a
 * {@link StateStore#claimRun claim} of the orphan (what adopting it costs), and the tables' sizes.
 * The orphan query's plan is printed with EXPLAIN ANALYZE.
 *
 * <p>Arguments (all optional): {@code --runs=100000 --batch=1000 --samples=200 --rounds=5
 * --pg=JDBC_URL}.
 */
public final class ClaimHistoryBench {
  private ClaimHistoryBench() {}

  /** One schema under test: its store, the orphan claimed back and forth, the claimants. */
  static final class Subject implements AutoCloseable {
    final String label;
    final String url;
    final JdbcStateStore store;
    final Claimant a;
    final Claimant b;
    final String orphanId = "orphan-0000000000000000000000000000";
    final List<Long> orphans = new ArrayList<>();
    final List<Long> claims = new ArrayList<>();

    Subject(String label, String url) {
      this.label = label;
      this.url = url;
      this.store = JdbcStateStore.open(url, null, null, "bench " + label);
      Duration lease = Duration.ofMinutes(10);
      long ea = store.registerNode("gone_a", "bench", "localhost", 1, lease);
      long eb = store.registerNode("gone_b", "bench", "localhost", 2, lease);
      long el = store.registerNode("live", "bench", "localhost", 3, lease);
      store.leaveCluster("gone_a", ea); // their leases end now: what they own is orphaned
      store.leaveCluster("gone_b", eb);
      a = Claimant.node("gone_a", ea);
      b = Claimant.node("gone_b", eb);
      Instant now = Instant.now();
      store.write(
          new StateStore.Batch(
                  List.of(run(orphanId, RunState.RUNNING, now, null, a.label())),
                  List.of(),
                  List.of(),
                  List.of())
              .ownedBy(a));
      var live = new ArrayList<RunRecord>();
      Claimant l = Claimant.node("live", el);
      for (int i = 0; i < 10; i++) {
        live.add(run(String.format("live-%031d", i), RunState.RUNNING, now, null, l.label()));
      }
      store.write(new StateStore.Batch(live, List.of(), List.of(), List.of()).ownedBy(l));
    }

    /** {@code samples} calls of each, after {@code warmup} unmeasured ones. */
    void measure(int warmup, int samples) {
      for (int i = -warmup; i < samples; i++) {
        long t0 = System.nanoTime();
        List<RunRecord> found = store.orphanedRuns(100);
        long t1 = System.nanoTime();
        if (found.size() != 1 || !found.get(0).id().equals(orphanId)) {
          throw new IllegalStateException(label + ": orphans " + found);
        }
        RunRecord current = found.get(0);
        Claimant to = current.owner().equals(a.label()) ? b : a;
        long t2 = System.nanoTime();
        var fence = store.claimRun(current, to, false);
        long t3 = System.nanoTime();
        if (fence.isEmpty()) {
          throw new IllegalStateException(label + ": claim of " + current + " refused");
        }
        if (i >= 0) {
          orphans.add(t1 - t0);
          claims.add(t3 - t2);
        }
      }
    }

    @Override
    public void close() {
      store.close();
    }
  }

  static RunRecord run(String id, RunState state, Instant created, Instant ended, String owner) {
    return new RunRecord(
        id,
        "bench",
        "history",
        "0".repeat(64),
        "/flows/history.yaml",
        state,
        "{}",
        null,
        "api",
        1,
        created,
        created.plusMillis(3),
        ended,
        null,
        owner);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    String pg = a.getOrDefault("pg", PgSchemas.DEFAULT_URL);
    int runs = Integer.parseInt(a.getOrDefault("runs", "100000"));
    int batch = Integer.parseInt(a.getOrDefault("batch", "1000"));
    int samples = Integer.parseInt(a.getOrDefault("samples", "200"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
    System.out.printf(
        "ClaimHistoryBench: %d cores, load %s; %d finished runs in batches of %d; %d rounds of %d"
            + " samples%n",
        Runtime.getRuntime().availableProcessors(),
        Machine.loadAverage(),
        runs,
        batch,
        rounds,
        samples);
    String emptyUrl = PgSchemas.create(pg, "weir_claim_empty");
    String fullUrl = PgSchemas.create(pg, "weir_claim_full");
    try (var empty = new Subject("empty", emptyUrl);
        var full = new Subject("history", fullUrl)) {
      long t0 = System.nanoTime();
      fill(full.store, runs, batch);
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "wrote %d finished runs (+%d task runs) in %.1f s = %.0f runs/s%n",
          runs, 2L * runs, secs, runs / secs);
      // first as left by the writes (autovacuum may not have analyzed yet), then after ANALYZE
      for (String phase : List.of("as written", "after VACUUM ANALYZE")) {
        if (phase.startsWith("after")) {
          for (Subject s : List.of(empty, full)) {
            sql(s.url, "VACUUM ANALYZE weir_runs");
            sql(s.url, "VACUUM ANALYZE weir_task_runs");
            s.orphans.clear();
            s.claims.clear();
          }
        }
        System.out.printf(
            "claimRun's plan on the history schema (%s): %s%n", phase, claimPlan(fullUrl));
        for (int r = 0; r < rounds; r++) {
          empty.measure(r == 0 ? 300 : 10, samples);
          full.measure(r == 0 ? 300 : 10, samples);
        }
        report(phase, empty, full);
      }
      for (Subject s : List.of(empty, full)) {
        System.out.printf("sizes (%s): %s%n", s.label, sizes(s.url));
      }
      System.out.printf("indexes (history): %s%n", indexSizes(fullUrl));
      System.out.println("EXPLAIN ANALYZE of orphanedRuns(100) on the history schema:");
      System.out.println(explain(fullUrl));
    } finally {
      PgSchemas.drop(pg, emptyUrl);
      PgSchemas.drop(pg, fullUrl);
    }
    System.out.printf("load at the end: %s%n", Machine.loadAverage());
  }

  /** Finished runs spread over the last 30 days, two succeeded task runs each, as one writer. */
  static void fill(StateStore store, int runs, int batch) {
    Instant start = Instant.now().minus(Duration.ofDays(30));
    long step = Duration.ofDays(30).toMillis() / Math.max(1, runs);
    for (int i = 0; i < runs; i += batch) {
      var rs = new ArrayList<RunRecord>();
      var ts = new ArrayList<TaskRunRecord>();
      for (int k = i; k < Math.min(runs, i + batch); k++) {
        Instant created = start.plusMillis(k * step);
        Instant ended = created.plusMillis(40);
        String id = String.format("done-%031d", k);
        rs.add(run(id, RunState.SUCCEEDED, created, ended, null));
        for (String task : List.of("first", "second")) {
          ts.add(
              TaskRunRecord.pending(id, task, 1, 1)
                  .queued(created)
                  .running(created.plusMillis(5))
                  .ended(TaskState.SUCCEEDED, ended, null, "{}", null, -1));
        }
      }
      store.write(new StateStore.Batch(rs, List.of(), ts, List.of()));
    }
  }

  private static void report(String phase, Subject empty, Subject full) {
    long eo = Stats.median(empty.orphans);
    long fo = Stats.median(full.orphans);
    long ec = Stats.median(empty.claims);
    long fc = Stats.median(full.claims);
    System.out.printf(
        "RESULT %s: orphanedRuns(100) median %s (p99 %s) empty vs %s (p99 %s) with history ="
            + " %.2f×; claimRun median %s (p99 %s) vs %s (p99 %s) = %.2f× (%d samples each)%n",
        phase,
        Stats.ms(eo),
        Stats.ms(Stats.percentile(empty.orphans, 99)),
        Stats.ms(fo),
        Stats.ms(Stats.percentile(full.orphans, 99)),
        (double) fo / eo,
        Stats.ms(ec),
        Stats.ms(Stats.percentile(empty.claims, 99)),
        Stats.ms(fc),
        Stats.ms(Stats.percentile(full.claims, 99)),
        (double) fc / ec,
        empty.orphans.size());
  }

  private static void sql(String url, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      c.createStatement().execute(sql);
    }
  }

  private static String sizes(String url) throws Exception {
    var out = new StringBuilder();
    try (Connection c = DriverManager.getConnection(url)) {
      for (String t : List.of("weir_runs", "weir_task_runs")) {
        try (var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT COUNT(*) FROM "
                        + t
                        + "), pg_total_relation_size(to_regclass('"
                        + t
                        + "')), pg_relation_size(to_regclass('"
                        + t
                        + "')), pg_indexes_size(to_regclass('"
                        + t
                        + "'))")) {
          rs.next();
          out.append(
              String.format(
                  "%s %d rows: total %.1f MiB (table %.1f MiB, indexes %.1f MiB); ",
                  t,
                  rs.getLong(1),
                  rs.getLong(2) / 1048576.0,
                  rs.getLong(3) / 1048576.0,
                  rs.getLong(4) / 1048576.0));
        }
      }
    }
    return out.toString();
  }

  /** Each index of the two tables and its size. */
  private static String indexSizes(String url) throws Exception {
    var out = new ArrayList<String>();
    try (Connection c = DriverManager.getConnection(url);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes"
                        + " WHERE schemaname = current_schema()"
                        + " AND relname IN ('weir_runs', 'weir_task_runs')"
                        + " ORDER BY relname, indexrelname")) {
      while (rs.next()) {
        out.add(String.format("%s %.1f MiB", rs.getString(1), rs.getLong(2) / 1048576.0));
      }
    }
    return String.join(", ", out);
  }

  /** The orphan query exactly as the store sends it (its SQL pieces read from the store). */
  private static String explain(String url) throws Exception {
    String alive = constant("dev.weir.store.JdbcNodes", "OWNER_ALIVE");
    String columns = constant("dev.weir.store.JdbcRuns", "RUN_COLUMNS");
    String sql =
        "SELECT "
            + columns
            + " FROM weir_runs WHERE owner_node IS NOT NULL AND state IN ('RUNNING', 'QUEUED')"
            + " AND NOT "
            + alive
            + " ORDER BY created_at LIMIT 100";
    var out = new StringBuilder(sql).append('\n');
    try (Connection c = DriverManager.getConnection(url);
        var rs = c.createStatement().executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
      while (rs.next()) {
        out.append("  ").append(rs.getString(1)).append('\n');
      }
    }
    return out.toString();
  }

  /** The scans of the claim's UPDATE as the store sends it, planned (EXPLAIN, not executed). */
  private static String claimPlan(String url) throws Exception {
    String alive = constant("dev.weir.store.JdbcNodes", "OWNER_ALIVE");
    String sql =
        "EXPLAIN UPDATE weir_runs SET owner = 'x#1', owner_node = 'x', owner_epoch = 1,"
            + " fence = fence + 1 WHERE id = 'orphan-0000000000000000000000000000'"
            + " AND state = 'RUNNING' AND attempt = 1 AND owner = 'gone_a#1'"
            + " AND (owner_node IS NULL OR NOT "
            + alive
            + ")";
    var out = new ArrayList<String>();
    try (Connection c = DriverManager.getConnection(url);
        var rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        if (rs.getString(1).contains("Scan")) {
          out.add(
              rs.getString(1).strip().replaceFirst("^->  ", "").replaceFirst("  \\(cost.*", ""));
        }
      }
    }
    return String.join("; ", out);
  }

  private static String constant(String cls, String field) throws Exception {
    var f = Class.forName(cls).getDeclaredField(field);
    f.setAccessible(true);
    return (String) f.get(null);
  }
}
