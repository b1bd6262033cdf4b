package dev.weir.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.server.ServerOptions;
import dev.weir.server.WeirServer;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.runs.RunLauncher;
import dev.weir.tasks.queue.Broker;
import dev.weir.tasks.queue.IncomingMessage;
import dev.weir.tasks.queue.Subscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * Messages/s into runs (issue 16): a real server whose flow has a queue trigger on the machine's
 * RabbitMQ or NATS JetStream, one {@code noop} task per run.
 *
 * <ul>
 *   <li>stored: N messages published beforehand, the server started; messages/s between the first
 *       and the last run stored (their {@code created_at}), with {@code maxBatch: 1} (a run per
 *       message) and {@code maxBatch: 100}; for {@code maxBatch: 1} also until every run SUCCEEDED;
 *   <li>latency: messages published at a steady rate while the server consumes, from the {@code
 *       sentAt} header (stamped just before the publish) to the run's {@code created_at} and {@code
 *       ended_at};
 *   <li>baselines in the same invocation: Weir's broker client alone consuming and acknowledging
 *       the same N messages (100 per poll, and 1 per poll as a {@code maxBatch: 1} trigger polls),
 *       and runs started through the server's {@link RunLauncher} without a broker (one transaction
 *       per run, and 100 runs per transaction as the trigger stores one poll's runs).
 * </ul>
 */
public final class QueueBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(2, eq < 0 ? arg.length() : eq), eq < 0 ? "true" : arg.substring(eq + 1));
    }
    int n = Integer.parseInt(a.getOrDefault("n", "10000"));
    int reps = Integer.parseInt(a.getOrDefault("reps", "3"));
    int rate = Integer.parseInt(a.getOrDefault("rate", "200"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "20"));
    List<String> brokers = List.of(a.getOrDefault("brokers", "rabbitmq,nats").split(","));
    List<String> stores = List.of(a.getOrDefault("stores", "h2,pg").split(","));
    String pg = a.getOrDefault("pg", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    System.out.printf(
        "QueueBench: N=%d, %d repetitions, steady %d/s for %d s; %d cores, max heap %d MB,"
            + " load %s%n",
        n,
        reps,
        rate,
        seconds,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20,
        Machine.loadAverage());
    long t0 = System.nanoTime();
    warmUp(stores.get(0), pg, brokers, Math.min(n, 5000));
    for (String store : stores) {
      if (!a.getOrDefault("launcher", "true").equals("false")) { // --launcher=false skips it
        launcherBaseline(store, pg, n, reps);
      }
    }
    for (String broker : brokers) {
      String skip = BenchQueue.unreachable(broker);
      if (skip != null) {
        System.out.println("SKIP " + skip);
        continue;
      }
      brokerBaseline(broker, n, reps);
      for (String store : stores) {
        for (int batch : List.of(1, 100)) {
          var stored = new double[reps];
          var finished = new double[reps];
          // a batched trigger takes N messages in well under a second: 4 N for a steadier figure
          int messages = batch == 1 ? n : 4 * n;
          for (int r = 0; r < reps; r++) {
            double[] m = intoRuns(broker, store, pg, messages, batch);
            stored[r] = m[0];
            finished[r] = m[1];
          }
          System.out.printf(
              "RESULT %s %s maxBatch %d, %d messages: stored %s msg/s%s%n",
              broker,
              store,
              batch,
              messages,
              spread(stored),
              batch == 1 ? "; finished " + spread(finished) + " msg/s" : "");
        }
        latency(broker, store, pg, rate, seconds);
      }
    }
    System.out.printf(
        "QueueBench done in %.0f s, load %s%n",
        (System.nanoTime() - t0) / 1e9, Machine.loadAverage());
    System.exit(0);
  }

  /** The same code paths once, unmeasured, so that the first repetition is not the JIT's. */
  static void warmUp(String store, String pg, List<String> brokers, int n) throws Exception {
    try (var s = BenchServer.start(store, pg, null, flow(null, 1))) {
      DeployedFlow flow = s.server.flows().all().iterator().next();
      for (int i = 0; i < n; i++) {
        s.server.launcher().start(flow, new RunLauncher.Request(Map.of(), "manual", null, null));
      }
      s.await(() -> s.count("ended_at IS NOT NULL") >= n, Duration.ofSeconds(60));
    }
    for (String broker : brokers) {
      if (BenchQueue.unreachable(broker) == null) {
        intoRuns(broker, store, pg, n, 1);
      }
    }
    System.out.printf(
        "warm-up done: %d runs through the launcher and %d messages per broker on %s, load %s%n",
        n, n, store, Machine.loadAverage());
  }

  /** "median (min–max)" of a few rates. */
  static String spread(double[] v) {
    return String.format("%.0f (%.0f–%.0f)", Stats.medianOf(v), Stats.min(v), Stats.max(v));
  }

  // --- the broker alone

  static void brokerBaseline(String broker, int n, int reps) throws Exception {
    for (int perPoll : List.of(100, 1)) {
      var rates = new double[reps];
      for (int r = 0; r < reps; r++) {
        try (BenchQueue q = BenchQueue.create(broker);
            Broker b = q.open()) {
          q.publish(b, n);
          // the prefetch a trigger asks for: twice its batch, at least 100
          try (Subscription sub = b.subscribe(q.source(Math.max(perPoll * 2, 100)))) {
            long start = System.nanoTime();
            int got = 0;
            long deadline = start + Duration.ofSeconds(120).toNanos();
            while (got < n && System.nanoTime() < deadline) {
              List<IncomingMessage> batch = sub.poll(perPoll, Duration.ofMillis(500));
              if (!batch.isEmpty()) {
                sub.ack(batch);
                got += batch.size();
              }
            }
            rates[r] = got / ((System.nanoTime() - start) / 1e9);
          }
        }
      }
      System.out.printf(
          "RESULT %s broker alone, %d per poll: consumed and acked %s msg/s%n",
          broker, perPoll, spread(rates));
    }
  }

  // --- runs through the launcher, no broker

  static void launcherBaseline(String store, String pg, int n, int reps) throws Exception {
    for (int perTx : List.of(1, 100)) {
      var rates = new double[reps];
      var finished = new double[reps];
      for (int r = 0; r < reps; r++) {
        try (var s = BenchServer.start(store, pg, null, flow(null, 1))) {
          DeployedFlow flow = s.server.flows().all().iterator().next();
          RunLauncher l = s.server.launcher();
          var request = new RunLauncher.Request(Map.of(), "manual", null, null);
          long start = System.nanoTime();
          if (perTx == 1) {
            for (int i = 0; i < n; i++) {
              l.start(flow, request);
            }
          } else {
            for (int i = 0; i < n; i += perTx) {
              var prepared = new ArrayList<RunLauncher.Prepared>();
              for (int j = i; j < Math.min(n, i + perTx); j++) {
                prepared.add(l.prepare(flow, request));
              }
              try {
                l.launchAll(prepared, c -> {});
              } catch (RuntimeException e) {
                System.out.println("  launchAll failed: " + e.getMessage());
              }
            }
          }
          rates[r] = n / ((System.nanoTime() - start) / 1e9);
          s.await(() -> s.count("ended_at IS NOT NULL") >= n, Duration.ofSeconds(120));
          finished[r] = (n - 1) / s.seconds("MIN(created_at)", "MAX(ended_at)");
          System.out.printf(
              "  %s launcher %d per transaction: stored %.0f runs/s, finished %.0f runs/s (%d"
                  + " ended), load %s%n",
              store,
              perTx,
              rates[r],
              finished[r],
              s.count("ended_at IS NOT NULL"),
              Machine.loadAverage());
        }
      }
      System.out.printf(
          "RESULT %s launcher, no broker, %d run(s) per transaction: stored %s runs/s; finished"
              + " %s runs/s%n",
          store, perTx, spread(rates), spread(finished));
    }
  }

  // --- pre-published messages into runs

  /** {stored msg/s, finished msg/s (NaN with a batch)} of one repetition. */
  static double[] intoRuns(String broker, String store, String pg, int n, int batch)
      throws Exception {
    try (BenchQueue q = BenchQueue.create(broker)) {
      try (Broker b = q.open()) {
        q.publish(b, n);
      }
      int runs = (n + batch - 1) / batch;
      try (var s = BenchServer.start(store, pg, q.weirYaml(), flow(q, batch))) {
        Duration limit = Duration.ofSeconds(60 + n / 50);
        if (!s.await(() -> s.count("TRUE") >= runs, limit)) {
          System.out.printf(
              "  %s %s: only %d of %d runs stored%n", broker, store, s.count("TRUE"), runs);
        }
        double finished = Double.NaN;
        if (batch == 1) {
          s.await(() -> s.count("state = 'SUCCEEDED'") >= runs, limit);
          finished = (n - 1) / s.seconds("MIN(created_at)", "MAX(ended_at)");
        }
        // messages in runs 2..R over the span between run 1 and run R being stored
        double stored =
            (double) (n - Math.min(batch, n)) / s.seconds("MIN(created_at)", "MAX(created_at)");
        System.out.printf(
            "  %s %s maxBatch %d: %d runs, stored %.0f msg/s, finished %.0f msg/s, load %s%n",
            broker, store, batch, s.count("TRUE"), stored, finished, Machine.loadAverage());
        return new double[] {stored, finished};
      }
    }
  }

  // --- steady rate: latency from publish to run stored and ended

  static void latency(String broker, String store, String pg, int rate, int seconds)
      throws Exception {
    try (BenchQueue q = BenchQueue.create(broker);
        var s = BenchServer.start(store, pg, q.weirYaml(), flow(q, 1));
        Broker b = q.open()) {
      s.await(() -> s.server.triggers().queues().consuming() == 1, Duration.ofSeconds(10));
      Thread.sleep(1000); // connected and subscribed
      int total = rate * seconds;
      long start = System.nanoTime();
      long lateSends = 0;
      // each send on its own virtual thread, so that a publish waiting for its confirm (RabbitMQ
      // confirms a persistent message after its fsync) does not hold up the next one's schedule
      try (var sends = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < total; i++) {
          long due = start + i * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } else if (wait < -10_000_000) {
            lateSends++;
          }
          int m = i;
          sends.submit(() -> {
            q.publishOne(b, m);
            return null;
          });
        }
      }
      double achieved = total / ((System.nanoTime() - start) / 1e9);
      s.await(() -> s.count("ended_at IS NOT NULL") >= total, Duration.ofSeconds(60));
      var toStored = new ArrayList<Long>();
      var toEnded = new ArrayList<Long>();
      try (var c = s.server.store().dataSource().getConnection();
          var ps = c.prepareStatement("SELECT inputs, created_at, ended_at FROM weir_runs");
          var rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant sent = Instant.parse(JSON.readTree(rs.getString(1)).path("sent").asText());
          toStored.add(Duration.between(sent, rs.getTimestamp(2).toInstant()).toNanos());
          Timestamp ended = rs.getTimestamp(3);
          if (ended != null) {
            toEnded.add(Duration.between(sent, ended.toInstant()).toNanos());
          }
        }
      }
      System.out.printf(
          "RESULT %s %s latency at %d msg/s for %d s (%.0f/s achieved): %d runs; publish → stored"
              + " p50 %s, p99 %s; → ended p50 %s, p99 %s (%d sends more than 10 ms late)%n",
          broker,
          store,
          rate,
          seconds,
          achieved,
          toStored.size(),
          Stats.ms(Stats.median(toStored)),
          Stats.ms(Stats.percentile(toStored, 99)),
          Stats.ms(Stats.median(toEnded)),
          Stats.ms(Stats.percentile(toEnded, 99)),
          lateSends);
    }
  }

  /** The bench flow: one noop task; a queue trigger on {@code q} unless it is null. */
  static String flow(BenchQueue q, int batch) {
    String trigger =
        q == null
            ? ""
            : "triggers:\n  - id: m\n    type: "
                + q.broker
                + "\n    connection: events\n"
                + q.triggerSource()
                + (batch == 1
                    ? "    inputs: {sent: \"{{ trigger.headers.sentAt }}\"}\n"
                    : "    maxBatch: " + batch + "\n");
    return """
    id: q
    namespace: bench
    inputs:
      - {id: sent, type: string, default: "-"}
    tasks:
      - {id: take, type: noop}
    """
        + trigger;
  }

  /** A server on a fresh H2 home or a fresh PostgreSQL database, with one flow. */
  static final class BenchServer implements AutoCloseable {
    final WeirServer server;
    private final Path dir;

    private BenchServer(WeirServer server, Path dir) {
      this.server = server;
      this.dir = dir;
    }

    static BenchServer start(String store, String pg, String weirYaml, String flow)
        throws Exception {
      Path dir = Files.createTempDirectory("weir-queuebench");
      Files.createDirectories(dir.resolve("flows"));
      if (weirYaml != null) {
        Files.writeString(dir.resolve("weir.yaml"), weirYaml);
      }
      Files.writeString(dir.resolve("flows/q.yaml"), flow);
      String db = store.equals("pg") ? ServerBench.freshDb(pg, "weir_bench_queues") : null;
      ServerOptions o = ServerBench.options(db, dir);
      return new BenchServer(WeirServer.start(o, t -> {}), dir);
    }

    long count(String where) {
      try (var c = server.store().dataSource().getConnection();
          var ps = c.prepareStatement("SELECT COUNT(*) FROM weir_runs WHERE " + where);
          var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** Seconds between two timestamps the store aggregates over all runs. */
    double seconds(String from, String to) throws Exception {
      try (var c = server.store().dataSource().getConnection();
          var ps = c.prepareStatement("SELECT " + from + ", " + to + " FROM weir_runs");
          var rs = ps.executeQuery()) {
        rs.next();
        return Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant())
                .toNanos()
            / 1e9;
      }
    }

    /** Polls every 20 ms until {@code done} or {@code limit}; whether it was done. */
    boolean await(BooleanSupplier done, Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        if (done.getAsBoolean()) {
          return true;
        }
        Thread.sleep(20);
      }
      return done.getAsBoolean();
    }

    @Override
    public void close() {
      server.close();
      Machine.delete(dir);
    }
  }
}
