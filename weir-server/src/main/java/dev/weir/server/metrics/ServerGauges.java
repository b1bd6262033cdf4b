package dev.weir.server.metrics;

import dev.weir.BuildInfo;
import dev.weir.engine.gate.CircuitBreakers;
import dev.weir.engine.gate.Gates;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.schedule.Scheduler;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What is true now, read when scraped: queues, schedule lag, pools, circuits; with the build's
 * version and the JVM's standard metrics.
 */
public final class ServerGauges {
  private final PrometheusRegistry registry;

  private ServerGauges(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** Registers the server's gauges, {@code weir_build_info} and the JVM's metrics. */
  public static void register(
      PrometheusRegistry registry,
      RunLauncher launcher,
      Gates gates,
      Scheduler scheduler,
      RunMetrics runs,
      InstantSource clock) {
    var g = new ServerGauges(registry);
    BuildInfo build = BuildInfo.current();
    Info.builder()
        .name("weir_build_info")
        .help("The Weir version and commit this server runs (the value is 1).")
        .labelNames("version", "commit")
        .register(registry)
        .setLabelValues(build.version(), build.commit());
    registry.register(JvmCollector.INSTANCE);
    g.gauge(
        "weir_runs_queued",
        "Runs waiting for their flow's concurrency limit (stored QUEUED, not started).",
        cb -> cb.call(launcher.queue().runs()));
    g.gauge(
        "weir_runs_going",
        "Runs this server is executing now.",
        cb -> cb.call(launcher.handles().size()));
    g.gauge(
        "weir_tasks_queued",
        "Task runs waiting to start: for the flow's parallelism, a pool or an open circuit.",
        cb -> cb.call(runs.tasksQueued()));
    g.gauge(
        "weir_tasks_waiting",
        "Sensors (wait.sql, wait.file, wait.http) between two checks: task runs WAITING now.",
        cb -> cb.call(runs.tasksWaiting()));
    g.gauge(
        "weir_oldest_queued_seconds",
        "Age of the oldest queued run (kind=run) and task run (kind=task); 0 when none waits.",
        cb -> {
          Instant now = clock.instant();
          cb.call(age(launcher.queue().oldest(), now), "run");
          cb.call(age(runs.oldestQueuedTask(), now), "task");
        },
        "kind");
    g.gauge(
        "weir_schedule_lag_seconds",
        "How late the last schedule slot fired: from the slot's time to its run being stored.",
        cb -> cb.call(scheduler.lastLag().map(d -> d.toNanos() / 1e9).orElse(0.0)));
    g.gauge(
        "weir_pool_size",
        "Tasks a pool lets run at once (pools: in the config).",
        cb -> gates.pools().sizes().forEach((name, size) -> cb.call(size, name)),
        "pool");
    g.gauge(
        "weir_pool_in_use",
        "Tasks holding a slot of the pool now.",
        cb -> gates.pools().sizes().keySet().forEach(n -> cb.call(gates.pools().inUse(n), n)),
        "pool");
    g.gauge(
        "weir_pool_waiting",
        "Tasks waiting for a slot of the pool now.",
        cb -> gates.pools().sizes().keySet().forEach(n -> cb.call(gates.pools().waiting(n), n)),
        "pool");
    g.gauge(
        "weir_circuit_breaker_state",
        "Circuit of each connection used so far: 0 closed, 1 half-open, 2 open.",
        cb ->
            gates
                .breakers()
                .statuses()
                .forEach((connection, status) -> cb.call(code(status.state()), connection)),
        "connection");
  }

  private void gauge(
      String name, String help, Consumer<GaugeWithCallback.Callback> read, String... labels) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .callback(read)
        .register(registry);
  }

  static int code(CircuitBreakers.State s) {
    return switch (s) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  private static double age(Optional<Instant> since, Instant now) {
    return since.map(t -> Math.max(0, Duration.between(t, now).toNanos() / 1e9)).orElse(0.0);
  }
}
