package dev.weir.bench;

import dev.weir.store.JdbcStateStore;
import dev.weir.store.RecentRuns;
import dev.weir.store.RunCounts;
import dev.weir.store.RunRecord;
import dev.weir.store.StateStore;
import dev.weir.store.StateStore.RunQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * What the overview, flows list and datasets page (issue 12) ask the store, over {@link
 * DashboardFixture}'s history (100,000 runs of 200 flows, 50 datasets), the way main asked it and
 * the way this branch does, in the same run: on the embedded H2 store and, with {@code --pg}, on
 * PostgreSQL. Main's way: the overview read the last day's runs (up to 20,000) and each flow's last
 * run, the flows list each flow's last 20 runs, and freshness a window over every task run; the
 * window-function form of the flows list's query is measured too, as the rejected alternative.
 *
 * <p>Arguments: {@code --runs=100000 --samples=21 --warmup=5 --dir=/tmp
 * --pg=jdbc:postgresql://127.0.0.1:5432/test?user=postgres}; {@code --store=DIR} keeps the H2 store
 * home (filled when empty) for the next run and for {@link DashboardPagesBench}, {@code --no-h2}
 * only PostgreSQL.
 */
public final class DashboardQueriesBench {
  /** main's freshness query, over every task run. */
  static final String OLD_FRESHNESS =
      "SELECT namespace, flow_id, task_id, run_id, ended_at, rows_out FROM (SELECT r.namespace,"
          + " r.flow_id, t.task_id, t.run_id, t.ended_at, t.rows_out, ROW_NUMBER() OVER"
          + " (PARTITION BY r.namespace, r.flow_id, t.task_id ORDER BY t.ended_at DESC,"
          + " t.run_id DESC) AS n FROM weir_task_runs t JOIN weir_runs r ON r.id = t.run_id"
          + " WHERE t.state = 'SUCCEEDED' AND t.dataset IS NOT NULL AND t.ended_at IS NOT NULL)"
          + " x WHERE n = 1 ORDER BY namespace, flow_id, task_id";

  static final String WINDOW_RECENT =
      "SELECT id, state, created_at FROM (SELECT id, state, created_at, ROW_NUMBER() OVER"
          + " (PARTITION BY namespace, flow_id ORDER BY created_at DESC, id DESC) AS n FROM"
          + " weir_runs) x WHERE n <= 20";

  private final int samples;
  private final int warmup;
  private String only; // --only=TEXT: just the lines whose name contains it
  private final List<RecentRuns.Flow> flows = new ArrayList<>();

  private DashboardQueriesBench(int samples, int warmup) {
    this.samples = samples;
    this.warmup = warmup;
    for (int ns = 0; ns < DashboardFixture.NAMESPACES; ns++) {
      for (int f = 0; f < DashboardFixture.FLOWS_PER_NAMESPACE; f++) {
        flows.add(new RecentRuns.Flow("ns" + ns, "flow" + f));
      }
    }
  }

  public static void main(String[] argv) throws Exception {
    var a = new HashMap<String, String>();
    for (String arg : argv) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      a.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    int runs = Integer.parseInt(a.getOrDefault("runs", "100000"));
    var bench =
        new DashboardQueriesBench(
            Integer.parseInt(a.getOrDefault("samples", "21")),
            Integer.parseInt(a.getOrDefault("warmup", "5")));
    bench.only = a.get("only");
    System.out.printf(
        Locale.ROOT,
        "DashboardQueriesBench: %,d runs of 200 flows, 50 datasets; median and p95 of %d samples"
            + " after %d warm-up; %d cores, max heap %d MB%n",
        runs,
        bench.samples,
        bench.warmup,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    String kept = a.get("store");
    if (kept != null) { // an H2 store home kept for the next run: storing takes minutes
      try (JdbcStateStore h2 = JdbcStateStore.h2(Path.of(kept))) {
        if (h2.listRuns(RunQuery.latest(1)).isEmpty()) {
          fill(h2, runs);
        }
        bench.measure("H2 (embedded, file; store " + kept + ")", h2);
      }
    } else if (!a.containsKey("no-h2")) {
      Path dir = Files.createTempDirectory(Path.of(a.getOrDefault("dir", "/tmp")), "weir-dashq-");
      try (JdbcStateStore h2 = JdbcStateStore.h2(dir.resolve(".weir"))) {
        fill(h2, runs);
        bench.measure("H2 (embedded, file)", h2);
      } finally {
        DashboardFixture.deleteTree(dir);
      }
    }
    String pg = a.get("pg");
    if (pg != null) {
      String schema = "weir_dash_bench_" + UUID.randomUUID().toString().substring(0, 8);
      try (Connection c = DriverManager.getConnection(pg)) {
        c.createStatement().execute("CREATE SCHEMA " + schema);
      }
      try (JdbcStateStore store =
          JdbcStateStore.open(
              pg + (pg.contains("?") ? "&" : "?") + "currentSchema=" + schema,
              null,
              null,
              "PostgreSQL")) {
        fill(store, runs);
        try (Connection c = store.dataSource().getConnection()) {
          c.setAutoCommit(true);
          c.createStatement().execute("VACUUM ANALYZE");
        }
        bench.measure("PostgreSQL (after VACUUM ANALYZE)", store);
      } finally {
        try (Connection c = DriverManager.getConnection(pg)) {
          c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
      }
    }
  }

  private static void fill(JdbcStateStore store, int runs) {
    long t0 = System.nanoTime();
    DashboardFixture.fill(store, runs);
    System.out.printf(
        Locale.ROOT, "%n%,d runs stored in %.1f s%n", runs, (System.nanoTime() - t0) / 1e9);
  }

  private interface Work {
    int run() throws Exception;
  }

  private void measure(String label, JdbcStateStore store) throws Exception {
    Instant now = DashboardFixture.NOW;
    Instant dayAgo = now.minus(Duration.ofHours(24));
    Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23));
    var counts = new RunCounts(store.dataSource());
    var recent = new RecentRuns(store.dataSource());
    System.out.printf(Locale.ROOT, "%s:%n", label);
    System.out.printf(
        Locale.ROOT,
        "  %-58s %10s %10s %8s%n",
        "what a page asks the store",
        "median",
        "p95",
        "rows");
    time(
        store,
        "overview, main: day's runs + 200 last runs + freshness",
        () -> {
          int n = store.listRuns(new RunQuery(null, null, null, dayAgo, null, 20_000)).size();
          for (RecentRuns.Flow f : flows) {
            n += store.listRuns(new RunQuery(f.namespace(), f.id(), null, 1)).size();
          }
          return n + sql(store, OLD_FRESHNESS);
        });
    time(
        store,
        "overview, branch: counts + last runs + freshness",
        () -> {
          var t = counts.count(dayAgo, firstHour, 24);
          int n = (int) t.total() > 0 ? 24 : 0;
          n += recent.of(flows, 1).values().stream().mapToInt(List::size).sum();
          return n + store.lastDatasetWrites().size();
        });
    time(
        store,
        "flows list, main: 200 x last 20 runs",
        () -> {
          int n = 0;
          for (RecentRuns.Flow f : flows) {
            n += store.listRuns(new RunQuery(f.namespace(), f.id(), null, 20)).size();
          }
          return n;
        });
    time(
        store,
        "flows list, branch: last 20 runs of 200 flows (RecentRuns)",
        () -> recent.of(flows, 20).values().stream().mapToInt(List::size).sum());
    time(store, "flows list, alternative: ROW_NUMBER() window", () -> sql(store, WINDOW_RECENT));
    time(store, "freshness, main: window over every task run", () -> sql(store, OLD_FRESHNESS));
    time(store, "freshness, branch: weir_dataset_writes", () -> store.lastDatasetWrites().size());
  }

  private void time(JdbcStateStore store, String name, Work work) throws Exception {
    if (only != null && !name.contains(only)) {
      return;
    }
    long[] took = new long[samples];
    int rows = 0;
    for (int i = -warmup; i < samples; i++) {
      // a live server writes between two looks at a page; without a write H2 would answer the
      // same query from the result it kept of the last one
      store.write(new StateStore.Batch(List.of(), List.of(touch(store)), List.of(), List.of()));
      long begin = System.nanoTime();
      rows = work.run();
      long ns = System.nanoTime() - begin;
      if (i >= 0) {
        took[i] = ns;
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %-58s %10s %10s %,8d%n",
        name,
        Stats.ms(Stats.median(took)),
        Stats.ms(Stats.percentile(took, 95)),
        rows);
  }

  private static int sql(JdbcStateStore store, String sql) throws java.sql.SQLException {
    int n = 0;
    try (Connection c = store.dataSource().getConnection();
        var rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        rs.getString(1);
        n++;
      }
    }
    return n;
  }

  private static RunRecord touch(StateStore store) {
    RunRecord r = store.listRuns(RunQuery.latest(1)).getFirst();
    return r.withError(r.error());
  }
}
