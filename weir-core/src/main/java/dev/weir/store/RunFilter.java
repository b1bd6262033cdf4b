package dev.weir.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which runs a {@link RunSearch} looks at; nulls and empty sets mean "any".
 *
 * @param states runs in any of these states
 * @param triggers runs whose trigger ({@link RunRecord#trigger()}: manual, api, schedule, backfill,
 *     webhook, file, flow…) is any of these
 * @param window runs created (or started) in a time range
 * @param duration runs whose duration ({@code ended - started}) is in a range; runs that have not
 *     ended have no duration yet and are left out when a bound is given
 */
public record RunFilter(
    String namespace,
    String flowId,
    Set<RunState> states,
    Set<String> triggers,
    TimeWindow window,
    DurationRange duration) {
  public static final RunFilter ANY = new RunFilter(null, null, Set.of(), Set.of(), null, null);

  public RunFilter {
    states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
    triggers = triggers == null ? Set.of() : Set.copyOf(new LinkedHashSet<>(triggers));
    if (window != null && window.from() == null && window.to() == null) {
      window = null;
    }
    if (duration != null && duration.min() == null && duration.max() == null) {
      duration = null;
    }
  }

  /** Which time of a run a {@link TimeWindow} compares. */
  public enum TimeField {
    CREATED,
    STARTED
  }

  /**
   * Runs whose {@code field} is at or after {@code from} and before {@code to}; a run not started
   * is outside every window on {@link TimeField#STARTED}.
   */
  public record TimeWindow(TimeField field, Instant from, Instant to) {
    public TimeWindow {
      field = field == null ? TimeField.CREATED : field;
      if (from != null && to != null && !from.isBefore(to)) {
        throw new IllegalArgumentException(
            "the time range must start before it ends, got from "
                + from
                + " to "
                + to
                + "; e.g. from 2026-11-21T00:00:00Z to 2026-11-22T00:00:00Z");
      }
    }
  }

  /** Durations from {@code min} to {@code max}, both included; either may be null. */
  public record DurationRange(Duration min, Duration max) {
    public DurationRange {
      for (Duration d : new Duration[] {min, max}) {
        if (d != null && d.isNegative()) {
          throw new IllegalArgumentException(
              "a duration bound must not be negative, got " + d.toMillis() + " ms");
        }
      }
      if (min != null && max != null && min.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            "the minimum duration ("
                + min.toMillis()
                + " ms) is above the maximum ("
                + max.toMillis()
                + " ms)");
      }
    }
  }

  public RunFilter withFlow(String newNamespace, String newFlowId) {
    return new RunFilter(newNamespace, newFlowId, states, triggers, window, duration);
  }

  public RunFilter withStates(Collection<RunState> newStates) {
    return new RunFilter(
        namespace,
        flowId,
        newStates.isEmpty() ? Set.of() : EnumSet.copyOf(newStates),
        triggers,
        window,
        duration);
  }

  public RunFilter withStates(RunState... newStates) {
    return withStates(java.util.List.of(newStates));
  }

  public RunFilter withTriggers(Collection<String> newTriggers) {
    return new RunFilter(namespace, flowId, states, Set.copyOf(newTriggers), window, duration);
  }

  public RunFilter within(TimeField field, Instant from, Instant to) {
    return new RunFilter(
        namespace, flowId, states, triggers, new TimeWindow(field, from, to), duration);
  }

  public RunFilter lasting(Duration min, Duration max) {
    return new RunFilter(namespace, flowId, states, triggers, window, new DurationRange(min, max));
  }
}
