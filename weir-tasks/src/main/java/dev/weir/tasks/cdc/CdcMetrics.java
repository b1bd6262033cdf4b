package dev.weir.tasks.cdc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stream did: events, batches, rows by operation, and lag from the source's commit to the
 * target's commit (streamed changes only; snapshot rows have no source commit). Lags are kept in a
 * ring of the last {@value #WINDOW} for percentiles. Written by the batch thread, read by the
 * progress line: methods are synchronized, and cheap next to a target commit.
 */
final class CdcMetrics {
  private static final int WINDOW = 100_000;

  private final long startNanos = System.nanoTime();
  private final long[] lags = new long[WINDOW];
  private int lagCount;
  private long events;
  private long batches;
  private long snapshotRows;
  private long inserts;
  private long updates;
  private long deletes;
  private long truncates;
  private long written;
  private long lastProgressEvents;
  private long lastProgressNanos = startNanos;
  private long firstBatchNanos;
  private long lastBatchNanos;
  private long handlingNanos;

  /**
   * Counts a batch applied to the target.
   *
   * @param startNanos when the batch was handed over ({@link System#nanoTime()})
   * @return the lag of each change of the batch that has a source time, in milliseconds
   */
  synchronized long[] batch(
      List<Change> changes, int rowsWritten, long commitMillis, long startNanos) {
    if (batches == 0) {
      firstBatchNanos = startNanos;
    }
    lastBatchNanos = System.nanoTime();
    handlingNanos += lastBatchNanos - startNanos;
    if (!changes.isEmpty()) {
      batches++; // not a batch of only a heartbeat or the caught-up mark
    }
    written += rowsWritten;
    long[] batchLags = new long[changes.size()];
    int timed = 0;
    for (Change c : changes) {
      events++;
      switch (c.op()) {
        case SNAPSHOT -> snapshotRows++;
        case INSERT -> inserts++;
        case UPDATE -> updates++;
        case DELETE -> deletes++;
        case TRUNCATE -> truncates++;
      }
      if (c.sourceMillis() > 0) {
        long lag = Math.max(0, commitMillis - c.sourceMillis());
        lags[lagCount++ % WINDOW] = lag;
        batchLags[timed++] = lag;
      }
    }
    return timed == batchLags.length ? batchLags : Arrays.copyOf(batchLags, timed);
  }

  synchronized long events() {
    return events;
  }

  /** Lag percentile in milliseconds over the window; 0 when nothing streamed yet. */
  synchronized long lagPercentile(double p) {
    int n = Math.min(lagCount, WINDOW);
    if (n == 0) {
      return 0;
    }
    long[] sorted = Arrays.copyOf(lags, n);
    Arrays.sort(sorted);
    return sorted[(int) Math.min(n - 1, Math.ceil(p / 100.0 * n) - 1)];
  }

  /**
   * Events per second from the first batch handed over to the last one committed: the rate of
   * applying, without the engine's start-up or the idle time of a quiet source.
   */
  synchronized double eventsPerSecond() {
    double seconds = (lastBatchNanos - firstBatchNanos) / 1e9;
    return seconds <= 0 ? 0 : events / seconds;
  }

  /** A progress line: totals, and the rate since the last line. */
  synchronized String progress() {
    long now = System.nanoTime();
    double seconds = Math.max(1e-3, (now - lastProgressNanos) / 1e9);
    double rate = (events - lastProgressEvents) / seconds;
    lastProgressEvents = events;
    lastProgressNanos = now;
    return String.format(
        java.util.Locale.ROOT,
        "%d events applied in %d batches (%d snapshot rows, %d inserts, %d updates, %d deletes);"
            + " %.0f events/s; lag p50 %d ms, p99 %d ms",
        events,
        batches,
        snapshotRows,
        inserts,
        updates,
        deletes,
        rate,
        lagPercentile(50),
        lagPercentile(99));
  }

  /** The task's outputs. */
  synchronized Map<String, Object> outputs() {
    var out = new LinkedHashMap<String, Object>();
    out.put("events", events);
    out.put("batches", batches);
    out.put("snapshotRows", snapshotRows);
    out.put("inserts", inserts);
    out.put("updates", updates);
    out.put("deletes", deletes);
    out.put("truncates", truncates);
    out.put("rowsWritten", written);
    out.put("lagP50Ms", lagPercentile(50));
    out.put("lagP99Ms", lagPercentile(99));
    out.put("eventsPerSecond", Math.round(eventsPerSecond()));
    // how much of that the task spent decoding and writing, the rest being Debezium's reading
    out.put("applyMillis", handlingNanos / 1_000_000);
    return out;
  }
}
