package dev.weir.bench;

import dev.weir.bench.AttemptTimes.Call;
import dev.weir.bench.AttemptTimes.Step;
import dev.weir.bench.QueueSampler.QueueSize;
import dev.weir.engine.Engine;
import dev.weir.flow.Flow;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load of a two-{@code noop} flow on one coordinator and 0 (a node of role {@code all} running the
 * tasks itself), 1, 2 or 3 workers, each configuration in a fresh schema. First a steady load (a
 * run started every {@code 1/rate} s, whatever the others do): claim latency (enqueue → a worker's
 * claim) and result latency (result stored → read by the coordinator) while the workers have room.
 * Then closed-loop clients (each starts a run and waits for its end before the next): runs/min, and
 * the same latencies under saturation. The queue table's rows and size are read every 100 ms during
 * both, and once after.
 */
final class WorkerLoad {
  private static final String PAIR =
      """
      id: pair
      namespace: bench
      tasks:
        - {id: first, type: noop}
        - {id: second, type: noop}
      """;
  // the first seconds of the steady load warm the configuration up and are not counted
  private static final int STEADY_SKIP = 2;

  record Settings(
      String pg,
      double rate,
      int steady,
      int clients,
      int warmup,
      int seconds,
      int attempts,
      int slots) {}

  /** One run's end, as its client saw it (nanoTime). */
  private record Ended(long end, long took, boolean succeeded) {}

  /**
   * The runs that ended and the attempts queued in one window of a load, and what the window cost:
   * CPU seconds of this JVM and of every postgres process, queue statements by {@link Call}.
   */
  private record Window(
      List<Ended> runs,
      long failed,
      List<AttemptTimes.Attempt> attempts,
      double seconds,
      double cpu,
      double pgCpu,
      long[] calls) {
    long[] took() {
      return runs.stream().mapToLong(Ended::took).toArray();
    }

    long[] claims() {
      return between(attempts, Step.ENQUEUED, Step.CLAIMED);
    }

    long[] results() {
      return between(attempts, Step.FINISHED, Step.SEEN);
    }

    double perMinute() {
      return runs.size() / seconds * 60;
    }
  }

  /** What one configuration measured, for the summary. */
  record Result(int workers, Window steady, Window closed) {}

  /** The flow every run of a configuration starts, on its coordinator. */
  private record Load(Engine engine, Flow flow, Path file, AttemptTimes times) {
    CompletableFuture<RunRecord> start() {
      return engine.start(flow, file, Map.of(), "bench").completion();
    }
  }

  private WorkerLoad() {}

  static void run(Settings s, List<Integer> configs) throws Exception {
    var results = new ArrayList<Result>();
    for (int workers : configs) {
      results.add(measure(s, workers, workers == configs.getLast()));
    }
    System.out.println();
    Result local = results.stream().filter(r -> r.workers() == 0).findFirst().orElse(null);
    Result one = results.stream().filter(r -> r.workers() == 1).findFirst().orElse(null);
    for (Result r : results) {
      boolean routed = r.workers() > 0;
      double rate = r.closed().perMinute();
      System.out.printf(
          "LOAD %-16s steady %.0f runs/s: run p50 %s, claim p50 %s p99 %s | %d clients: %.0f"
              + " runs/min (%s%s), run p50 %s, claim p50 %s p99 %s%n",
          label(r.workers()),
          s.rate(),
          Stats.ms(Stats.median(r.steady().took())),
          routed ? Stats.ms(Stats.median(r.steady().claims())) : "—",
          routed ? Stats.ms(Stats.percentile(r.steady().claims(), 99)) : "—",
          s.clients(),
          rate,
          local == null ? "" : String.format("%.2f× local", rate / local.closed().perMinute()),
          one == null || !routed
              ? ""
              : String.format(", %.2f× 1 worker", rate / one.closed().perMinute()),
          Stats.ms(Stats.median(r.closed().took())),
          routed ? Stats.ms(Stats.median(r.closed().claims())) : "—",
          routed ? Stats.ms(Stats.percentile(r.closed().claims(), 99)) : "—");
    }
  }

  private static String label(int workers) {
    return workers == 0 ? "local (role all)" : workers + " worker(s)";
  }

  /** One configuration in a fresh schema. */
  private static Result measure(Settings s, int workers, boolean last) throws Exception {
    String url = PgSchemas.create(s.pg(), "weir_worker_bench");
    Path dir = Files.createTempDirectory("weir-workerbench-");
    var times = new AttemptTimes();
    try (var nodes = InProcessNodes.start(url, dir, workers, s.slots(), times);
        var sampler = new QueueSampler(url)) {
      Path file = dir.resolve("pair.yaml");
      Files.writeString(file, PAIR);
      Engine engine = nodes.coordinator();
      var load = new Load(engine, engine.parser().parse(file), file, times);
      QueueSize empty = sampler.read();
      sampler.start();
      String label = label(workers);

      Window steady = steady(s, load);
      System.out.printf(
          "load %-16s steady %.0f runs/s for %d s (first %d s not counted): run start → end p50"
              + " %s p99 %s; failed %d%s%n",
          label,
          s.rate(),
          s.steady(),
          STEADY_SKIP,
          Stats.ms(Stats.median(steady.took())),
          Stats.ms(Stats.percentile(steady.took(), 99)),
          steady.failed(),
          workers == 0 ? "" : "; " + latencies(steady));

      // the last configuration goes on until the schema has seen --attempts routed attempts
      Window closed = closed(s, load, last && workers > 0 ? s.attempts() : 0);
      QueueSize during = sampler.stop();
      System.out.printf(
          "load %-16s %d clients: %6.0f runs/min (%d runs in %.1f s), run start → end p50 %s p99"
              + " %s; failed %d; CPU: this JVM %.2f ms per run, all postgres processes %.2f ms"
              + " per run%n",
          label,
          s.clients(),
          closed.perMinute(),
          closed.runs().size(),
          closed.seconds(),
          Stats.ms(Stats.median(closed.took())),
          Stats.ms(Stats.percentile(closed.took(), 99)),
          closed.failed(),
          1e3 * closed.cpu() / closed.runs().size(),
          1e3 * closed.pgCpu() / closed.runs().size());
      if (workers > 0) {
        String indent = " ".repeat(22);
        System.out.println(indent + latencies(closed));
        System.out.println(indent + statements(times, closed));
        System.out.println(indent + queueTable(sampler, empty, during, times));
      }
      return new Result(workers, steady, closed);
    } finally {
      PgSchemas.drop(s.pg(), url);
      Machine.delete(dir);
    }
  }

  /** A run started every 1/rate s for --steady s; the first seconds are not counted. */
  private static Window steady(Settings s, Load load) throws Exception {
    var ended = new ConcurrentLinkedQueue<Ended>();
    long period = (long) (1e9 / s.rate());
    long s0 = System.nanoTime();
    long w0 = s0 + TimeUnit.SECONDS.toNanos(STEADY_SKIP);
    long w1 = s0 + TimeUnit.SECONDS.toNanos(s.steady());
    var runs = new ArrayList<CompletableFuture<?>>();
    for (long next = s0; next < w1; next += period) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      long t0 = System.nanoTime();
      runs.add(
          load.start()
              .thenAccept(r -> {
                long t1 = System.nanoTime();
                if (t0 >= w0) {
                  ended.add(new Ended(t1, t1 - t0, r.state() == RunState.SUCCEEDED));
                }
              }));
    }
    CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
    var counted = List.copyOf(ended);
    return new Window(
        counted,
        counted.stream().filter(e -> !e.succeeded()).count(),
        enqueuedIn(load.times(), w0, w1),
        (w1 - w0) / 1e9,
        Double.NaN,
        Double.NaN,
        new long[Call.values().length]);
  }

  /**
   * Closed-loop clients: --warmup s, then --seconds s measured; then, while fewer than {@code
   * atLeast} attempts were routed in the schema, on (at most two minutes more), so that the queue
   * is read after that many.
   */
  private static Window closed(Settings s, Load load, int atLeast) throws Exception {
    var ended = new ConcurrentLinkedQueue<Ended>();
    var stop = new AtomicBoolean();
    var clients = new ArrayList<Future<?>>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < s.clients(); c++) {
        clients.add(
            pool.submit(() -> {
              while (!stop.get()) {
                long t0 = System.nanoTime();
                RunRecord r = load.start().get(60, TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                ended.add(new Ended(t1, t1 - t0, r.state() == RunState.SUCCEEDED));
              }
              return null;
            }));
      }
      Thread.sleep(s.warmup() * 1000L);
      long[] calls0 = load.times().calls();
      double cpu0 = Machine.ownCpuSeconds();
      double pg0 = Machine.cpuSecondsOf("postgres");
      long w0 = System.nanoTime();
      Thread.sleep(s.seconds() * 1000L);
      long w1 = System.nanoTime();
      double cpu = Machine.ownCpuSeconds() - cpu0;
      double pgCpu = Machine.cpuSecondsOf("postgres") - pg0;
      long[] calls = load.times().calls();
      for (int i = 0; i < calls.length; i++) {
        calls[i] -= calls0[i];
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (load.times().size() < atLeast && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      stop.set(true);
      for (var f : clients) {
        f.get(2, TimeUnit.MINUTES);
      }
      var counted = ended.stream().filter(e -> e.end() >= w0 && e.end() < w1).toList();
      return new Window(
          counted,
          ended.stream().filter(e -> !e.succeeded()).count(),
          enqueuedIn(load.times(), w0, w1),
          (w1 - w0) / 1e9,
          cpu,
          pgCpu,
          calls);
    }
  }

  private static String latencies(Window w) {
    return String.format(
        "claim latency (enqueue → claimed) p50 %s p99 %s max %s over %d attempts; result latency"
            + " (stored → read DONE) p50 %s p99 %s",
        Stats.ms(Stats.median(w.claims())),
        Stats.ms(Stats.percentile(w.claims(), 99)),
        Stats.ms(Stats.percentile(w.claims(), 100)),
        w.claims().length,
        Stats.ms(Stats.median(w.results())),
        Stats.ms(Stats.percentile(w.results(), 99)));
  }

  /** Queue statements per routed attempt, and what a worker's claim thread spends per claim. */
  private static String statements(AttemptTimes times, Window w) {
    double n = w.attempts().size();
    long[] c = w.calls();
    long others =
        c[Call.ENQUEUE.ordinal()]
            + c[Call.FINISH.ordinal()]
            + c[Call.DROP.ordinal()]
            + c[Call.LOST.ordinal()]
            + c[Call.REQUEUE_ORPHANS.ordinal()];
    long w0 = w.attempts().stream().mapToLong(a -> a.at(Step.ENQUEUED)).min().orElse(0);
    long w1 = w.attempts().stream().mapToLong(a -> a.at(Step.ENQUEUED)).max().orElse(0);
    return String.format(
        "queue statements per routed attempt: claims %.2f (%.2f empty), state reads %.2f, others"
            + " %.2f; %s",
        (c[Call.CLAIM_HIT.ordinal()] + c[Call.CLAIM_EMPTY.ordinal()]) / n,
        c[Call.CLAIM_EMPTY.ordinal()] / n,
        c[Call.STATES.ordinal()] / n,
        others / n,
        claimLoop(times, w0, w1));
  }

  private static String queueTable(
      QueueSampler sampler, QueueSize empty, QueueSize during, AttemptTimes times)
      throws Exception {
    Thread.sleep(500); // the coordinator's last DELETEs
    QueueSize after = sampler.read();
    long dead = sampler.deadRows();
    sampler.vacuum();
    QueueSize vacuumed = sampler.read();
    return String.format(
        "queue table: empty %d rows, %s; during the load (%d reads) at most %d rows, %s; after %d"
            + " routed attempts in this schema: %d rows, %s (%d dead row versions), after VACUUM"
            + " %s",
        empty.rows(),
        kib(empty.bytes()),
        sampler.samples(),
        during.rows(),
        kib(during.bytes()),
        times.size(),
        after.rows(),
        kib(after.bytes()),
        dead,
        kib(vacuumed.bytes()));
  }

  /** A worker's claim thread: the claim statement, then until the same worker claims again. */
  static String claimLoop(AttemptTimes times, long w0, long w1) {
    var in = times.claimLoop().stream().filter(c -> c[0] >= w0 && c[0] < w1).toList();
    return claimLoop(
        in.stream().mapToLong(c -> c[0]).toArray(),
        in.stream().mapToLong(c -> c[1]).toArray(),
        in.stream().mapToLong(c -> c[2]).toArray());
  }

  /** The same over claims' starts, ends and their worker's next claim's start (0: none). */
  static String claimLoop(long[] starts, long[] ends, long[] next) {
    long[] claim = new long[starts.length];
    var after = new ArrayList<Long>();
    for (int i = 0; i < starts.length; i++) {
      claim[i] = ends[i] - starts[i];
      if (next[i] != 0) {
        after.add(next[i] - ends[i]);
      }
    }
    return String.format(
        "claim thread: a successful claim statement p50 %s, then %s (p50) until its next claim",
        Stats.ms(Stats.median(claim)), Stats.ms(Stats.median(after)));
  }

  private static List<AttemptTimes.Attempt> enqueuedIn(AttemptTimes times, long w0, long w1) {
    return times.all().stream()
        .filter(t -> t.at(Step.ENQUEUED) >= w0 && t.at(Step.ENQUEUED) < w1)
        .toList();
  }

  private static long[] between(List<AttemptTimes.Attempt> attempts, Step from, Step to) {
    return attempts.stream().mapToLong(t -> t.between(from, to)).filter(d -> d >= 0).toArray();
  }

  private static String kib(long bytes) {
    return String.format("%.0f KiB", bytes / 1024.0);
  }
}
