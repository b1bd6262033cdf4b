package dev.weir.bench;

import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's speed on this machine, against a PostgreSQL state store in a fresh database:
 *
 * <ul>
 *   <li>{@code webhook}: closed-loop clients each POST a webhook and wait until its run has ended;
 *       latency is from sending the request to the run's end being stored, throughput is runs
 *       finished per minute.
 *   <li>{@code start}: time from starting a server to its API answering, with N flow files, for the
 *       first start (every flow becomes revision 1) and a second start (nothing changed).
 *   <li>{@code schedules}: N flows each scheduled every minute; lateness of a slot is the time
 *       between the slot and its run being stored.
 * </ul>
 */
public final class ServerBench {
  static final String KEY = "bench-key-0123456789abcdef";

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    String pg = a.getOrDefault("pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    String scenario = a.getOrDefault("scenario", "webhook");
    Path dir = Files.createTempDirectory("weir-serverbench");
    System.out.printf(
        "ServerBench %s: %d cores, max heap %d MB, PostgreSQL store%n",
        scenario,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    switch (scenario) {
      case "webhook" ->
          webhook(
              freshDb(pg, "weir_bench_webhook"),
              dir,
              Integer.parseInt(a.getOrDefault("clients", "16")),
              Duration.ofSeconds(Long.parseLong(a.getOrDefault("seconds", "60"))),
              Duration.ofSeconds(Long.parseLong(a.getOrDefault("warmup", "15"))));
      case "start" ->
          start(
              freshDb(pg, "weir_bench_start"),
              dir,
              Integer.parseInt(a.getOrDefault("flows", "10000")));
      case "schedules" ->
          schedules(
              freshDb(pg, "weir_bench_schedules"),
              dir,
              Integer.parseInt(a.getOrDefault("flows", "10000")),
              Boolean.parseBoolean(a.getOrDefault("spread", "false")));
      default -> throw new IllegalArgumentException("unknown scenario " + scenario);
    }
    System.exit(0);
  }

  static String freshDb(String pg, String name) throws Exception {
    try (Connection c = DriverManager.getConnection(pg)) {
      c.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      c.createStatement().execute("CREATE DATABASE " + name);
    }
    int q = pg.indexOf('?');
    String base = q < 0 ? pg : pg.substring(0, q);
    return base.substring(0, base.lastIndexOf('/') + 1) + name + (q < 0 ? "" : pg.substring(q));
  }

  static ServerOptions options(String db, Path dir) {
    return new ServerOptions(
        "127.0.0.1",
        0,
        dir.resolve("home"),
        db,
        dir.resolve("flows"),
        List.of("bench-token-0123456789"),
        Map.of(),
        null,
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Map.of(),
        null);
  }

  // --- webhook → run finished

  static void webhook(String db, Path dir, int clients, Duration measure, Duration warmup)
      throws Exception {
    Files.createDirectories(dir.resolve("flows"));
    Files.writeString(
        dir.resolve("flows/hook.yaml"),
        """
        id: hook
        namespace: bench
        tasks:
          - {id: first, type: noop}
          - {id: second, type: noop}
        triggers:
          - {id: push, type: webhook, key: %s}
        """
            .formatted(KEY));
    try (WeirServer server = WeirServer.start(options(db, dir), t -> {})) {
      Map<String, CompletableFuture<RunRecord>> waiting = new ConcurrentHashMap<>();
      Map<String, RunRecord> endedEarly = new ConcurrentHashMap<>();
      server
          .launcher()
          .onRunEnded(r -> {
            var f = waiting.remove(r.id());
            if (f != null) {
              f.complete(r);
            } else {
              endedEarly.put(r.id(), r);
            }
          });
      URI uri =
          URI.create("http://127.0.0.1:" + server.port() + "/api/v1/webhooks/bench/hook/" + KEY);
      HttpClient http =
          HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      var stop = new AtomicBoolean();
      var measuring = new AtomicBoolean();
      var samples = new ArrayList<long[]>();
      var failed = new AtomicLong();
      var done = new CountDownLatch(clients);
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      long[] window = new long[2];
      for (int c = 0; c < clients; c++) {
        long[] mine = new long[2_000_000];
        int[] n = {0};
        synchronized (samples) {
          samples.add(mine);
        }
        pool.submit(() -> {
          try {
            while (!stop.get()) {
              long t0 = System.nanoTime();
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(uri)
                          .POST(HttpRequest.BodyPublishers.ofString("{\"n\": 1}"))
                          .header("Content-Type", "application/json")
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              if (r.statusCode() != 202) {
                failed.incrementAndGet();
                continue;
              }
              String id = r.body().replaceAll(".*\"runId\":\"([^\"]+)\".*", "$1");
              var f = new CompletableFuture<RunRecord>();
              waiting.put(id, f);
              RunRecord early = endedEarly.remove(id);
              if (early != null && waiting.remove(id) != null) {
                f.complete(early);
              }
              RunRecord end = f.get();
              long t1 = System.nanoTime();
              if (end.state() != RunState.SUCCEEDED) {
                failed.incrementAndGet();
              }
              if (measuring.get() && n[0] < mine.length - 1) {
                mine[++n[0]] = t1 - t0;
                mine[0] = n[0];
              }
            }
          } catch (Exception e) {
            failed.incrementAndGet();
            System.err.println("client failed: " + e);
          } finally {
            done.countDown();
          }
          return null;
        });
      }
      Thread.sleep(warmup.toMillis());
      measuring.set(true);
      window[0] = System.nanoTime();
      Thread.sleep(measure.toMillis());
      measuring.set(false);
      window[1] = System.nanoTime();
      stop.set(true);
      done.await();
      pool.shutdown();
      var all = new ArrayList<Long>();
      for (long[] s : samples) {
        for (int i = 1; i <= s[0]; i++) {
          all.add(s[i]);
        }
      }
      long[] lat = all.stream().mapToLong(Long::longValue).toArray();
      double minutes = (window[1] - window[0]) / 60e9;
      System.out.printf(
          "RESULT webhook: %d clients, %d runs in %.0f s = %.0f runs/min; latency median %s, p99 %s,"
              + " max %s; failed %d%n",
          clients,
          lat.length,
          minutes * 60,
          lat.length / minutes,
          Stats.ms(Stats.median(lat)),
          Stats.ms(Stats.percentile(lat, 99)),
          Stats.ms(Stats.percentile(lat, 100)),
          failed.get());
    }
  }

  // --- start time with many flows

  static void writeFlows(Path flows, int n, String trigger) throws IOException {
    for (int i = 0; i < n; i++) {
      Path f = flows.resolve("team" + (i % 100)).resolve("flow_" + i + ".yaml");
      Files.createDirectories(f.getParent());
      Files.writeString(
          f,
          """
          id: flow_%d
          namespace: bench.team%d
          tasks:
            - {id: extract, type: noop}
            - {id: load, type: log, message: "loaded {{ run.logicalDate }}"}
          triggers:
          %s
          """
              .formatted(i, i % 100, trigger.formatted(i % 60)));
    }
  }

  static void start(String db, Path dir, int flows) throws Exception {
    writeFlows(
        dir.resolve("flows"),
        flows,
        "  - {id: hourly, type: schedule, cron: \"%d * * * *\", timezone: Europe/Berlin}");
    for (String which : List.of("first start", "second start", "third start")) {
      long t0 = System.nanoTime();
      try (WeirServer server = WeirServer.start(options(db, dir), t -> {})) {
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/v1/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        long t1 = System.nanoTime();
        System.out.printf(
            "RESULT start (%s): %d flows loaded, %d schedules, API answering after %s%n",
            which, server.flows().all().size(), server.scheduler().size(), Stats.ms(t1 - t0));
      }
    }
  }

  // --- schedule lateness

  /**
   * @param spread hourly schedules at minute {@code i % 60} (about N/60 due each minute, as a fleet
   *     of hourly jobs is) instead of every schedule due every minute at once
   */
  static void schedules(String db, Path dir, int flows, boolean spread) throws Exception {
    writeFlows(
        dir.resolve("flows"),
        flows,
        spread
            ? "  - {id: hourly, type: schedule, cron: \"%d * * * *\"}"
            : "  - {id: every_minute, type: schedule, cron: \"* * * * *\"}%.0s");
    try (WeirServer server = WeirServer.start(options(db, dir), t -> {})) {
      Instant started = Instant.now();
      Instant firstSlot =
          started.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60);
      System.out.printf(
          "%d schedules; waiting for the slot %s%n", server.scheduler().size(), firstSlot);
      // an outside observer: when does each run become visible in the store (committed)?
      var visible = new java.util.concurrent.ConcurrentHashMap<String, Instant>();
      var watch = new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread observer =
          Thread.ofPlatform()
              .start(() -> {
                try (var c = java.sql.DriverManager.getConnection(db);
                    var ps =
                        c.prepareStatement(
                            "SELECT id FROM weir_runs WHERE created_at >= ? ORDER BY created_at")) {
                  ps.setTimestamp(1, java.sql.Timestamp.from(firstSlot));
                  while (watch.get()) {
                    try (var rs = ps.executeQuery()) {
                      Instant now = Instant.now();
                      while (rs.next()) {
                        visible.putIfAbsent(rs.getString(1), now);
                      }
                    }
                    Thread.sleep(2);
                  }
                } catch (Exception e) {
                  System.out.println("observer failed: " + e);
                }
              });
      // wait for two slots; all runs of the first slot must exist
      Thread.sleep(Duration.between(Instant.now(), firstSlot.plusSeconds(60 + 50)).toMillis());
      watch.set(false);
      observer.join();
      List<RunRecord> runs =
          server.store().listRuns(new StateStore.RunQuery(null, null, null, flows * 3));
      for (Instant slot : List.of(firstSlot, firstSlot.plusSeconds(60))) {
        var ofSlot = runs.stream().filter(r -> r.logicalDate().equals(slot)).toList();
        // created: the run's record made (stored in the same transaction a few ms later);
        // started: the run marked RUNNING by its coordinator, its first task about to run
        long[] created =
            ofSlot.stream()
                .mapToLong(r -> Duration.between(slot, r.createdAt()).toNanos())
                .toArray();
        long[] running =
            ofSlot.stream()
                .filter(r -> r.startedAt() != null)
                .mapToLong(r -> Duration.between(slot, r.startedAt()).toNanos())
                .toArray();
        System.out.printf(
            "RESULT schedules slot %s: %d runs stored; lateness to stored median %s, p99 %s,"
                + " max %s; to started (%d) median %s, p99 %s, max %s%n",
            slot,
            created.length,
            Stats.ms(Stats.median(created)),
            Stats.ms(Stats.percentile(created, 99)),
            Stats.ms(Stats.percentile(created, 100)),
            running.length,
            Stats.ms(Stats.median(running)),
            Stats.ms(Stats.percentile(running, 99)),
            Stats.ms(Stats.percentile(running, 100)));
      }
    }
  }
}
