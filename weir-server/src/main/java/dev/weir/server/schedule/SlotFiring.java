package dev.weir.server.schedule;

import dev.weir.WeirException;
import dev.weir.flow.trigger.Catchup;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.schedule.Scheduler.Plan;
import dev.weir.server.store.ServerStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the due slots of schedules into runs for the {@link Scheduler}: evaluates each plan's
 * catch-up, records the slots and marks in the store and starts the runs, either together in one
 * transaction or one schedule at a time. Moves each plan's mark and next due time on, and keeps how
 * late the last slot fired.
 */
final class SlotFiring {
  // logged under the scheduler's name, as before the split
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final FlowRegistry flows;
  private final RunLauncher launcher;
  private final dev.weir.engine.Engine engine;
  private final ServerStore store;
  private final InstantSource clock;
  private final java.util.concurrent.ExecutorService firing =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  // up to twice the store pool: each fire waits on the store most of its time
  private final java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(16);
  private volatile Duration lastLag;

  SlotFiring(
      dev.weir.engine.Engine engine,
      FlowRegistry flows,
      RunLauncher launcher,
      ServerStore store,
      InstantSource clock) {
    this.engine = engine;
    this.flows = flows;
    this.launcher = launcher;
    this.store = store;
    this.clock = clock;
  }

  /** How late the last slot fired: from its time to its run being stored; empty before any. */
  java.util.Optional<Duration> lastLag() {
    return java.util.Optional.ofNullable(lastLag);
  }

  private void fired(Instant slot) {
    lastLag = Duration.between(slot, clock.instant());
  }

  /**
   * Fires the due slots of these schedules in one transaction: their runs, the record of each slot
   * and the new marks are stored together, so a crash keeps all of it or none (and the slots fire
   * after the restart). A slot recorded before (a fire one by one cut short) sends the whole group
   * one by one instead, where a recorded slot is skipped.
   */
  int fireTogether(List<Plan> group, Instant now) {
    if (!launcher.accepting()) {
      group.forEach(p -> p.next = now.plusSeconds(1)); // stopping: fired on the next start
      return 0;
    }
    var fires = new ArrayList<ServerStore.Fire>();
    var marks = new ArrayList<ServerStore.Mark>();
    var runs = new ArrayList<RunLauncher.Prepared>();
    var dues = new LinkedHashMap<Plan, ScheduleTrigger.Due>();
    var alone = new ArrayList<Plan>(); // given a concurrency limit since the tick sorted them
    for (Plan p : group) {
      ScheduleTrigger t = p.trigger;
      FlowKey k = p.key.flow();
      DeployedFlow flow = flows.get(k).orElse(null);
      if (flow != null && flow.flow().concurrency() != null) {
        alone.add(p);
        continue;
      }
      var due = t.evaluate(p.mark, now, Scheduler.MAX_SLOTS_PER_TICK);
      dues.put(p, due);
      if (flow != null && flow.enabled() && !t.disabled()) {
        for (Instant slot : due.slots()) {
          String runId = null;
          try {
            var inputs =
                engine.renderTriggerInputs(flow.flow(), "schedule", t.inputs(), data(t, slot));
            var prepared =
                launcher.prepare(
                    flow, new RunLauncher.Request(inputs, "schedule", slot, data(t, slot)));
            runs.add(prepared);
            runId = prepared.run().run().id();
          } catch (WeirException e) {
            log.warn(
                "schedule {}/{} could not start a run for {}: {}", k, t.id(), slot, e.getMessage());
          }
          fires.add(
              new ServerStore.Fire(k.namespace(), k.id(), t.id(), slot.toString(), now, runId));
        }
      }
      if (!due.mark().equals(p.mark)) {
        marks.add(new ServerStore.Mark(k.namespace(), k.id(), t.id(), due.mark()));
      }
    }
    int fired = fireEach(alone, now);
    try {
      launcher.launchAll(runs, c -> ServerStore.write(c, fires, marks));
    } catch (WeirException e) {
      log.info("{} schedule(s) fire one by one: {}", dues.size(), e.getMessage());
      return fired + fireEach(List.copyOf(dues.keySet()), now);
    }
    for (var f : fires) {
      if (f.runId() != null) {
        fired(Instant.parse(f.key()));
        log.info(
            "schedule {}/{}/{} fired for {}: run {}",
            f.namespace(),
            f.flowId(),
            f.triggerId(),
            f.key(),
            f.runId());
      }
    }
    for (Plan p : dues.keySet()) {
      var due = dues.get(p);
      p.mark = due.mark();
      boolean more =
          p.trigger.catchup() == Catchup.ALL && due.slots().size() == Scheduler.MAX_SLOTS_PER_TICK;
      p.next = more ? now : Scheduler.nextDue(p.trigger, p.mark);
    }
    return fired + runs.size();
  }

  private static Map<String, Object> data(ScheduleTrigger t, Instant slot) {
    var data = new LinkedHashMap<String, Object>();
    data.put("id", t.id());
    data.put("slot", slot.toString());
    data.put("cron", t.cron().expression());
    data.put("timezone", t.timezone().getId());
    return data;
  }

  // each schedule its own few store round trips, side by side when there are many
  int fireEach(List<Plan> ready, Instant now) {
    if (ready.size() == 1) {
      return evaluate(ready.get(0), now);
    }
    int fired = 0;
    var futures = new ArrayList<java.util.concurrent.Future<Integer>>();
    for (Plan p : ready) {
      futures.add(
          firing.submit(() -> {
            permits.acquire();
            try {
              return evaluate(p, now);
            } finally {
              permits.release();
            }
          }));
    }
    for (var f : futures) {
      try {
        fired += f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        log.warn("a schedule failed to fire: {}", e.getCause().toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return fired;
  }

  private int evaluate(Plan p, Instant now) {
    ScheduleTrigger t = p.trigger;
    var due = t.evaluate(p.mark, now, Scheduler.MAX_SLOTS_PER_TICK);
    DeployedFlow flow = flows.get(p.key.flow()).orElse(null);
    boolean fire = flow != null && flow.enabled() && !t.disabled();
    int fired = 0;
    for (Instant slot : due.slots()) {
      if (fire && fire(flow, t, slot, now)) {
        fired++;
      }
    }
    if (!due.mark().equals(p.mark)) {
      store.setMark(p.key.flow().namespace(), p.key.flow().id(), t.id(), due.mark());
      p.mark = due.mark();
    }
    boolean more = t.catchup() == Catchup.ALL && due.slots().size() == Scheduler.MAX_SLOTS_PER_TICK;
    p.next = more ? now : Scheduler.nextDue(t, p.mark);
    return fired;
  }

  private boolean fire(DeployedFlow flow, ScheduleTrigger t, Instant slot, Instant now) {
    FlowKey k = flow.key();
    if (!store.markFired(k.namespace(), k.id(), t.id(), slot.toString(), now)) {
      return false; // fired before (a restart while this slot was being handled)
    }
    var data = data(t, slot);
    try {
      var inputs = engine.renderTriggerInputs(flow.flow(), "schedule", t.inputs(), data);
      var started = launcher.start(flow, new RunLauncher.Request(inputs, "schedule", slot, data));
      started
          .run()
          .ifPresent(
              r -> store.setFiredRun(k.namespace(), k.id(), t.id(), slot.toString(), r.id()));
      fired(slot);
      log.info(
          "schedule {}/{} fired for {} ({}): {}",
          k,
          t.id(),
          slot,
          started.outcome(),
          started.run().map(r -> r.id()).orElse(started.reason()));
      return true;
    } catch (WeirException e) {
      log.warn("schedule {}/{} could not start a run for {}: {}", k, t.id(), slot, e.getMessage());
      return false;
    }
  }

  /** Stops the threads that fire schedules side by side. */
  void close() {
    firing.shutdown();
  }
}
