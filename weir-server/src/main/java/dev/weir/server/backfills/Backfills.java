package dev.weir.server.backfills;

import dev.weir.WeirException;
import dev.weir.engine.Engine;
import dev.weir.flow.Concurrency;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.flow.trigger.TriggerDef;
import dev.weir.server.NotFoundException;
import dev.weir.server.flows.DeployedFlow;
import dev.weir.server.flows.FlowKey;
import dev.weir.server.flows.FlowRegistry;
import dev.weir.server.runs.RunLauncher;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backfills: one run of a flow per slot of its schedule trigger in a past range, with {@code
 * run.logicalDate} the slot and the trigger type {@value #TRIGGER}, at most {@code parallel} at a
 * time, oldest first. Runs go through the {@link RunLauncher}, so they count against the flow's
 * {@code concurrency} like any other. Progress is in the store: a restarted server goes on where
 * the last one stopped. See docs/server.md, "Backfills".
 */
public final class Backfills implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Backfills.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The trigger type of a backfill's runs; {@code trigger.backfill} is the backfill's id. */
  public static final String TRIGGER = "backfill";

  /** The most runs one backfill keeps going at once. */
  public static final int MAX_PARALLEL = 100;

  private final BackfillStore store;
  private final FlowRegistry flows;
  private final RunLauncher launcher;
  private final InstantSource clock;
  private final BackfillDriver driver;

  public Backfills(
      DataSource ds, FlowRegistry flows, RunLauncher launcher, Engine engine, InstantSource clock) {
    this(ds, flows, launcher, engine, clock, () -> true);
  }

  /**
   * @param drives whether this node drives the backfills now (in a cluster, the node holding the
   *     flows lease); the others create, pause and cancel them
   */
  public Backfills(
      DataSource ds,
      FlowRegistry flows,
      RunLauncher launcher,
      Engine engine,
      InstantSource clock,
      java.util.function.BooleanSupplier drives) {
    this.store = new BackfillStore(ds);
    this.flows = flows;
    this.launcher = launcher;
    this.clock = clock;
    this.driver =
        new BackfillDriver(store, flows, launcher, engine, clock, Duration.ofSeconds(1), drives);
  }

  /**
   * What a person asks for.
   *
   * @param from the first day (or date-time) of the range; see {@link BackfillRange}
   * @param to the last day (or date-time), inclusive
   * @param parallel runs at once, 1 when null
   * @param trigger the schedule trigger whose slots to run; null when the flow has only one
   */
  public record Request(FlowKey flow, String from, String to, Integer parallel, String trigger) {}

  /**
   * A backfill and how far it got.
   *
   * @param counts slots by {@link Slot#status()}: PENDING, ERROR, or their run's state
   * @param slots every slot with its run (empty in lists)
   * @param waiting why a RUNNING backfill starts no run now (its flow is disabled, at its limit…)
   */
  public record Progress(
      Backfill backfill, Map<String, Integer> counts, List<Slot> slots, String waiting) {
    public int count(String status) {
      return counts.getOrDefault(status, 0);
    }
  }

  /** The request conflicts with the backfill's state or another backfill (HTTP 409). */
  public static final class ConflictException extends WeirException {
    ConflictException(String message) {
      super(message);
    }
  }

  /** What a request asks for, checked: the flow, its schedule, the range and its slots. */
  record Plan(
      DeployedFlow flow,
      ScheduleTrigger trigger,
      BackfillRange range,
      List<Instant> slots,
      int parallel) {}

  /**
   * Checks a request as {@link #create} does, without storing anything. Both go through here, so a
   * preview refuses exactly what a create would.
   */
  private Plan plan(Request r) {
    DeployedFlow flow = flows.require(r.flow());
    if (!flow.enabled()) {
      throw new RunLauncher.FlowDisabledException(
          "flow "
              + flow.key()
              + " is disabled, and a disabled flow runs nothing, backfills included; enable it"
              + " first (POST /api/v1/flows/"
              + flow.key()
              + "/enable). To keep only its schedule quiet while backfilling, set `disabled:"
              + " true` on the schedule trigger: a backfill still follows its cron");
    }
    int parallel = r.parallel() == null ? 1 : r.parallel();
    if (parallel < 1 || parallel > MAX_PARALLEL) {
      throw new WeirException(
          "'parallel' must be 1 to " + MAX_PARALLEL + " (runs at once), got " + parallel);
    }
    ScheduleTrigger trigger = schedule(flow, r.trigger());
    BackfillRange range = BackfillRange.parse(r.from(), r.to(), trigger.timezone());
    return new Plan(flow, trigger, range, range.slots(trigger), parallel);
  }

  /** Refuses a range that an active backfill of the same flow covers in part. */
  private void refuseOverlap(FlowKey flow, Instant from, Instant to) {
    for (Backfill other : store.inStates(BackfillStore.ACTIVE)) {
      if (other.overlaps(flow, from, to)) {
        throw new ConflictException(
            "backfill "
                + other.id()
                + " of "
                + other.flow()
                + " ("
                + other.from()
                + " to "
                + other.to()
                + ") is "
                + other.state()
                + " and overlaps this range; wait for it to end or cancel it (POST"
                + " /api/v1/backfills/"
                + other.id()
                + "/cancel)");
      }
    }
  }

  /**
   * What {@link #create} would do with this request, creating nothing: each slot's logical date and
   * the runs the flow already has for it.
   *
   * @throws WeirException and its subtypes exactly when {@link #create} would, as it would
   */
  public BackfillPreview preview(Request r) {
    Plan p = plan(r);
    driver.call(() -> {
      refuseOverlap(p.flow().key(), p.range().from(), p.range().to());
      return null;
    });
    List<Instant> slots = p.slots();
    var existing =
        store.runsAt(p.flow().key(), slots.get(0), slots.get(slots.size() - 1), PREVIEW_RUNS);
    return BackfillPreview.of(p, existing);
  }

  /** The most earlier runs a preview looks at. */
  static final int PREVIEW_RUNS = 50_000;

  /**
   * Creates a backfill and starts its first runs.
   *
   * @throws NotFoundException for an unknown flow
   * @throws RunLauncher.FlowDisabledException when the flow is disabled
   * @throws ConflictException when an active backfill of the flow overlaps the range
   * @throws WeirException for a bad range, trigger or parallelism, naming what would work
   */
  public Progress create(Request r) {
    Plan p = plan(r);
    List<Instant> slots = p.slots();
    ScheduleTrigger trigger = p.trigger();
    int parallel = p.parallel();
    var b =
        new Backfill(
            newId(clock.instant()),
            p.flow().key(),
            trigger.id(),
            p.range().from(),
            p.range().to(),
            parallel,
            BackfillState.RUNNING,
            slots.size(),
            clock.instant(),
            null,
            null);
    driver.call(() -> {
      refuseOverlap(b.flow(), b.from(), b.to());
      store.insert(b, slots);
      return null;
    });
    log.info(
        "backfill {} of {}: {} slots of '{}' from {} to {}, {} at a time",
        b.id(),
        b.flow(),
        slots.size(),
        trigger.id(),
        slots.get(0),
        slots.get(slots.size() - 1),
        parallel);
    driver.poke(b.id());
    return get(b.id());
  }

  private static ScheduleTrigger schedule(DeployedFlow flow, String name) {
    List<ScheduleTrigger> schedules =
        flow.flow().triggers().stream()
            .filter(t -> t instanceof ScheduleTrigger)
            .map(t -> (ScheduleTrigger) t)
            .toList();
    String known =
        schedules.isEmpty()
            ? "it has none"
            : "its schedule triggers: "
                + schedules.stream().map(ScheduleTrigger::id).collect(Collectors.joining(", "));
    if (name != null && !name.isBlank()) {
      TriggerDef t =
          flow.flow().triggers().stream()
              .filter(d -> d.id().equals(name))
              .findFirst()
              .orElseThrow(() ->
                  new WeirException(
                      "flow " + flow.key() + " has no trigger '" + name + "' (" + known + ")"));
      if (t instanceof ScheduleTrigger s) {
        return s;
      }
      throw new WeirException(
          "trigger '"
              + name
              + "' of flow "
              + flow.key()
              + " is a "
              + t.type()
              + " trigger; a backfill follows the slots of a schedule trigger ("
              + known
              + ")");
    }
    if (schedules.isEmpty()) {
      throw new WeirException(
          "flow "
              + flow.key()
              + " has no schedule trigger, so there are no slots to backfill; add one to the"
              + " flow (triggers: [{id: daily, type: schedule, cron: \"0 5 * * *\"}]) and name"
              + " it if there are several, or start single runs for past dates with POST"
              + " /api/v1/flows/"
              + flow.key()
              + "/runs {\"logicalDate\": \"2026-03-26T05:00:00Z\"}");
    }
    if (schedules.size() > 1) {
      throw new WeirException(
          "flow "
              + flow.key()
              + " has "
              + schedules.size()
              + " schedule triggers ("
              + known.substring("its schedule triggers: ".length())
              + "); name the one whose slots to run with \"trigger\" (--trigger on the command"
              + " line)");
    }
    return schedules.get(0);
  }

  /** The backfill with every slot. */
  public Progress get(String id) {
    Backfill b = require(id);
    List<Slot> slots = store.slots(id);
    Map<String, Integer> counts = new LinkedHashMap<>();
    slots.forEach(s -> counts.merge(s.status(), 1, Integer::sum));
    return new Progress(b, counts, slots, waitingNow(b));
  }

  /** Newest first, without their slots; {@code flow} and {@code state} filter when not null. */
  public List<Progress> list(FlowKey flow, BackfillState state, int limit) {
    return store.list(flow, state, limit).stream()
        .map(b -> new Progress(b, store.counts(b.id()), List.of(), waitingNow(b)))
        .toList();
  }

  /** Stops making runs; the ones going finish. */
  public Progress pause(String id) {
    move(id, BackfillState.RUNNING, BackfillState.PAUSED, "paused");
    return get(id);
  }

  /** Makes runs again after {@link #pause}. */
  public Progress resume(String id) {
    move(id, BackfillState.PAUSED, BackfillState.RUNNING, "resumed");
    driver.poke(id);
    return get(id);
  }

  private void move(String id, BackfillState from, BackfillState to, String verb) {
    driver.call(() -> {
      Backfill b = require(id);
      if (!store.transition(id, EnumSet.of(from), to, null, null)) {
        throw new ConflictException(
            "backfill " + id + " is " + b.state() + "; only a " + from + " one can be " + verb);
      }
      log.info("backfill {} of {} {}", id, b.flow(), verb);
      return null;
    });
  }

  /** Makes no more runs and cancels the queued and running ones. */
  public Progress cancel(String id, String reason) {
    driver.call(() -> {
      Backfill b = require(id);
      if (!store.transition(
          id, BackfillStore.ACTIVE, BackfillState.CANCELLED, clock.instant(), reason)) {
        throw new ConflictException(
            "backfill " + id + " already ended " + b.state() + "; there is nothing to cancel");
      }
      for (Slot s : store.slots(id)) {
        if (s.inFlight()) {
          try {
            launcher.cancel(s.runId(), "backfill " + id + " was cancelled");
          } catch (WeirException e) {
            log.debug("run {} of backfill {} not cancelled: {}", s.runId(), id, e.getMessage());
          }
        }
      }
      log.info("backfill {} of {} cancelled: {}", id, b.flow(), reason);
      return null;
    });
    return get(id);
  }

  private Backfill require(String id) {
    return store
        .find(id)
        .orElseThrow(() ->
            new NotFoundException(
                "no backfill '" + id + "'; list them with GET /api/v1/backfills"));
  }

  private String waitingNow(Backfill b) {
    return b.state() == BackfillState.RUNNING
        ? waiting(flows.get(b.flow()).orElse(null), b, launcher)
        : null;
  }

  /** Why the backfill cannot start a run now, or null when it can. */
  static String waiting(DeployedFlow flow, Backfill b, RunLauncher launcher) {
    if (flow == null) {
      return "flow "
          + b.flow()
          + " is not deployed on this server; the backfill goes on when it is";
    }
    if (!flow.enabled()) {
      return "flow " + b.flow() + " is disabled; the backfill goes on when it is enabled";
    }
    Concurrency c = flow.flow().concurrency();
    if (c != null && c.onLimit() != Concurrency.OnLimit.QUEUE) {
      int busy = launcher.active(flow.key());
      if (busy >= c.limit()) {
        return "flow "
            + b.flow()
            + " has "
            + busy
            + " run(s) going (concurrency limit "
            + c.limit()
            + ", onLimit: "
            + c.onLimit().name().toLowerCase(java.util.Locale.ROOT)
            + "); the next run starts when one ends";
      }
    }
    return null;
  }

  private static String newId(Instant now) {
    var sb = new StringBuilder("bf_").append(Long.toString(now.toEpochMilli(), 36));
    String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 6; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    driver.close();
  }
}
