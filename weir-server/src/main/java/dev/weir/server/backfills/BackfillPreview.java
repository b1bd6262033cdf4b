package dev.weir.server.backfills;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weir.flow.TaskDef;
import dev.weir.flow.trigger.ScheduleTrigger;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.RunState;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backfill would do, before it exists: every slot's logical date, and for each whether it is
 * a first run for that date or runs the date again beside the flow's earlier runs of it. A backfill
 * never cancels or deletes an earlier run; what running a date again does to the data is up to the
 * flow's loads, so the preview reads their {@code mode} to say whether the new run replaces the
 * earlier run's rows or adds them a second time.
 *
 * @param from the first instant of the range, as the backfill would store it
 * @param to the last instant of the range (inclusive)
 * @param loads the flow's {@code jdbc.load} tasks and their modes, in flow order
 * @param rerun what a run of a date that already has runs does to their rows
 */
public record BackfillPreview(
    FlowKey flow,
    String triggerId,
    String cron,
    ZoneId timezone,
    Instant from,
    Instant to,
    int parallel,
    List<PlannedSlot> slots,
    List<Load> loads,
    Fate rerun) {

  /** What happens to one slot. */
  public enum Fate {
    /** The flow has no run for this logical date yet: the backfill makes the first. */
    NEW,
    /**
     * Runs of this date exist; every load of the flow replaces or upserts, so the new run's rows
     * replace theirs.
     */
    REPLACES,
    /** Runs of this date exist and a load appends: their rows would be added a second time. */
    DUPLICATES,
    /**
     * Runs of this date exist; the flow has no {@code jdbc.load}, so what a second run does to the
     * data it writes is not known here.
     */
    RUNS_AGAIN
  }

  /**
   * One slot.
   *
   * @param earlier the flow's runs for this logical date, oldest first (the backfill leaves them as
   *     they are)
   */
  public record PlannedSlot(Instant logicalDate, Fate fate, List<EarlierRun> earlier) {}

  /** A run the flow already has for a slot's logical date. */
  public record EarlierRun(String id, RunState state, String trigger, Instant createdAt) {}

  /**
   * A {@code jdbc.load} task; {@code mode} as written ({@code append} when the task names none).
   */
  public record Load(String task, String table, String mode) {
    boolean appends() {
      return mode.equalsIgnoreCase("append");
    }
  }

  /** How many slots have this fate. */
  public int count(Fate fate) {
    return (int) slots.stream().filter(s -> s.fate() == fate).count();
  }

  static BackfillPreview of(Backfills.Plan plan, List<BackfillStore.EarlierRun> runs) {
    var byDate = new HashMap<Instant, List<EarlierRun>>();
    for (BackfillStore.EarlierRun r : runs) {
      byDate
          .computeIfAbsent(r.logicalDate(), d -> new ArrayList<>())
          .add(new EarlierRun(r.id(), r.state(), r.trigger(), r.createdAt()));
    }
    List<Load> loads = loads(plan.flow().flow().allTasks());
    Fate rerun = rerun(loads);
    var slots = new ArrayList<PlannedSlot>(plan.slots().size());
    for (Instant slot : plan.slots()) {
      List<EarlierRun> earlier = byDate.getOrDefault(slot, List.of());
      slots.add(new PlannedSlot(slot, earlier.isEmpty() ? Fate.NEW : rerun, List.copyOf(earlier)));
    }
    ScheduleTrigger t = plan.trigger();
    return new BackfillPreview(
        plan.flow().key(),
        t.id(),
        t.cron().expression(),
        t.timezone(),
        plan.range().from(),
        plan.range().to(),
        plan.parallel(),
        List.copyOf(slots),
        loads,
        rerun);
  }

  private static List<Load> loads(List<TaskDef> tasks) {
    var out = new ArrayList<Load>();
    for (TaskDef t : tasks) {
      if ("jdbc.load".equals(t.type())) {
        JsonNode mode = t.properties().get("mode");
        JsonNode table = t.properties().get("table");
        out.add(
            new Load(
                t.id(),
                table == null ? null : table.asText(),
                mode == null || mode.isNull() ? "append" : mode.asText()));
      }
    }
    return List.copyOf(out);
  }

  private static Fate rerun(List<Load> loads) {
    if (loads.isEmpty()) {
      return Fate.RUNS_AGAIN;
    }
    return loads.stream().anyMatch(Load::appends) ? Fate.DUPLICATES : Fate.REPLACES;
  }

  /** The fates as the API names them, with the count of each, NEW first. */
  public Map<String, Integer> counts() {
    var out = new java.util.LinkedHashMap<String, Integer>();
    for (Fate f : Fate.values()) {
      out.put(f.name(), count(f));
    }
    return out;
  }
}
