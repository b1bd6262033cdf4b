package dev.weir.server.metrics;

import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.engine.gate.Gates;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.schedule.Scheduler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/** What is true now, read when scraped: queues, schedule lag, pools, circuits, the JVM. */
final class ServerGauges {
  private static final List<String> NONE = List.of();
  private static final List<String> POOL = List.of("pool");
  private static final List<String> KIND = List.of("kind");

  private final RunLauncher launcher;
  private final Gates gates;
  private final Scheduler scheduler;
  private final RunMetrics runs;
  private final InstantSource clock;

  ServerGauges(
      RunLauncher launcher,
      Gates gates,
      Scheduler scheduler,
      RunMetrics runs,
      InstantSource clock) {
    this.launcher = launcher;
    this.gates = gates;
    this.scheduler = scheduler;
    this.runs = runs;
    this.clock = clock;
  }

  void write(PromText out) {
    Instant now = clock.instant();
    RunLauncher.Queue q = launcher.queue();
    out.header(
            "weir_runs_queued",
            "gauge",
            "Runs waiting for their flow's concurrency limit (stored QUEUED, not started).")
        .sample("weir_runs_queued", NONE, NONE, q.runs());
    out.header("weir_runs_going", "gauge", "Runs this server is executing now.")
        .sample("weir_runs_going", NONE, NONE, launcher.handles().size());
    out.header(
            "weir_tasks_queued",
            "gauge",
            "Task runs waiting to start: for the flow's parallelism, a pool or an open circuit.")
        .sample("weir_tasks_queued", NONE, NONE, runs.tasksQueued());
    out.header(
        "weir_oldest_queued_seconds",
        "gauge",
        "Age of the oldest queued run (kind=run) and task run (kind=task); 0 when none waits.");
    out.sample("weir_oldest_queued_seconds", KIND, List.of("run"), age(q.oldest(), now));
    out.sample(
        "weir_oldest_queued_seconds", KIND, List.of("task"), age(runs.oldestQueuedTask(), now));
    Optional<Duration> lag = scheduler.lastLag();
    out.header(
            "weir_schedule_lag_seconds",
            "gauge",
            "How late the last schedule slot fired: from the slot's time to its run being stored.")
        .sample(
            "weir_schedule_lag_seconds", NONE, NONE, lag.map(d -> d.toNanos() / 1e9).orElse(0.0));
    pools(out);
    breakers(out);
    jvm(out);
  }

  private void pools(PromText out) {
    var sizes = gates.pools().sizes();
    out.header("weir_pool_size", "gauge", "Tasks a pool lets run at once (pools: in the config).");
    sizes.forEach((name, size) -> out.sample("weir_pool_size", POOL, List.of(name), size));
    out.header("weir_pool_in_use", "gauge", "Tasks holding a slot of the pool now.");
    sizes.forEach((name, size) ->
        out.sample("weir_pool_in_use", POOL, List.of(name), gates.pools().inUse(name)));
    out.header("weir_pool_waiting", "gauge", "Tasks waiting for a slot of the pool now.");
    sizes.forEach((name, size) ->
        out.sample("weir_pool_waiting", POOL, List.of(name), gates.pools().waiting(name)));
  }

  private void breakers(PromText out) {
    out.header(
        "weir_circuit_breaker_state",
        "gauge",
        "Circuit of each connection used so far: 0 closed, 1 half-open, 2 open.");
    gates
        .breakers()
        .statuses()
        .forEach((connection, status) ->
            out.sample(
                "weir_circuit_breaker_state",
                List.of("connection"),
                List.of(connection),
                code(status.state())));
  }

  static int code(CircuitBreakers.State s) {
    return switch (s) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  private static void jvm(PromText out) {
    var memory = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    var area = List.of("area");
    out.header("weir_jvm_memory_used_bytes", "gauge", "JVM memory in use.")
        .sample("weir_jvm_memory_used_bytes", area, List.of("heap"), heap.getUsed())
        .sample("weir_jvm_memory_used_bytes", area, List.of("nonheap"), nonHeap.getUsed());
    out.header("weir_jvm_memory_max_bytes", "gauge", "JVM heap limit (-1 when unbounded).")
        .sample("weir_jvm_memory_max_bytes", area, List.of("heap"), heap.getMax());
    out.header("weir_jvm_threads", "gauge", "Live platform threads of the JVM.")
        .sample(
            "weir_jvm_threads", NONE, NONE, ManagementFactory.getThreadMXBean().getThreadCount());
    long gcCount = 0;
    long gcMillis = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    out.header("weir_jvm_gc_collections_total", "counter", "Garbage collections so far.")
        .sample("weir_jvm_gc_collections_total", NONE, NONE, gcCount);
    out.header("weir_jvm_gc_seconds_total", "counter", "Time spent collecting garbage.")
        .sample("weir_jvm_gc_seconds_total", NONE, NONE, gcMillis / 1000.0);
    out.header("weir_process_uptime_seconds", "gauge", "Time since the server's JVM started.")
        .sample(
            "weir_process_uptime_seconds",
            NONE,
            NONE,
            ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
  }

  private static double age(Optional<Instant> since, Instant now) {
    return since.map(t -> Math.max(0, Duration.between(t, now).toNanos() / 1e9)).orElse(0.0);
  }
}
