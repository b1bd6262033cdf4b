package dev.weir.server.metrics;

import dev.weir.engine.RunListener;
import dev.weir.engine.StreamEvent;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What continuous tasks (CDC) report, as metrics: changes applied, batch sizes, lag from source
 * commit to target commit (its p50/p99 come from the histogram: {@code histogram_quantile(0.99,
 * rate(weir_stream_lag_seconds_bucket[5m]))}) and lost positions. A batch costs one map read and an
 * atomic add per change's lag.
 */
public final class StreamMetrics implements RunListener {
  static final double[] LAG_BUCKETS = {
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800
  };
  static final double[] BATCH_BUCKETS = {1, 10, 100, 500, 1000, 2500, 5000, 10000, 50000};

  private final Counter changes;
  private final Histogram batchSize;
  private final Histogram lag;
  private final Counter positionsLost;
  private final Gauge waiting;
  private final Map<Key, Series> series = new ConcurrentHashMap<>();

  private record Key(String namespace, String flowId, String taskId) {}

  private record Series(
      CounterDataPoint changes, DistributionDataPoint batchSize, DistributionDataPoint lag) {}

  public StreamMetrics(PrometheusRegistry registry) {
    changes =
        Counter.builder()
            .name("weir_stream_changes_total")
            .help("Source changes a stream task applied to its target.")
            .labelNames("namespace", "flow", "task")
            .withoutExemplars()
            .register(registry);
    batchSize =
        histogram(
            registry,
            "weir_stream_batch_size",
            "Changes per batch a stream task committed to its target.",
            BATCH_BUCKETS);
    lag =
        histogram(
            registry,
            "weir_stream_lag_seconds",
            "Time from a change's commit in the source to its batch's commit in the target.",
            LAG_BUCKETS);
    positionsLost =
        Counter.builder()
            .name("weir_stream_positions_lost_total")
            .help(
                "Times a stream task lost its place in the source (slot dropped, binlog purged),"
                    + " by what it did: resnapshot or fail.")
            .labelNames("namespace", "flow", "task", "action")
            .withoutExemplars()
            .register(registry);
    waiting =
        Gauge.builder()
            .name("weir_stream_oldest_unapplied_seconds")
            .help(
                "How long ago the oldest change a stream task holds unapplied committed in the"
                    + " source (its target hangs, or its batches keep failing); 0 once a batch"
                    + " is applied.")
            .labelNames("namespace", "flow", "task")
            .withoutExemplars()
            .register(registry);
  }

  @Override
  public void streamed(StreamEvent event) {
    switch (event) {
      case StreamEvent.BatchApplied b -> {
        Series s =
            series.computeIfAbsent(
                new Key(b.namespace(), b.flowId(), b.taskId()),
                k -> {
                  String[] labels = {k.namespace(), k.flowId(), k.taskId()};
                  return new Series(
                      changes.labelValues(labels),
                      batchSize.labelValues(labels),
                      lag.labelValues(labels));
                });
        waiting.labelValues(b.namespace(), b.flowId(), b.taskId()).set(0);
        s.changes().inc(b.changes());
        s.batchSize().observe(b.changes());
        for (long ms : b.lagMillis()) {
          s.lag().observe(ms / 1000.0);
        }
      }
      case StreamEvent.Waiting w ->
          waiting
              .labelValues(w.namespace(), w.flowId(), w.taskId())
              .set(w.oldestLagMillis() / 1000.0);
      case StreamEvent.PositionLost p ->
          positionsLost
              .labelValues(
                  p.namespace(), p.flowId(), p.taskId(), p.resnapshotting() ? "resnapshot" : "fail")
              .inc();
    }
  }

  // classic buckets only, as RunMetrics: Weir's bounds are fixed
  private static Histogram histogram(
      PrometheusRegistry registry, String name, String help, double[] bounds) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .labelNames("namespace", "flow", "task")
        .classicOnly()
        .classicUpperBounds(bounds)
        .withoutExemplars()
        .register(registry);
  }
}
