package dev.weir.server.alerts;

import dev.weir.engine.Engine;
import dev.weir.engine.RunListener;
import dev.weir.engine.StreamEvent;
import dev.weir.expr.Masker;
import dev.weir.flow.Flow;
import dev.weir.flow.RetryPolicy;
import dev.weir.flow.TaskDef;
import dev.weir.flow.alert.AlertEvent;
import dev.weir.flow.alert.AlertRule;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import dev.weir.store.TaskRunRecord;
import dev.weir.store.TaskState;
import dev.weir.tasks.notify.Alert;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flow's {@code alerts:} in the server: hears task failures and run ends, decides which events
 * they are ({@code failed}, {@code retriesExhausted}, {@code recovered}, {@code qualityWarn}),
 * checks running runs against their SLA ({@code slaMissed}) and stream tasks' batches against the
 * SLA's lag, hears lost stream positions ({@code positionLost}), throttles, and hands each alert to
 * the {@link Dispatcher}. Decisions are made one at a time on one thread, in the order runs end, so
 * "failed, then succeeded" is always heard as a recovery.
 */
public final class Alerts implements RunListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Alerts.class);

  private final AlertSettings settings;
  private final StateStore store;
  private final FlowRegistry flows;
  private final InstantSource clock;
  private final Masker masker;
  private final Supplier<String> serverUrl;
  private final AlertStore state;
  private final SlaWatcher sla;
  private final Channels channels;
  private final Dispatcher dispatcher;
  private final ExecutorService decisions =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("weir-alerts").factory());
  private final AtomicInteger deciding = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong runEndsDecided =
      new java.util.concurrent.atomic.AtomicLong();
  private final Set<String> lateRuns = ConcurrentHashMap.newKeySet();
  private final StreamLag streamLag = new StreamLag();

  /**
   * @param serverUrl where the server listens, for links when {@code baseUrl} is not set
   */
  public Alerts(
      AlertSettings settings,
      Engine engine,
      StateStore store,
      DataSource ds,
      FlowRegistry flows,
      InstantSource clock,
      Supplier<String> serverUrl) {
    this.settings = settings;
    this.store = store;
    this.flows = flows;
    this.clock = clock;
    this.masker = engine.masker();
    this.serverUrl = serverUrl;
    this.state = new AlertStore(ds);
    this.sla = new SlaWatcher(store);
    this.channels = new Channels(engine, settings, clock);
    this.dispatcher = new Dispatcher(settings.attempts(), settings.retryDelay(), masker);
    if (settings.smtp() != null) {
      masker.register(settings.smtp().password());
    }
    log.info("alerts: {}", settings);
  }

  /** Hears the end of a run (give it to {@code RunLauncher.onRunEnded}). */
  public void runEnded(RunRecord run) {
    decide(() -> {
      try {
        onRunEnded(run);
      } finally {
        runEndsDecided.incrementAndGet();
      }
    });
  }

  /** How many run ends this server has decided the alerts of (tests wait for it). */
  public long runEndsDecided() {
    return runEndsDecided.get();
  }

  @Override
  public void taskChanged(TaskDef task, TaskRunRecord taskRun) {
    // a failed step is not a failed task: its parent's own end decides (and alerts)
    boolean failed = taskRun.state() == TaskState.FAILED || taskRun.state() == TaskState.TIMED_OUT;
    if (failed && !TaskRunRecord.isStepId(taskRun.taskId())) {
      decide(() -> onTaskFailed(task, taskRun));
    }
  }

  /**
   * Hears a stream task's batches (late ones against {@code sla.lag}) and lost positions. The batch
   * check runs on the task's thread and costs a sort of its lags only for a flow with a lag SLA;
   * alerts are decided on the alerts thread.
   */
  @Override
  public void streamed(StreamEvent event) {
    Flow flow =
        flows
            .get(new FlowKey(event.namespace(), event.flowId()))
            .map(DeployedFlow::flow)
            .orElse(null);
    if (flow == null) {
      return;
    }
    switch (event) {
      case StreamEvent.BatchApplied b -> {
        if (flow.sla().lag() != null && hears(flow, AlertEvent.SLA_MISSED)) {
          streamLag
              .late(b, flow.sla().lag())
              .ifPresent(why -> decide(() -> raiseForRun(flow, b, AlertEvent.SLA_MISSED, why)));
        }
      }
      case StreamEvent.Waiting w -> {
        if (flow.sla().lag() != null && hears(flow, AlertEvent.SLA_MISSED)) {
          streamLag
              .late(w, flow.sla().lag())
              .ifPresent(why -> decide(() -> raiseForRun(flow, w, AlertEvent.SLA_MISSED, why)));
        }
      }
      case StreamEvent.PositionLost p -> {
        if (hears(flow, AlertEvent.POSITION_LOST)) {
          decide(() -> raiseForRun(flow, p, AlertEvent.POSITION_LOST, p.detail()));
        }
      }
    }
  }

  private void raiseForRun(Flow flow, StreamEvent event, AlertEvent what, String detail) {
    store
        .findRun(event.runId())
        .ifPresent(run -> {
          log.info("run {} of {}: {}: {}", run.id(), key(run), what.yamlName(), detail);
          raise(flow, what, alert(run, what, event.taskId(), null, detail));
        });
  }

  /** Checks every running run against its flow's SLA (the server calls it every slaInterval). */
  public void checkSlas() {
    Instant now = clock.instant();
    for (RunRecord run :
        store.listRuns(new StateStore.RunQuery(null, null, RunState.RUNNING, 10_000))) {
      if (lateRuns.contains(run.id())) {
        continue;
      }
      Optional<DeployedFlow> f = flows.get(key(run));
      if (f.isEmpty() || !hears(f.get().flow(), AlertEvent.SLA_MISSED)) {
        continue;
      }
      Optional<String> why = sla.late(f.get().flow().sla(), run, now);
      if (why.isPresent()) {
        lateRuns.add(run.id());
        if (state.slaMissed(key(run), run.id(), why.get(), now)) {
          log.info("run {} of {} missed its SLA: {}", run.id(), key(run), why.get());
          raise(
              f.get().flow(),
              AlertEvent.SLA_MISSED,
              alert(run, AlertEvent.SLA_MISSED, null, null, why.get()));
        }
      }
    }
  }

  /** A run that missed its SLA, as recorded when the miss was raised. */
  public record SlaMiss(String runId, FlowKey flow, String reason, Instant raisedAt) {}

  /** The SLA misses raised since {@code since}, newest first, at most {@code limit}. */
  public java.util.List<SlaMiss> slaMisses(Instant since, int limit) {
    return state.slaMisses(since, limit);
  }

  /** True when every run end heard so far is decided and every alert delivered or given up. */
  public boolean idle() {
    return deciding.get() == 0 && dispatcher.idle();
  }

  public AlertSettings settings() {
    return settings;
  }

  private void decide(Runnable work) {
    deciding.incrementAndGet();
    try {
      decisions.execute(() -> {
        try {
          work.run();
        } catch (RuntimeException e) {
          log.warn("deciding alerts failed: {}", masker.mask(String.valueOf(e.getMessage())));
        } finally {
          deciding.decrementAndGet();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      deciding.decrementAndGet();
    }
  }

  private void onRunEnded(RunRecord run) {
    FlowKey key = key(run);
    lateRuns.remove(run.id());
    streamLag.runEnded(run.id());
    sla.runEnded(key);
    Optional<DeployedFlow> deployed = flows.get(key);
    if (deployed.isEmpty() || deployed.get().flow().alerts().isEmpty()) {
      return;
    }
    Flow flow = deployed.get().flow();
    Instant now = clock.instant();
    RunOutcome outcome = RunOutcome.of(flow, run.attempt(), store.taskRuns(run.id()));
    if (run.state() == RunState.FAILED) {
      state.failed(key, run.id(), now);
      String error = outcome.error() != null ? outcome.error() : run.error();
      raise(
          flow,
          AlertEvent.FAILED,
          alert(run, AlertEvent.FAILED, outcome.failedTask(), error, null));
    } else if (run.state() == RunState.SUCCEEDED && state.succeeded(key, run.id(), now)) {
      state.resetThrottles(key);
      raise(
          flow,
          AlertEvent.RECOVERED,
          alert(
              run, AlertEvent.RECOVERED, null, null, "the first successful run after failed ones"));
    }
    if (!outcome.qualityWarnings().isEmpty()) {
      raise(
          flow,
          AlertEvent.QUALITY_WARN,
          alert(
              run,
              AlertEvent.QUALITY_WARN,
              null,
              null,
              String.join("\n", outcome.qualityWarnings())));
    }
  }

  private void onTaskFailed(TaskDef task, TaskRunRecord taskRun) {
    RunRecord run = store.findRun(taskRun.runId()).orElse(null);
    if (run == null) {
      return;
    }
    Flow flow = flows.get(key(run)).map(DeployedFlow::flow).orElse(null);
    if (flow == null || !hears(flow, AlertEvent.RETRIES_EXHAUSTED)) {
      return;
    }
    RetryPolicy policy = task.retry() != null ? task.retry() : flow.retry();
    long failures =
        store.taskRuns(run.id()).stream()
            // by the task run's id: a forEach item's task is `group[key]/task`, not its def's id
            .filter(t -> t.taskId().equals(taskRun.taskId()))
            .filter(t -> t.runAttempt() == taskRun.runAttempt())
            .filter(t -> t.state() == TaskState.FAILED || t.state() == TaskState.TIMED_OUT)
            .count();
    if (policy.attempts() > 1 && failures >= policy.attempts()) {
      raise(
          flow,
          AlertEvent.RETRIES_EXHAUSTED,
          alert(
              run,
              AlertEvent.RETRIES_EXHAUSTED,
              taskRun.taskId(),
              taskRun.error(),
              "failed all " + policy.attempts() + " attempts"));
    }
  }

  private void raise(Flow flow, AlertEvent event, Alert alert) {
    FlowKey key = new FlowKey(flow.namespace(), flow.id());
    for (AlertRule rule : flow.alerts()) {
      if (!rule.hears(event)) {
        continue;
      }
      String what =
          event.yamlName() + " of " + key + " to " + rule.key() + " (run " + alert.runId() + ")";
      boolean send =
          event == AlertEvent.RECOVERED
              || state.claim(
                  key,
                  event.yamlName(),
                  rule.key(),
                  clock.instant(),
                  rule.throttle() != null ? rule.throttle() : settings.throttle());
      if (send) {
        dispatcher.submit(what, () -> channels.send(flow, rule, event, alert));
      } else {
        log.info("alert {} held back: one went out less than its throttle ago", what);
      }
    }
  }

  private Alert alert(
      RunRecord run, AlertEvent event, String failedTask, String error, String detail) {
    return new Alert(
        event.yamlName(),
        run.namespace(),
        run.flowId(),
        run.id(),
        run.state().name(),
        failedTask,
        masker.mask(error),
        masker.mask(detail),
        settings.link(serverUrl.get(), run.id()),
        clock.instant());
  }

  private static boolean hears(Flow flow, AlertEvent event) {
    return flow.alerts().stream().anyMatch(r -> r.hears(event));
  }

  private static FlowKey key(RunRecord run) {
    return new FlowKey(run.namespace(), run.flowId());
  }

  @Override
  public void close() {
    decisions.shutdown();
    dispatcher.close();
  }
}
