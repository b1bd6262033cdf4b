package dev.weir.bench;

import dev.weir.store.TaskRunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Where a {@code sql.models} task run's time went, from its stored steps and the store's timed
 * writes: before the first step, inside steps, between steps, after the last; and the store's
 * writes and log appends meanwhile.
 */
final class EngineShare {
  private EngineShare() {}

  static String of(TimedStore store, String runId, TaskRunRecord task) {
    List<TaskRunRecord> steps =
        store.taskRuns(runId).stream()
            .filter(r -> r.taskId().startsWith(task.taskId() + "/") && r.startedAt() != null)
            .sorted(Comparator.comparing(TaskRunRecord::startedAt))
            .toList();
    long[] each = new long[steps.size()];
    int i = 0;
    long inside = 0;
    long between = 0;
    Instant lastEnd = null;
    for (TaskRunRecord s : steps) {
      inside += ms(s.startedAt(), s.endedAt());
      each[i++] = ms(s.startedAt(), s.endedAt());
      if (lastEnd != null) {
        between += ms(lastEnd, s.startedAt());
      }
      lastEnd = s.endedAt();
    }
    var w = store.writes();
    long[] logs = store.logs();
    long writeNanos = 0;
    for (long d : w.durations()) {
      writeNanos += d;
    }
    return String.format(
        Locale.ROOT,
        "%d steps: before the first %d µs, inside steps %d µs, between %d µs, after the last %d µs;"
            + " step p50 %d p90 %d max %d µs;"
            + " store: %d writes (%d rows) %.0f ms, %d log lines in %d appends %.0f ms",
        steps.size(),
        steps.isEmpty() ? 0 : ms(task.startedAt(), steps.get(0).startedAt()),
        inside,
        between,
        lastEnd == null ? 0 : ms(lastEnd, task.endedAt()),
        Stats.percentile(each, 50),
        Stats.percentile(each, 90),
        java.util.Arrays.stream(each).max().orElse(0),
        w.count(),
        w.totalRows(),
        writeNanos / 1e6,
        logs[1],
        logs[0],
        logs[2] / 1e6);
  }

  private static long ms(Instant a, Instant b) {
    return Duration.between(a, b).toNanos() / 1000;
  }
}
