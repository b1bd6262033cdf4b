package dev.weir.server.alerts;

import dev.weir.engine.StreamEvent;
import dev.weir.flow.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when a stream task is late ({@code sla.lag}): a batch whose p99 lag passes the SLA, or
 * changes waiting unapplied longer than it (a stalled stream applies no batch), start an episode,
 * told once; a batch back under it ends the episode, so the next breach is told again (the alert
 * rule's throttle still applies).
 */
final class StreamLag {
  private final Set<String> lagging = ConcurrentHashMap.newKeySet();

  /** Why this batch is late, when it starts an episode; empty otherwise. */
  Optional<String> late(StreamEvent.BatchApplied batch, Duration sla) {
    String key = batch.runId() + "/" + batch.taskId();
    if (batch.lagMillis().length == 0) {
      return Optional.empty();
    }
    long p99 = p99(batch.lagMillis());
    if (p99 <= sla.toMillis()) {
      lagging.remove(key);
      return Optional.empty();
    }
    if (!lagging.add(key)) {
      return Optional.empty();
    }
    return Optional.of(
        "task "
            + batch.taskId()
            + " applies changes "
            + Durations.format(Duration.ofMillis(p99))
            + " after their source commit (p99 of a batch of "
            + batch.changes()
            + "), more than the SLA's lag of "
            + Durations.format(sla));
  }

  /**
   * Why changes waiting unapplied are late, when that starts an episode; empty otherwise. Waiting
   * under the SLA ends no episode: only an applied batch shows the stream caught up.
   */
  Optional<String> late(StreamEvent.Waiting waiting, Duration sla) {
    if (waiting.oldestLagMillis() <= sla.toMillis()
        || !lagging.add(waiting.runId() + "/" + waiting.taskId())) {
      return Optional.empty();
    }
    return Optional.of(
        "task "
            + waiting.taskId()
            + " has "
            + waiting.changes()
            + " changes waiting unapplied, the oldest committed in the source "
            + Durations.format(Duration.ofMillis(waiting.oldestLagMillis()))
            + " ago, more than the SLA's lag of "
            + Durations.format(sla)
            + " (its target hangs, or its batches keep failing)");
  }

  void runEnded(String runId) {
    lagging.removeIf(k -> k.startsWith(runId + "/"));
  }

  static long p99(long[] lags) {
    long[] sorted = lags.clone();
    Arrays.sort(sorted);
    int at = (int) Math.ceil(sorted.length * 0.99) - 1;
    return sorted[Math.max(0, Math.min(at, sorted.length - 1))];
  }
}
