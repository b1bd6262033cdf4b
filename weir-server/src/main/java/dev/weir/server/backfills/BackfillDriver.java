package dev.weir.server.backfills;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the runs of the RUNNING backfills, oldest slot first, while fewer than {@code parallel} of
 * a backfill's runs are queued or running; ends a backfill when all its runs have ended. Everything
 * that changes a backfill happens on one thread, so a run is never started for a backfill that was
 * just paused or cancelled. It acts when a run ends, when asked, and on a periodic tick that also
 * covers runs that ended while it was not listening (before it started, across a restart). In a
 * cluster only the node holding the flows lease drives backfills (any node creates, pauses or
 * cancels them): a slot is never started by two nodes, and a backfill goes on on the node that
 * takes the lease when its driver dies.
 */
final class BackfillDriver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackfillDriver.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BackfillStore store;
  private final FlowRegistry flows;
  private final RunLauncher launcher;
  private final Engine engine;
  private final InstantSource clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("weir-backfills").factory());
  private volatile boolean closed;
  private final java.util.function.BooleanSupplier drives;

  BackfillDriver(
      BackfillStore store,
      FlowRegistry flows,
      RunLauncher launcher,
      Engine engine,
      InstantSource clock,
      Duration tick,
      java.util.function.BooleanSupplier drives) {
    this.drives = drives;
    this.store = store;
    this.flows = flows;
    this.launcher = launcher;
    this.engine = engine;
    this.clock = clock;
    launcher.onRunEnded(this::runEnded);
    thread.scheduleWithFixedDelay(
        this::tick, 0, Math.max(10, tick.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code work} on the driver's thread and waits for it. */
  <T> T call(Callable<T> work) {
    try {
      return thread.submit(work).get();
    } catch (RejectedExecutionException e) {
      throw new WeirException("the server is shutting down; try again when it is back");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new WeirException(String.valueOf(e.getCause()), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WeirException("interrupted");
    }
  }

  /** Asks for a step of this backfill soon, without waiting. */
  void poke(String id) {
    try {
      thread.execute(() -> safely(id));
    } catch (RejectedExecutionException e) {
      // shutting down: the next start picks the backfill up
    }
  }

  private void runEnded(RunRecord run) {
    if (!Backfills.TRIGGER.equals(run.trigger()) || run.triggerData() == null) {
      return;
    }
    try {
      String id = JSON.readTree(run.triggerData()).path("backfill").asText(null);
      if (id != null) {
        poke(id);
      }
    } catch (IOException e) {
      log.warn("run {}: unreadable trigger data: {}", run.id(), e.toString());
    }
  }

  private void tick() {
    try {
      store.inStates(EnumSet.of(BackfillState.RUNNING)).forEach(b -> safely(b.id()));
    } catch (RuntimeException e) {
      log.warn("checking backfills failed: {}", e.toString());
    }
  }

  private void safely(String id) {
    try {
      step(id);
    } catch (RuntimeException e) {
      log.warn("backfill {}: {}", id, e.toString());
    }
  }

  /**
   * Starts what the backfill may start now, and ends it when every slot is done. Only on the
   * driver's thread.
   */
  void step(String id) {
    if (closed || !drives.getAsBoolean()) {
      return; // in a cluster one node drives every backfill: the one that watches the flows
    }
    Backfill b = store.find(id).orElse(null);
    if (b == null || (b.state() != BackfillState.RUNNING && b.state() != BackfillState.FAILED)) {
      return;
    }
    List<Slot> slots = adoptOrphans(b, store.slots(id));
    if (b.state() == BackfillState.RUNNING) {
      startRuns(b, slots);
      slots = store.slots(id);
    }
    if (slots.stream().noneMatch(s -> s.pending() || s.inFlight())) {
      settle(b, slots);
    }
  }

  private void startRuns(Backfill b, List<Slot> slots) {
    long inFlight = slots.stream().filter(Slot::inFlight).count();
    DeployedFlow flow = flows.get(b.flow()).orElse(null);
    for (Slot s : slots) {
      if (inFlight >= b.parallel() || closed || Backfills.waiting(flow, b, launcher) != null) {
        return;
      }
      if (s.pending()) {
        RunState started = start(b, flow, s);
        if (started == null) {
          return;
        }
        if (!started.isTerminal()) {
          inFlight++;
        }
      }
    }
  }

  /**
   * Starts the slot's run. Returns its state, or null when it must wait (the flow at its limit, the
   * server stopping); a slot whose run cannot be made at all gets an error and counts as ended.
   */
  private RunState start(Backfill b, DeployedFlow flow, Slot s) {
    if (!store.tryClaim(b.id(), s.no(), clock.instant())) {
      return null; // claimed meanwhile: the next step finds its run
    }
    var data = new LinkedHashMap<String, Object>();
    data.put("backfill", b.id());
    data.put("slot", s.logicalDate().toString());
    data.put("schedule", b.triggerId());
    RunLauncher.Started started;
    try {
      Map<String, String> inputs =
          flow.flow().triggers().stream()
              .filter(t -> t instanceof ScheduleTrigger && t.id().equals(b.triggerId()))
              .findFirst()
              .map(
                  t -> engine.renderTriggerInputs(flow.flow(), Backfills.TRIGGER, t.inputs(), data))
              .orElse(Map.of());
      started =
          launcher.start(
              flow, new RunLauncher.Request(inputs, Backfills.TRIGGER, s.logicalDate(), data));
    } catch (RuntimeException e) {
      store.claim(b.id(), s.no(), null);
      if (!launcher.accepting() || e instanceof RunLauncher.FlowDisabledException) {
        return null;
      }
      log.warn("backfill {}: no run for slot {}: {}", b.id(), s.logicalDate(), e.getMessage());
      store.setError(b.id(), s.no(), e.getMessage());
      return RunState.FAILED;
    }
    if (started.run().isEmpty()) {
      store.claim(b.id(), s.no(), null);
      return null;
    }
    RunRecord run = started.run().get();
    // should this write fail, the slot stays claimed and the next step finds the run
    store.setRun(b.id(), s.no(), run.id());
    return run.state();
  }

  /**
   * A slot claimed but without a run id: the server stopped between making the run and noting it.
   * Find that run rather than make a second one.
   */
  private List<Slot> adoptOrphans(Backfill b, List<Slot> slots) {
    boolean changed = false;
    for (Slot s : slots) {
      if (s.claimedAt() != null && s.pending()) {
        var run = store.findRun(b, s.logicalDate());
        if (run.isPresent()) {
          store.setRun(b.id(), s.no(), run.get());
          log.info("backfill {}: slot {} has run {}", b.id(), s.logicalDate(), run.get());
        } else {
          store.claim(b.id(), s.no(), null);
        }
        changed = true;
      }
    }
    return changed ? store.slots(b.id()) : slots;
  }

  // every slot has ended: SUCCEEDED when every run did (also after a failed one was retried)
  private void settle(Backfill b, List<Slot> slots) {
    Map<String, Long> by =
        slots.stream()
            .collect(
                Collectors.groupingBy(Slot::status, LinkedHashMap::new, Collectors.counting()));
    long ok = by.getOrDefault(RunState.SUCCEEDED.name(), 0L);
    if (ok == slots.size()) {
      if (store.transition(
          b.id(),
          EnumSet.of(BackfillState.RUNNING, BackfillState.FAILED),
          BackfillState.SUCCEEDED,
          clock.instant(),
          null)) {
        log.info("backfill {} of {} succeeded: {} runs", b.id(), b.flow(), ok);
      }
    } else if (b.state() == BackfillState.RUNNING) {
      by.remove(RunState.SUCCEEDED.name());
      String why =
          (slots.size() - ok)
              + " of "
              + slots.size()
              + " slots did not succeed ("
              + by.entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .collect(Collectors.joining(", "))
              + ")";
      if (store.transition(
          b.id(), EnumSet.of(BackfillState.RUNNING), BackfillState.FAILED, clock.instant(), why)) {
        log.warn("backfill {} of {} failed: {}", b.id(), b.flow(), why);
      }
    }
  }

  /** Stops acting; what a backfill has not started yet is started by the next server. */
  @Override
  public void close() {
    closed = true;
    // no interrupt: an interrupted H2 connection can close the database file under everyone
    thread.shutdown();
    try {
      if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("the backfill driver did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
