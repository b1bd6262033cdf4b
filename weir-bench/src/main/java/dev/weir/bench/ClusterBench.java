package dev.weir.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Cluster mode on one machine (issue 15): 1, 2, 3 {@code weir server} node JVMs on one PostgreSQL
 * schema, driven through the API with runs of a two-{@code noop} flow sent round-robin over the
 * nodes by closed-loop clients (each waits for its run's end before it starts the next). Per
 * configuration, a fresh schema: runs/min completed in the measured window, and the claim latency
 * (a run's {@code created_at} to its first task's {@code started_at}), both read from the database
 * afterwards. On a 2-core machine the nodes share the cores: the question is that adding nodes does
 * not collapse throughput or latency (contention on the runs table, the nodes' heartbeats and
 * orphan scans), not that it scales.
 *
 * <p>Arguments (all optional): {@code --nodes=1,2,3} (the configurations in order; repeat one to
 * measure it twice) {@code --seconds=45 --warmup=10 --clients=16 --heap=512m --lease=30s
 * --heartbeat=5s --pg=JDBC_URL --jar=weir-cli/target/weir.jar}.
 */
public final class ClusterBench {
  static final String TOKEN = "bench-cluster-token-0123456789";
  static final int IDLE_SECONDS = 10;

  /** What one configuration measured. */
  record Result(
      int nodes,
      long runs,
      double seconds,
      long[] claimMicros,
      long[] durationMicros,
      long failed,
      long[] perNode,
      double[] nodeCpu,
      double postgresCpu,
      double benchCpu,
      double[] idleCpu,
      double machineBusy) {
    double perMinute() {
      return runs / (seconds / 60);
    }
  }

  private ClusterBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    String pg = a.getOrDefault("pg", PgSchemas.DEFAULT_URL);
    Path jar = Path.of(a.getOrDefault("jar", "weir-cli/target/weir.jar")).toAbsolutePath();
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "45"));
    int warmup = Integer.parseInt(a.getOrDefault("warmup", "10"));
    int clients = Integer.parseInt(a.getOrDefault("clients", "16"));
    String heap = a.getOrDefault("heap", "512m");
    String lease = a.getOrDefault("lease", "30s");
    String heartbeat = a.getOrDefault("heartbeat", "5s");
    List<Integer> configs =
        java.util.Arrays.stream(a.getOrDefault("nodes", "1,2,3").split(","))
            .map(String::strip)
            .map(Integer::parseInt)
            .toList();
    System.out.printf(
        "ClusterBench: %d cores, load %s; node JVMs -Xmx%s from %s; lease %s, heartbeat %s;"
            + " %d clients, %d s warm-up + %d s measured per configuration %s%n",
        Runtime.getRuntime().availableProcessors(),
        Machine.loadAverage(),
        heap,
        jar,
        lease,
        heartbeat,
        clients,
        warmup,
        seconds,
        configs);
    var results = new ArrayList<Result>();
    for (int n : configs) {
      String db = PgSchemas.create(pg, "weir_cluster_bench");
      Path dir = Files.createTempDirectory("weir-clusterbench-");
      try {
        Path flows = Files.createDirectories(dir.resolve("flows"));
        Files.writeString(
            flows.resolve("pair.yaml"),
            """
            id: pair
            namespace: bench
            tasks:
              - {id: first, type: noop}
              - {id: second, type: noop}
            """);
        var settings = new BenchNodes.Settings(jar, heap, db, flows, lease, heartbeat, TOKEN);
        try (var cluster = new BenchNodes(dir, settings)) {
          List<BenchNodes.Node> nodes = cluster.start(n, "/flows/bench/pair");
          Result r = drive(nodes, db, clients, warmup, seconds);
          results.add(r);
          print(r);
        }
      } finally {
        PgSchemas.drop(pg, db);
        Machine.delete(dir);
      }
    }
    summary(results);
    System.out.printf("load at the end: %s%n", Machine.loadAverage());
    System.exit(0);
  }

  /** Closed-loop clients for warm-up + measured window; the figures come from the database. */
  static Result drive(List<BenchNodes.Node> nodes, String db, int clients, int warmup, int seconds)
      throws Exception {
    // what the nodes use doing nothing (heartbeats, flow scans, schedulers), after their start
    Thread.sleep(3000);
    double[] idle0 = nodes.stream().mapToDouble(BenchNodes.Node::cpuSeconds).toArray();
    Thread.sleep(IDLE_SECONDS * 1000L);
    double[] idle = nodes.stream().mapToDouble(BenchNodes.Node::cpuSeconds).toArray();
    for (int i = 0; i < idle.length; i++) {
      idle[i] = (idle[i] - idle0[i]) / IDLE_SECONDS;
    }
    HttpClient http =
        HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    var ends = new RunEnds(db);
    var stop = new AtomicBoolean();
    var measuring = new AtomicBoolean();
    var failed = new AtomicLong();
    var next = new AtomicInteger();
    var perNode = new AtomicLongArray(nodes.size());
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    var done = new ArrayList<java.util.concurrent.Future<?>>();
    for (int c = 0; c < clients; c++) {
      done.add(
          pool.submit(() -> {
            while (!stop.get()) {
              int i = Math.floorMod(next.getAndIncrement(), nodes.size());
              BenchNodes.Node node = nodes.get(i);
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(
                              URI.create(
                                  "http://127.0.0.1:"
                                      + node.port()
                                      + "/api/v1/flows/bench/pair/runs"))
                          .header("Authorization", "Bearer " + TOKEN)
                          .header("Content-Type", "application/json")
                          .timeout(Duration.ofSeconds(30))
                          .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {}}"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 202) {
                failed.incrementAndGet();
                System.out.println("POST to " + node.id() + ": " + r.statusCode() + " " + r.body());
                Thread.sleep(100);
                continue;
              }
              String id = r.body().replaceAll(".*\"runId\":\"([^\"]+)\".*", "$1");
              String state = ends.await(id).get(60, TimeUnit.SECONDS);
              if (!state.equals("SUCCEEDED")) {
                failed.incrementAndGet();
              }
              if (measuring.get()) {
                perNode.incrementAndGet(i);
              }
            }
            return null;
          }));
    }
    Thread.sleep(warmup * 1000L);
    double[] cpu0 = nodes.stream().mapToDouble(BenchNodes.Node::cpuSeconds).toArray();
    double pg0 = Machine.cpuSecondsOf("postgres");
    double own0 = Machine.ownCpuSeconds();
    long[] busy0 = Machine.cpuTicks();
    Instant w0 = Instant.now();
    measuring.set(true);
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    Instant w1 = Instant.now();
    long[] busy1 = Machine.cpuTicks();
    double[] cpu = nodes.stream().mapToDouble(BenchNodes.Node::cpuSeconds).toArray();
    double pgCpu = Machine.cpuSecondsOf("postgres") - pg0;
    double ownCpu = Machine.ownCpuSeconds() - own0;
    stop.set(true);
    for (var f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    ends.close();
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] -= cpu0[i];
    }
    long[] per = new long[nodes.size()];
    for (int i = 0; i < per.length; i++) {
      per[i] = perNode.get(i);
    }
    try (Connection c = DriverManager.getConnection(db)) {
      long runs;
      try (var ps =
          c.prepareStatement(
              "SELECT COUNT(*) FROM weir_runs WHERE ended_at >= ? AND ended_at < ?")) {
        ps.setTimestamp(1, Timestamp.from(w0));
        ps.setTimestamp(2, Timestamp.from(w1));
        try (var rs = ps.executeQuery()) {
          rs.next();
          runs = rs.getLong(1);
        }
      }
      long[] claim =
          micros(
              c,
              "SELECT CAST(EXTRACT(EPOCH FROM (t.started_at - r.created_at)) * 1000000 AS BIGINT)"
                  + " FROM weir_runs r JOIN weir_task_runs t ON t.run_id = r.id"
                  + " AND t.task_id = 'first' AND t.attempt = 1"
                  + " WHERE r.created_at >= ? AND r.created_at < ?",
              w0,
              w1);
      long[] duration =
          micros(
              c,
              "SELECT CAST(EXTRACT(EPOCH FROM (r.ended_at - r.created_at)) * 1000000 AS BIGINT)"
                  + " FROM weir_runs r WHERE r.created_at >= ? AND r.created_at < ?"
                  + " AND r.ended_at IS NOT NULL",
              w0,
              w1);
      double seconds1 = Duration.between(w0, w1).toNanos() / 1e9;
      return new Result(
          nodes.size(),
          runs,
          seconds1,
          claim,
          duration,
          failed.get(),
          per,
          cpu,
          pgCpu,
          ownCpu,
          idle,
          Machine.busyFraction(busy0, busy1));
    }
  }

  private static long[] micros(Connection c, String sql, Instant w0, Instant w1) throws Exception {
    var out = new ArrayList<Long>();
    try (var ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(w0));
      ps.setTimestamp(2, Timestamp.from(w1));
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  private static String ms(long micros) {
    return String.format("%.1f ms", micros / 1e3);
  }

  static void print(Result r) {
    double nodesCpu = java.util.Arrays.stream(r.nodeCpu()).sum();
    System.out.printf(
        "RESULT %d node(s): %d runs ended in %.1f s = %.0f runs/min; claim latency (created →"
            + " first task started) p50 %s, p99 %s, max %s over %d runs; created → ended p50 %s,"
            + " p99 %s; failed %d; runs sent per node %s; CPU s in the window: nodes %s, PostgreSQL"
            + " %.1f, this JVM %.1f = %.2f ms per run (nodes %.2f, PostgreSQL %.2f, clients %.2f);"
            + " machine busy %.0f%%; idle nodes before: %s%% of a core each%n",
        r.nodes(),
        r.runs(),
        r.seconds(),
        r.perMinute(),
        ms(Stats.median(r.claimMicros())),
        ms(Stats.percentile(r.claimMicros(), 99)),
        ms(Stats.percentile(r.claimMicros(), 100)),
        r.claimMicros().length,
        ms(Stats.median(r.durationMicros())),
        ms(Stats.percentile(r.durationMicros(), 99)),
        r.failed(),
        java.util.Arrays.toString(r.perNode()),
        java.util.Arrays.toString(
            java.util.Arrays.stream(r.nodeCpu()).mapToObj(x -> String.format("%.1f", x)).toArray()),
        r.postgresCpu(),
        r.benchCpu(),
        1e3 * (nodesCpu + r.postgresCpu() + r.benchCpu()) / r.runs(),
        1e3 * nodesCpu / r.runs(),
        1e3 * r.postgresCpu() / r.runs(),
        1e3 * r.benchCpu() / r.runs(),
        100 * r.machineBusy(),
        java.util.Arrays.toString(
            java.util.Arrays.stream(r.idleCpu())
                .mapToObj(x -> String.format("%.1f", 100 * x))
                .toArray()));
  }

  /** Medians per node count, and their ratios to one node's. */
  static void summary(List<Result> results) {
    var by = new TreeMap<Integer, List<Result>>();
    results.forEach(r -> by.computeIfAbsent(r.nodes(), k -> new ArrayList<>()).add(r));
    Double base = null;
    Double baseP50 = null;
    System.out.println();
    for (var e : by.entrySet()) {
      double rate = Stats.medianOf(e.getValue().stream().mapToDouble(Result::perMinute).toArray());
      double p50 =
          Stats.medianOf(
              e.getValue().stream()
                  .mapToDouble(r -> Stats.median(r.claimMicros()) / 1e3)
                  .toArray());
      double p99 =
          Stats.medianOf(
              e.getValue().stream()
                  .mapToDouble(r -> Stats.percentile(r.claimMicros(), 99) / 1e3)
                  .toArray());
      double cpuPerRun =
          Stats.medianOf(
              e.getValue().stream()
                  .mapToDouble(r ->
                      1e3
                          * (java.util.Arrays.stream(r.nodeCpu()).sum()
                              + r.postgresCpu()
                              + r.benchCpu())
                          / r.runs())
                  .toArray());
      base = base == null ? rate : base;
      baseP50 = baseP50 == null ? p50 : baseP50;
      System.out.printf(
          "SUMMARY %d node(s), %d measurement(s): %.0f runs/min (%.2f× one node's); claim p50 %.1f"
              + " ms (%.2f×), p99 %.1f ms; CPU (nodes + PostgreSQL + clients) %.2f ms per run%n",
          e.getKey(), e.getValue().size(), rate, rate / base, p50, p50 / baseP50, p99, cpuPerRun);
    }
  }
}
