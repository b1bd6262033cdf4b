package dev.weir.bench;

import dev.weir.engine.Engine;
import dev.weir.engine.EngineOptions;
import dev.weir.flow.Flow;
import dev.weir.store.JdbcStateStore;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.TaskRunRecord;
import dev.weir.task.TaskRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads into PostgreSQL, Weir against the hand-written baseline in the same run: a CSV appended (vs
 * {@code psql \copy}), upserted with 10% of rows changed (vs COPY into a temp table + INSERT … ON
 * CONFLICT), and a PostgreSQL → PostgreSQL incremental sync (vs COPY TO STDOUT piped into the same
 * upsert). Run with the JVM heap capped, e.g. -Xmx256m, to show memory stays flat.
 *
 * <p>Arguments: {@code --rows=10000000 --rounds=3
 * --pg=jdbc:postgresql://127.0.0.1:5432/test?user=postgres
 * --psql=postgresql://postgres@127.0.0.1:5432/test --work=/tmp/weir-pgbench}
 */
public final class PgLoadBench {
  private final long rows;
  private final int rounds;
  private final String pg;
  private final String psqlUrl;
  private final Path work;

  private PgLoadBench(Map<String, String> args) {
    rows = Long.parseLong(args.getOrDefault("rows", "10000000"));
    rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));
    pg = args.getOrDefault("pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    psqlUrl = args.getOrDefault("psql", "postgresql://postgres@127.0.0.1:5432/test");
    work = Path.of(args.getOrDefault("work", "/tmp/weir-pgbench"));
  }

  public static void main(String[] argv) throws Exception {
    var args = new java.util.HashMap<String, String>();
    for (String a : argv) {
      String[] kv = a.replaceFirst("^--", "").split("=", 2);
      args.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    new PgLoadBench(args).run(args.getOrDefault("only", "append,upsert,incremental"));
  }

  private void run(String only) throws Exception {
    Files.createDirectories(work);
    System.out.printf(
        Locale.ROOT,
        "PgLoadBench: %,d rows, %d rounds, max heap %d MB, %d cores, PostgreSQL %s%n",
        rows,
        rounds,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors(),
        scalar("SHOW server_version"));
    generate();
    sql("DROP SCHEMA IF EXISTS weir_bench CASCADE", "CREATE SCHEMA weir_bench");
    try {
      if (only.contains("append")) {
        append();
      }
      if (only.contains("upsert")) {
        upsert();
      }
      if (only.contains("incremental")) {
        incremental();
      }
    } finally {
      sql("DROP SCHEMA IF EXISTS weir_bench CASCADE");
    }
  }

  /** orders.csv and orders_changed.csv (every 10th row changed), written by DuckDB once. */
  private void generate() throws Exception {
    Path orders = work.resolve("orders-" + rows + ".csv");
    if (Files.exists(orders)) {
      return;
    }
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        var st = duck.createStatement()) {
      String base =
          "SELECT range AS id, range % 50000 AS customer_id, 'status_' || (range % 7) AS status,"
              + " (range % 100000) / 100.0 AS amount, TIMESTAMP '2026-01-01' + to_seconds(range)"
              + " AS updated_at FROM range("
              + rows
              + ")";
      st.execute("COPY (" + base + ") TO '" + orders + "' (FORMAT csv, HEADER true)");
      st.execute(
          "COPY (SELECT id, customer_id, CASE WHEN id % 10 = 0 THEN 'changed' ELSE status END AS"
              + " status, amount, updated_at FROM ("
              + base
              + ")) TO '"
              + work.resolve("orders-changed-" + rows + ".csv")
              + "' (FORMAT csv, HEADER true)");
    }
  }

  private static final String COLUMNS =
      "(id bigint PRIMARY KEY, customer_id bigint, status text, amount numeric(10,2),"
          + " updated_at timestamp)";

  private static final String READ =
      """
        - id: rows
          type: file.read
          path: %s
          schema: {id: BIGINT, customer_id: BIGINT, status: VARCHAR, amount: 'DECIMAL(10,2)', updated_at: TIMESTAMP}
      """;

  private void append() throws Exception {
    Path csv = work.resolve("orders-" + rows + ".csv");
    var base = new double[rounds];
    var flow = new double[rounds];
    var task = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      sql("DROP TABLE IF EXISTS weir_bench.copy_t", "CREATE TABLE weir_bench.copy_t " + COLUMNS);
      base[r] = psql("\\copy weir_bench.copy_t FROM '" + csv + "' CSV HEADER");
      sql("DROP TABLE IF EXISTS weir_bench.weir_t", "CREATE TABLE weir_bench.weir_t " + COLUMNS);
      var times =
          weir(
              "append",
              "tasks:\n"
                  + READ.formatted(csv)
                  + "  - {id: load, type: jdbc.load, dataset: rows, connection: pg, table:"
                  + " weir_bench.weir_t}\n",
              "load");
      flow[r] = times[0];
      task[r] = times[1];
      check("SELECT count(*) FROM weir_bench.weir_t", rows);
      System.out.printf(
          Locale.ROOT,
          "append round %d: psql \\copy %.2f s, weir flow %.2f s (load task %.2f s)%n",
          r + 1,
          base[r],
          flow[r],
          task[r]);
    }
    report("append", base, flow, task);
  }

  private void upsert() throws Exception {
    Path csv = work.resolve("orders-" + rows + ".csv");
    Path changed = work.resolve("orders-changed-" + rows + ".csv");
    var base = new double[rounds];
    var flow = new double[rounds];
    var task = new double[rounds];
    String set =
        "customer_id = EXCLUDED.customer_id, status = EXCLUDED.status, amount = EXCLUDED.amount,"
            + " updated_at = EXCLUDED.updated_at";
    for (int r = 0; r < rounds; r++) {
      for (String t : List.of("copy_u", "weir_u")) {
        sql("DROP TABLE IF EXISTS weir_bench." + t, "CREATE TABLE weir_bench." + t + " " + COLUMNS);
        psql("\\copy weir_bench." + t + " FROM '" + csv + "' CSV HEADER");
        sql("VACUUM ANALYZE weir_bench." + t);
      }
      base[r] =
          psql(
              "BEGIN",
              "CREATE TEMP TABLE s (LIKE weir_bench.copy_u) ON COMMIT DROP",
              "\\copy s FROM '" + changed + "' CSV HEADER",
              "INSERT INTO weir_bench.copy_u SELECT * FROM s ON CONFLICT (id) DO UPDATE SET " + set,
              "COMMIT");
      var times =
          weir(
              "upsert",
              "tasks:\n"
                  + READ.formatted(changed)
                  + "  - {id: load, type: jdbc.load, dataset: rows, connection: pg, table:"
                  + " weir_bench.weir_u, mode: upsert, key: [id]}\n",
              "load");
      flow[r] = times[0];
      task[r] = times[1];
      check("SELECT count(*) FROM weir_bench.weir_u WHERE status = 'changed'", (rows + 9) / 10);
      System.out.printf(
          Locale.ROOT,
          "upsert round %d: COPY + ON CONFLICT %.2f s, weir flow %.2f s (load task %.2f s)%n",
          r + 1,
          base[r],
          flow[r],
          task[r]);
    }
    report("upsert", base, flow, task);
  }

  /** Source table with every row; each round changes 10% of it and syncs what changed. */
  private void incremental() throws Exception {
    Path csv = work.resolve("orders-" + rows + ".csv");
    sql("DROP TABLE IF EXISTS weir_bench.src", "CREATE TABLE weir_bench.src " + COLUMNS);
    psql("\\copy weir_bench.src FROM '" + csv + "' CSV HEADER");
    sql(
        "CREATE INDEX ON weir_bench.src (updated_at)",
        "VACUUM ANALYZE weir_bench.src",
        "DROP TABLE IF EXISTS weir_bench.copy_dst",
        "CREATE TABLE weir_bench.copy_dst " + COLUMNS,
        "DROP TABLE IF EXISTS weir_bench.weir_dst",
        "CREATE TABLE weir_bench.weir_dst " + COLUMNS);
    String flowYaml =
        """
        tasks:
          - id: extract
            type: jdbc.extract
            connection: pg
            sql: SELECT * FROM weir_bench.src WHERE updated_at >= :since
            incremental: {column: updated_at, overlap: 1m}
          - id: load
            type: jdbc.load
            dataset: extract
            connection: pg
            table: weir_bench.weir_dst
            mode: upsert
            key: [id]
        """;
    String set =
        "customer_id = EXCLUDED.customer_id, status = EXCLUDED.status, amount = EXCLUDED.amount,"
            + " updated_at = EXCLUDED.updated_at";
    // the first sync copies everything; each following one, the 10% changed since
    String since = "1900-01-01";
    var base = new double[rounds];
    var flow = new double[rounds];
    var extract = new double[rounds];
    Path home = work.resolve("home-incremental");
    deleteTree(home);
    for (int r = 0; r <= rounds; r++) {
      if (r > 0) {
        sql(
            "UPDATE weir_bench.src SET status = 'round"
                + r
                + "', updated_at = TIMESTAMP '2027-01-0"
                + r
                + "' + (id % 1000) * INTERVAL '1 second' WHERE id % 10 = "
                + r);
      }
      double b =
          shell(
              "psql -X -q '"
                  + psqlUrl
                  + "' -c \"\\copy (SELECT * FROM weir_bench.src WHERE updated_at >= '"
                  + since
                  + "') TO STDOUT\" | psql -X -q -v ON_ERROR_STOP=1 '"
                  + psqlUrl
                  + "' -c 'BEGIN' -c 'CREATE TEMP TABLE s (LIKE weir_bench.copy_dst) ON COMMIT DROP'"
                  + " -c '\\copy s FROM STDIN' -c 'INSERT INTO weir_bench.copy_dst SELECT * FROM s"
                  + " ON CONFLICT (id) DO UPDATE SET "
                  + set
                  + "' -c 'COMMIT'");
      since =
          scalar("SELECT (max(updated_at) - INTERVAL '1 minute')::text FROM weir_bench.copy_dst");
      var times = weirIn(home, "incremental", flowYaml, "extract");
      long moved =
          Long.parseLong(
              scalar("SELECT count(*) FROM weir_bench.weir_dst WHERE status = 'round" + r + "'"));
      System.out.printf(
          Locale.ROOT,
          "incremental sync %d: baseline %.2f s, weir flow %.2f s (extract %.2f s)%s%n",
          r,
          b,
          times[0],
          times[1],
          r == 0 ? " — full copy" : ", " + moved + " changed rows arrived");
      if (r > 0) {
        base[r - 1] = b;
        flow[r - 1] = times[0];
        extract[r - 1] = times[1];
      }
    }
    sqlCheckEqual();
    report("incremental (10% changed)", base, flow, extract);
  }

  private void sqlCheckEqual() throws Exception {
    String a = scalar("SELECT sum(hashtext(t::text)) FROM weir_bench.copy_dst t");
    String b = scalar("SELECT sum(hashtext(t::text)) FROM weir_bench.weir_dst t");
    String c = scalar("SELECT sum(hashtext(t::text)) FROM weir_bench.src t");
    if (!a.equals(b) || !b.equals(c)) {
      throw new IllegalStateException("targets differ from the source: " + a + " " + b + " " + c);
    }
    System.out.println("incremental: source, baseline target and weir target hold the same rows");
  }

  private void report(String what, double[] base, double[] flow, double[] task) {
    double mb = Stats.medianOf(base);
    double mf = Stats.medianOf(flow);
    double mt = Stats.medianOf(task);
    long n = what.startsWith("incremental") ? rows / 10 : rows;
    System.out.printf(
        Locale.ROOT,
        "RESULT %s: baseline median %.2f s (%,.0f rows/s); weir flow median %.2f s (%,.0f rows/s,"
            + " %.2fx); weir task median %.2f s (%,.0f rows/s, %.2fx); peak heap %d MB%n",
        what,
        mb,
        n / mb,
        mf,
        n / mf,
        mb / mf,
        mt,
        n / mt,
        mb / mt,
        peakHeapMb());
  }

  /** Runs a flow in this JVM; returns {whole run, the named task} in seconds. */
  private double[] weir(String name, String tasks, String timedTask) throws Exception {
    Path home = work.resolve("home-" + name);
    deleteTree(home);
    return weirIn(home, name, tasks, timedTask);
  }

  private double[] weirIn(Path home, String name, String tasks, String timedTask) throws Exception {
    Path dir = work.resolve("flow-" + name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("weir.yaml"), "connections:\n  pg: {url: '" + pg + "'}\n");
    Path file = dir.resolve("flow.yaml");
    Files.writeString(file, "id: bench_" + name + "\n" + tasks);
    try (var store = JdbcStateStore.h2(home);
        var engine =
            new Engine(
                store, TaskRegistry.load(), new EngineOptions(home, null, null, null, null))) {
      Flow flow = engine.parser().parse(file);
      long t0 = System.nanoTime();
      RunRecord run = engine.start(flow, file, Map.of(), "bench").await(Duration.ofHours(1));
      double total = (System.nanoTime() - t0) / 1e9;
      if (run.state() != RunState.SUCCEEDED) {
        throw new IllegalStateException(name + " run failed: " + run.error());
      }
      double task = 0;
      for (TaskRunRecord t : store.taskRuns(run.id())) {
        if (t.taskId().equals(timedTask) && t.duration() != null) {
          task = t.duration().toNanos() / 1e9;
        }
      }
      deleteTree(home.resolve("staging"));
      return new double[] {total, task};
    }
  }

  private double psql(String... commands) throws Exception {
    var cmd = new ArrayList<>(List.of("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", psqlUrl));
    for (String c : commands) {
      cmd.add("-c");
      cmd.add(c);
    }
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql failed: " + commands[0]);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private double shell(String script) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("bash", "-o", "pipefail", "-c", script).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("failed: " + script);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection(pg);
        var st = c.createStatement()) {
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  private String scalar(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(pg);
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private void check(String sql, long expected) throws Exception {
    long got = Long.parseLong(scalar(sql));
    if (got != expected) {
      throw new IllegalStateException(sql + " gave " + got + ", expected " + expected);
    }
  }

  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }

  private static void deleteTree(Path p) throws Exception {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
