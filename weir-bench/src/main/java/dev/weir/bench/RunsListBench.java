package dev.weir.bench;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunFilter;
import dev.weir.store.RunPage;
import dev.weir.store.RunRecord;
import dev.weir.store.RunSearch;
import dev.weir.store.RunSort;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The runs list of the web UI (issue 12) over a large store: the server time of one page of {@link
 * StateStore#searchRuns} (the page and its total) for common filters and sorts, on the embedded H2
 * store and, with {@code --pg}, on PostgreSQL. Target: ≤ 150 ms a page over 100,000 runs.
 *
 * <p>Arguments: {@code --runs=100000 --samples=21 --limit=50 --dir=/tmp
 * --pg=jdbc:postgresql://127.0.0.1:5432/test?user=postgres} (no PostgreSQL without {@code --pg});
 * {@code --keep} keeps the H2 store for a look at its query plans.
 */
public final class RunsListBench {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  private final int runs;
  private final int samples;
  private final int limit;

  private RunsListBench(Map<String, String> args) {
    runs = Integer.parseInt(args.getOrDefault("runs", "100000"));
    samples = Integer.parseInt(args.getOrDefault("samples", "21"));
    limit = Integer.parseInt(args.getOrDefault("limit", "50"));
  }

  public static void main(String[] argv) throws Exception {
    var args = new java.util.HashMap<String, String>();
    for (String a : argv) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      args.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    var bench = new RunsListBench(args);
    System.out.printf(
        Locale.ROOT,
        "RunsListBench: %,d runs, page of %d, median and p95 of %d samples after 5 warm-up, %d"
            + " cores, max heap %d MB%n",
        bench.runs,
        bench.limit,
        bench.samples,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    Path dir = Files.createTempDirectory(Path.of(args.getOrDefault("dir", "/tmp")), "weir-runs-");
    try (JdbcStateStore h2 = JdbcStateStore.h2(dir.resolve(".weir"))) {
      bench.measure("H2 (embedded, file)", h2);
    } finally {
      if (args.containsKey("keep")) {
        System.out.println("H2 store kept in " + dir.resolve(".weir"));
      } else {
        deleteTree(dir);
      }
    }
    String pg = args.get("pg");
    if (pg != null) {
      String schema = "weir_runs_bench_" + UUID.randomUUID().toString().substring(0, 8);
      try (Connection c = DriverManager.getConnection(pg)) {
        c.createStatement().execute("CREATE SCHEMA " + schema);
      }
      try (JdbcStateStore store =
          JdbcStateStore.open(
              pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema,
              null,
              null,
              "PostgreSQL")) {
        // what autovacuum does on a server that has been running: statistics for the planner,
        // and the visibility map that lets a count read the index alone
        try (Connection c = store.dataSource().getConnection()) {
          c.setAutoCommit(true);
          bench.insertThen(store);
          c.createStatement().execute("VACUUM ANALYZE weir_runs");
        }
        bench.measure("PostgreSQL (after VACUUM ANALYZE)", store);
      } finally {
        try (Connection c = DriverManager.getConnection(pg)) {
          c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }

  private record Scenario(String name, RunSearch search, int depth) {}

  private List<Scenario> scenarios() {
    Instant weekAgo = NOW.minus(Duration.ofDays(7));
    return List.of(
        new Scenario("newest first, no filter", RunSearch.first(RunFilter.ANY, limit), 0),
        new Scenario("newest first, page 100", RunSearch.first(RunFilter.ANY, limit), 99),
        new Scenario("newest first, page 1000", RunSearch.first(RunFilter.ANY, limit), 999),
        new Scenario(
            "state=FAILED", RunSearch.first(RunFilter.ANY.withStates(RunState.FAILED), limit), 0),
        new Scenario(
            "state=FAILED, page 20",
            RunSearch.first(RunFilter.ANY.withStates(RunState.FAILED), limit),
            19),
        new Scenario(
            "flow=ns3/flow4", RunSearch.first(RunFilter.ANY.withFlow("ns3", "flow4"), limit), 0),
        new Scenario(
            "trigger=manual, state FAILED|CANCELLED, last 7 days",
            RunSearch.first(
                RunFilter.ANY
                    .withTriggers(List.of("manual"))
                    .withStates(RunState.FAILED, RunState.CANCELLED)
                    .within(RunFilter.TimeField.CREATED, weekAgo, null),
                limit),
            0),
        new Scenario(
            "duration >= 30 min, sort duration desc",
            new RunSearch(
                RunFilter.ANY.lasting(Duration.ofMinutes(30), null),
                new RunSort(RunSort.Key.DURATION, true),
                limit,
                null),
            0),
        new Scenario(
            "sort duration asc, no filter",
            new RunSearch(RunFilter.ANY, new RunSort(RunSort.Key.DURATION, false), limit, null),
            0),
        new Scenario(
            "sort duration desc, page 100",
            new RunSearch(RunFilter.ANY, new RunSort(RunSort.Key.DURATION, true), limit, null),
            99),
        new Scenario(
            "flow=ns3/flow4, sort duration desc",
            new RunSearch(
                RunFilter.ANY.withFlow("ns3", "flow4"),
                new RunSort(RunSort.Key.DURATION, true),
                limit,
                null),
            0),
        new Scenario(
            "state=QUEUED|RUNNING, sort started desc",
            new RunSearch(
                RunFilter.ANY.withStates(RunState.QUEUED, RunState.RUNNING),
                new RunSort(RunSort.Key.STARTED, true),
                limit,
                null),
            0),
        new Scenario(
            "sort started desc, state=SUCCEEDED",
            new RunSearch(
                RunFilter.ANY.withStates(RunState.SUCCEEDED),
                new RunSort(RunSort.Key.STARTED, true),
                limit,
                null),
            0),
        new Scenario(
            "sort flow asc, page 10",
            new RunSearch(RunFilter.ANY, new RunSort(RunSort.Key.FLOW, false), limit, null),
            9),
        new Scenario(
            "sort state asc, created last 7 days",
            new RunSearch(
                RunFilter.ANY.within(RunFilter.TimeField.CREATED, weekAgo, null),
                new RunSort(RunSort.Key.STATE, false),
                limit,
                null),
            0));
  }

  private boolean inserted;

  /** Stores the runs now, so that something may be done between that and {@link #measure}. */
  private void insertThen(JdbcStateStore store) {
    long t0 = System.nanoTime();
    insert(store);
    System.out.printf(
        Locale.ROOT, "%n%,d runs stored in %.1f s%n", runs, (System.nanoTime() - t0) / 1e9);
    inserted = true;
  }

  private void measure(String label, JdbcStateStore store) {
    if (!inserted) {
      insertThen(store);
    }
    inserted = false;
    System.out.printf(Locale.ROOT, "%s:%n", label);
    System.out.printf(Locale.ROOT, "  %-52s %10s %10s %9s%n", "page", "median", "p95", "total");
    for (Scenario s : scenarios()) {
      RunSearch at = s.search();
      for (int i = 0; i < s.depth(); i++) {
        RunPage p = store.searchRuns(at);
        at = at.next(p);
      }
      long[] took = new long[samples];
      RunPage page = null;
      for (int i = -5; i < samples; i++) {
        // a live server writes between two looks at the list; without a write H2 would answer
        // the same query from the result it kept of the last one
        store.write(new StateStore.Batch(List.of(), List.of(touch(store)), List.of(), List.of()));
        long begin = System.nanoTime();
        page = store.searchRuns(at);
        long ns = System.nanoTime() - begin;
        if (i >= 0) {
          took[i] = ns;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "  %-52s %10s %10s %,9d%s%n",
          s.name(),
          Stats.ms(Stats.median(took)),
          Stats.ms(Stats.percentile(took, 95)),
          page.total(),
          page.totalExact() ? "" : "+");
    }
    // the same pages found by OFFSET, and a count that does not stop: what keyset pages and the
    // count cap are compared with
    baseline(store, "baseline: OFFSET page 100 (4,950 skipped)", pageByOffset(99));
    baseline(store, "baseline: OFFSET page 1000 (49,950 skipped)", pageByOffset(999));
    baseline(
        store,
        "baseline: exact COUNT(*) of state=SUCCEEDED",
        "SELECT COUNT(*) FROM weir_runs" + " WHERE state = 'SUCCEEDED'");
  }

  private String pageByOffset(int pages) {
    return "SELECT id, namespace, flow_id, state, created_at, started_at, ended_at, error"
        + " FROM weir_runs ORDER BY created_at DESC, id DESC LIMIT "
        + (limit + 1)
        + " OFFSET "
        + (long) pages * limit;
  }

  private void baseline(JdbcStateStore store, String name, String sql) {
    long[] took = new long[samples];
    for (int i = -5; i < samples; i++) {
      store.write(new StateStore.Batch(List.of(), List.of(touch(store)), List.of(), List.of()));
      long begin = System.nanoTime();
      try (Connection c = store.dataSource().getConnection();
          var rs = c.createStatement().executeQuery(sql)) {
        while (rs.next()) {
          rs.getString(1);
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(sql, e);
      }
      long ns = System.nanoTime() - begin;
      if (i >= 0) {
        took[i] = ns;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %-52s %10s %10s%n",
        name,
        Stats.ms(Stats.median(took)),
        Stats.ms(Stats.percentile(took, 95)));
  }

  private static RunRecord touch(StateStore store) {
    RunRecord r = store.listRuns(StateStore.RunQuery.latest(1)).getFirst();
    return r.withError(r.error());
  }

  /**
   * Runs of 200 flows over the 90 days before {@link #NOW}: mostly scheduled and successful, a few
   * running or queued, durations from a second to two hours.
   */
  private void insert(StateStore store) {
    var rnd = new Random(42);
    var batch = new ArrayList<RunRecord>();
    for (int i = 0; i < runs; i++) {
      Instant created = NOW.minusMillis((long) (rnd.nextDouble() * Duration.ofDays(90).toMillis()));
      int p = rnd.nextInt(100);
      RunState state =
          p < 84
              ? RunState.SUCCEEDED
              : p < 94
                  ? RunState.FAILED
                  : p < 97 ? RunState.CANCELLED : p < 99 ? RunState.RUNNING : RunState.QUEUED;
      Instant started = state == RunState.QUEUED ? null : created.plusMillis(rnd.nextInt(2000));
      Instant ended =
          state.isTerminal()
              ? started.plusMillis((long) Math.exp(7 + rnd.nextDouble() * 8.9)) // 1 s to 2 h
              : null;
      int t = rnd.nextInt(10);
      batch.add(
          new RunRecord(
              "run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
              "ns" + rnd.nextInt(20),
              "flow" + rnd.nextInt(10),
              "rev0123456789abc",
              null,
              state,
              "{}",
              null,
              t < 7 ? "schedule" : t == 7 ? "manual" : t == 8 ? "api" : "webhook",
              1,
              created,
              started,
              ended,
              state == RunState.FAILED ? "task 'load' failed" : null,
              null));
      if (batch.size() == 1000) {
        store.write(new StateStore.Batch(batch, List.of(), List.of(), List.of()));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.write(new StateStore.Batch(batch, List.of(), List.of(), List.of()));
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
