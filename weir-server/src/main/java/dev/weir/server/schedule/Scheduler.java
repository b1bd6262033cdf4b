package dev.weir.server.schedule;

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
  private final ServerStore store;
  private final InstantSource clock;
  private final Map<Key, Plan> plans = new HashMap<>();
  private final PriorityQueue<Plan> due = new PriorityQueue<>(Comparator.comparing(Plan::next));
  private final Object wake = new Object();
  private final SlotFiring firing;
  private volatile Map<String, Instant> preloaded;
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
    this.flows = flows;
    this.store = store;
    this.clock = clock;
    this.firing = new SlotFiring(engine, flows, launcher, store, clock);
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
    return firing.lastLag();
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
    int fired = firing.fireEach(limited, now);
    for (int from = 0; from < free.size(); from += BATCH) {
      fired += firing.fireTogether(free.subList(from, Math.min(free.size(), from + BATCH)), now);
    }
    for (Plan p : ready) {
      if (p.next != null && plans.get(p.key) == p) {
        due.add(p);
      }
    }
    return fired;
  }

  /** When the schedule is due next after its mark; null when it is over. */
  static Instant nextDue(ScheduleTrigger t, Instant mark) {
    return t.nextSlotAfter(mark).orElse(null);
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
    firing.close();
    if (thread != null) {
      thread.interrupt();
    }
  }
}
