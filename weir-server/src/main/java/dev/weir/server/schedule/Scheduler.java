package dev.weir.server.schedule;

import dev.weir.WeirException;
import dev.weir.flow.trigger.Catchup;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.flow.trigger.TriggerDef;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import dev.weir.server.store.ServerStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the schedule triggers of the server's flows. Each schedule keeps a <em>mark</em> in the
 * store (how far it has been looked at); at each due time the trigger's catch-up policy turns the
 * slots since the mark into runs ({@link ScheduleTrigger#evaluate}). A slot is recorded in the
 * store before its run starts, so it fires once even across a restart. A disabled flow or trigger
 * lets its slots pass without runs: enabling it again does not catch up the disabled time.
 *
 * <p>Time comes from the server's {@link InstantSource}; tests drive {@link #tick()} with a
 * settable clock. In the server a thread sleeps until the next slot is due.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  static final int MAX_SLOTS_PER_TICK = 500;
  // schedules fired in one transaction
  private static final int BATCH = 250;
  private static final Duration IDLE = Duration.ofSeconds(1);

  private final FlowRegistry flows;
  private final RunLauncher launcher;
  private final dev.weir.engine.Engine engine;
  private final ServerStore store;
  private final InstantSource clock;
  private final Map<Key, Plan> plans = new HashMap<>();
  private final PriorityQueue<Plan> due = new PriorityQueue<>(Comparator.comparing(Plan::next));
  private final Object wake = new Object();
  private final java.util.concurrent.ExecutorService firing =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
  // up to twice the store pool: each fire waits on the store most of its time
  private final java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(16);
  private volatile Map<String, Instant> preloaded;
  private volatile Duration lastLag;
  private volatile boolean running;
  private Thread thread;

  record Key(FlowKey flow, String triggerId) {}

  /** One schedule: where it stands and when it is next due (null: evaluate at once). */
  static final class Plan {
    final Key key;
    final ScheduleTrigger trigger;
    Instant mark;
    Instant next;

    Plan(Key key, ScheduleTrigger trigger, Instant mark) {
      this.key = key;
      this.trigger = trigger;
      this.mark = mark;
      this.next = Instant.MIN;
    }

    Instant next() {
      return next;
    }
  }

  public Scheduler(
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
    this.preloaded = new HashMap<>(store.marks()); // one query for every schedule at start
    flows.onChange(this::refresh);
    flows.all().forEach(this::refresh);
    this.preloaded = null;
  }

  /** Starts the thread that fires slots when they come due. */
  public void start() {
    running = true;
    thread = Thread.ofPlatform().daemon().name("weir-scheduler").start(this::loop);
  }

  /** How late the last slot fired: from its time to its run being stored; empty before any. */
  public java.util.Optional<Duration> lastLag() {
    return java.util.Optional.ofNullable(lastLag);
  }

  private void fired(Instant slot) {
    lastLag = Duration.between(slot, clock.instant());
  }

  /** The schedules known now, for the API and tests. */
  public synchronized int size() {
    return plans.size();
  }

  /** A schedule's next slot: when it fires next. */
  public record Upcoming(FlowKey flow, String triggerId, String cron, Instant at) {}

  /**
   * The next slot of every schedule that fires (its flow enabled, the trigger not disabled),
   * soonest first, at most {@code limit}. Read from the deployed flows, not the due queue, so it
   * never waits for a tick that is firing.
   */
  public List<Upcoming> upcoming(int limit) {
    Instant now = clock.instant();
    var out = new ArrayList<Upcoming>();
    for (DeployedFlow f : flows.all()) {
      if (!f.enabled()) {
        continue;
      }
      for (TriggerDef t : f.flow().triggers()) {
        if (t instanceof ScheduleTrigger s && !s.disabled()) {
          Instant next = nextDue(s, now);
          if (next != null) {
            out.add(new Upcoming(f.key(), s.id(), s.cron().expression(), next));
          }
        }
      }
    }
    out.sort(Comparator.comparing(Upcoming::at).thenComparing(u -> u.flow().toString()));
    return List.copyOf(out.subList(0, Math.min(Math.max(0, limit), out.size())));
  }

  /** Re-reads a flow's schedule triggers after a change of revision or enabled state. */
  public void refresh(DeployedFlow flow) {
    synchronized (this) {
      var current = new LinkedHashMap<String, ScheduleTrigger>();
      for (TriggerDef t : flow.flow().triggers()) {
        if (t instanceof ScheduleTrigger s) {
          current.put(s.id(), s);
        }
      }
      plans
          .values()
          .removeIf(p -> {
            boolean gone =
                p.key.flow().equals(flow.key())
                    && !p.trigger.equals(current.get(p.key.triggerId()));
            if (gone) {
              due.remove(p);
            }
            return gone;
          });
      for (ScheduleTrigger s : current.values()) {
        var key = new Key(flow.key(), s.id());
        if (!plans.containsKey(key)) {
          String k = key.flow().namespace() + "/" + key.flow().id() + "/" + s.id();
          Instant mark =
              preloaded != null
                  ? preloaded.get(k)
                  : store.mark(key.flow().namespace(), key.flow().id(), s.id()).orElse(null);
          Plan p = new Plan(key, s, mark);
          plans.put(key, p);
          due.add(p);
        }
      }
    }
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Fires every slot due by now; returns how many runs it asked for. */
  public synchronized int tick() {
    Instant now = clock.instant();
    var ready = new ArrayList<Plan>();
    while (!due.isEmpty() && !due.peek().next.isAfter(now)) {
      ready.add(due.poll());
    }
    // flows with a concurrency limit go one by one through the launcher's count; the others'
    // slots of this instant are stored together, a few hundred runs per transaction
    var limited = new ArrayList<Plan>();
    var free = new ArrayList<Plan>();
    for (Plan p : ready) {
      var flow = flows.get(p.key.flow());
      (flow.isPresent() && flow.get().flow().concurrency() != null ? limited : free).add(p);
    }
    int fired = fireEach(limited, now);
    for (int from = 0; from < free.size(); from += BATCH) {
      fired += fireTogether(free.subList(from, Math.min(free.size(), from + BATCH)), now);
    }
    for (Plan p : ready) {
      if (p.next != null && plans.get(p.key) == p) {
        due.add(p);
      }
    }
    return fired;
  }

  /**
   * Fires the due slots of these schedules in one transaction: their runs, the record of each slot
   * and the new marks are stored together, so a crash keeps all of it or none (and the slots fire
   * after the restart). A slot recorded before (a fire one by one cut short) sends the whole group
   * one by one instead, where a recorded slot is skipped.
   */
  private int fireTogether(List<Plan> group, Instant now) {
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
      var due = t.evaluate(p.mark, now, MAX_SLOTS_PER_TICK);
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
      boolean more = p.trigger.catchup() == Catchup.ALL && due.slots().size() == MAX_SLOTS_PER_TICK;
      p.next = more ? now : nextDue(p.trigger, p.mark);
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
  private int fireEach(List<Plan> ready, Instant now) {
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
    var due = t.evaluate(p.mark, now, MAX_SLOTS_PER_TICK);
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
    boolean more = t.catchup() == Catchup.ALL && due.slots().size() == MAX_SLOTS_PER_TICK;
    p.next = more ? now : nextDue(t, p.mark);
    return fired;
  }

  /** When the schedule is due next after its mark; null when it is over. */
  private static Instant nextDue(ScheduleTrigger t, Instant mark) {
    return t.nextSlotAfter(mark).orElse(null);
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

  private void loop() {
    while (running) {
      try {
        tick();
      } catch (RuntimeException e) {
        log.warn("scheduler tick failed: {}", e.toString());
      }
      long waitMs = waitMillis();
      if (waitMs > 0) {
        synchronized (wake) {
          try {
            wake.wait(waitMs);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }
  }

  private synchronized long waitMillis() {
    Plan first = due.peek();
    if (first == null) {
      return IDLE.toMillis();
    }
    Duration wait = Duration.between(clock.instant(), first.next);
    // compare before toMillis: a slot (or a test clock) ages away overflows a long of millis
    if (wait.isNegative()) {
      return 0;
    }
    return wait.compareTo(IDLE) > 0 ? IDLE.toMillis() : wait.toMillis();
  }

  @Override
  public void close() {
    running = false;
    firing.shutdown();
    if (thread != null) {
      thread.interrupt();
    }
  }
}
