package dev.weir.server.alerts;

import dev.weir.flow.Durations;
import dev.weir.flow.alert.Sla;
import dev.weir.server.flows.FlowKey;
import dev.weir.store.RunRecord;
import dev.weir.store.RunState;
import dev.weir.store.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Decides whether a running run is late: past its {@code maxDuration}, past its {@code deadline} on
 * its logical date, or (automatically) running more than twice the median duration of the flow's
 * last successful runs.
 */
final class SlaWatcher {
  static final int HISTORY = 10;
  static final int MIN_HISTORY = 3;

  private final StateStore store;
  // a flow's median changes only when one of its runs ends
  private final java.util.Map<FlowKey, Optional<Duration>> medians =
      new java.util.concurrent.ConcurrentHashMap<>();

  SlaWatcher(StateStore store) {
    this.store = store;
  }

  /**
   * @return why the run is late, or empty when it is not
   */
  Optional<String> late(Sla sla, RunRecord run, Instant now) {
    if (run.startedAt() == null) {
      return Optional.empty();
    }
    Duration running = Duration.between(run.startedAt(), now);
    if (sla.maxDuration() != null && running.compareTo(sla.maxDuration()) > 0) {
      return Optional.of(
          "running for "
              + Durations.format(running)
              + ", longer than its maxDuration of "
              + Durations.format(sla.maxDuration()));
    }
    if (sla.deadline() != null) {
      Instant day = run.logicalDate() != null ? run.logicalDate() : run.createdAt();
      LocalDate date = day.atZone(sla.timezone()).toLocalDate();
      Instant due = date.atTime(sla.deadline()).atZone(sla.timezone()).toInstant();
      if (now.isAfter(due)) {
        return Optional.of(
            "not finished by its deadline "
                + sla.deadline()
                + " "
                + sla.timezone().getId()
                + " on "
                + date);
      }
    }
    if (sla.auto()) {
      Optional<Duration> median = median(new FlowKey(run.namespace(), run.flowId()));
      if (median.isPresent() && running.compareTo(median.get().multipliedBy(2)) > 0) {
        return Optional.of(
            "running for "
                + Durations.format(running)
                + ", more than twice the median "
                + Durations.format(median.get())
                + " of its last successful runs");
      }
    }
    return Optional.empty();
  }

  /** Forgets what was known of the flow's history: one of its runs ended. */
  void runEnded(FlowKey flow) {
    medians.remove(flow);
  }

  /** The median duration of the flow's last successful runs, when it has enough of them. */
  Optional<Duration> median(FlowKey flow) {
    return medians.computeIfAbsent(flow, this::computeMedian);
  }

  private Optional<Duration> computeMedian(FlowKey flow) {
    var durations =
        store
            .listRuns(
                new StateStore.RunQuery(flow.namespace(), flow.id(), RunState.SUCCEEDED, HISTORY))
            .stream()
            .filter(r -> r.startedAt() != null && r.endedAt() != null)
            .map(r -> Duration.between(r.startedAt(), r.endedAt()))
            .sorted()
            .toList();
    if (durations.size() < MIN_HISTORY) {
      return Optional.empty();
    }
    int n = durations.size();
    return Optional.of(
        n % 2 == 1
            ? durations.get(n / 2)
            : durations.get(n / 2 - 1).plus(durations.get(n / 2)).dividedBy(2));
  }
}
