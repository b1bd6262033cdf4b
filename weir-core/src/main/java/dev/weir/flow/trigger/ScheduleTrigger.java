package dev.weir.flow.trigger;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fires at the slots of a cron schedule, read as wall-clock time in {@code timezone} (see {@link
 * CronSchedule} for DST).
 *
 * @param timezone UTC when the YAML names none
 * @param catchup what to do about slots missed while no scheduler looked; LATEST by default
 * @param start no slot before it fires (inclusive); null for no bound
 * @param end no slot after it fires (inclusive); null for no bound
 */
public record ScheduleTrigger(
    String id,
    CronSchedule cron,
    ZoneId timezone,
    Catchup catchup,
    Instant start,
    Instant end,
    Map<String, String> inputs,
    boolean disabled)
    implements TriggerDef {
  public static final String TYPE = "schedule";

  public ScheduleTrigger {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cron, "cron");
    timezone = timezone == null ? ZoneOffset.UTC : timezone;
    catchup = catchup == null ? Catchup.LATEST : catchup;
    if (start != null && end != null && !end.isAfter(start)) {
      throw new IllegalArgumentException("end " + end + " is not after start " + start);
    }
    inputs = TriggerDef.copy(inputs);
  }

  @Override
  public String type() {
    return TYPE;
  }

  /**
   * What to fire now, and the mark to keep for next time.
   *
   * @param slots the slots to start runs for, oldest first (their logical dates)
   * @param mark how far the schedule has been looked at: pass it as {@code lastMark} next time
   */
  public record Due(List<Instant> slots, Instant mark) {
    public Due {
      slots = List.copyOf(slots);
    }
  }

  /**
   * The first slot after {@code t} within {@code [start, end]}: when the schedule fires next once
   * the scheduler has looked at {@code t}. Empty when the schedule is over.
   */
  public Optional<Instant> nextSlotAfter(Instant t) {
    Instant after = start != null && t.isBefore(start) ? start.minusNanos(1) : t;
    return cron.nextAfter(after, timezone).filter(next -> end == null || !next.isAfter(end));
  }

  /** The slots to fire now; see {@link #evaluate}. */
  public List<Instant> due(Instant lastMark, Instant now, int max) {
    return evaluate(lastMark, now, max).slots();
  }

  /**
   * Applies the catch-up policy. The <em>window</em> is the slots after {@code lastMark} up to and
   * including {@code now}, and only those in {@code [start, end]}:
   *
   * <ul>
   *   <li>{@code lastMark} null means the scheduler never looked at this trigger. Then the window
   *       begins at {@code start} (inclusive) if there is one; without {@code start} it is empty: a
   *       new schedule begins when it is first seen and does not fire for the past.
   *   <li>{@link Catchup#ALL}: every slot of the window, oldest first, at most {@code max}; when
   *       more remain, the mark is the last slot returned so that the next call continues there.
   *   <li>{@link Catchup#LATEST}: the newest slot of the window, if any.
   *   <li>{@link Catchup#NONE}: the newest slot of the window only when it is the only one — the
   *       scheduler looked after the slot before it, so it was running when this slot came due.
   *       When {@code lastMark} is null, or two or more slots were missed, nothing fires: the mark
   *       just advances. A slot is therefore fired at most one interval late, never caught up.
   * </ul>
   *
   * <p>Otherwise the mark is {@code now} (never earlier than {@code lastMark}), so a slot is never
   * offered twice. Disabled triggers are the caller's business: this only does the schedule math.
   *
   * @param lastMark the {@link Due#mark()} of the previous call, or null for the first
   * @param max the most slots to return, at least 1
   */
  public Due evaluate(Instant lastMark, Instant now, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    Instant mark = lastMark != null && lastMark.isAfter(now) ? lastMark : now;
    Instant to = end != null && end.isBefore(now) ? end : now;
    Instant from; // exclusive
    if (lastMark == null) {
      if (start == null || catchup == Catchup.NONE) {
        return new Due(List.of(), mark);
      }
      from = start.minusNanos(1);
    } else {
      from = start != null && lastMark.isBefore(start) ? start.minusNanos(1) : lastMark;
    }
    if (!to.isAfter(from)) {
      return new Due(List.of(), mark);
    }
    return switch (catchup) {
      case ALL -> all(from, to, max, mark);
      case LATEST -> new Due(latest(from, to).stream().toList(), mark);
      case NONE -> new Due(onlyOne(from, to).stream().toList(), mark);
    };
  }

  private Due all(Instant from, Instant to, int max, Instant mark) {
    List<Instant> slots = cron.slotsBetween(from, to, timezone, max + 1);
    if (slots.size() <= max) {
      return new Due(slots, mark);
    }
    List<Instant> first = slots.subList(0, max);
    return new Due(first, first.get(max - 1));
  }

  private Optional<Instant> latest(Instant from, Instant to) {
    return cron.latestAtOrBefore(to, timezone).filter(s -> s.isAfter(from));
  }

  private Optional<Instant> onlyOne(Instant from, Instant to) {
    Optional<Instant> first = cron.nextAfter(from, timezone);
    return first.filter(f -> !f.isAfter(to)).filter(f -> latest(from, to).equals(Optional.of(f)));
  }
}
