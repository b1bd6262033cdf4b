package dev.weir.server.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * client_java's standard {@code jvm_*} and {@code process_*} metrics, in a registry of their own
 * made once per JVM, added to each server's registry as one collector. Not the default registry: a
 * library in the same JVM may use that one. Not registered on each server's registry either: {@code
 * JvmMetrics} keeps every registry it was given in a static set and adds GC listeners each time, so
 * each server of a test JVM would stay in memory for good.
 */
final class JvmCollector implements MultiCollector {
  private static final class Holder {
    static final PrometheusRegistry JVM = jvm();

    private static PrometheusRegistry jvm() {
      var r = new PrometheusRegistry();
      JvmMetrics.builder().register(r);
      return r;
    }
  }

  static final JvmCollector INSTANCE = new JvmCollector();

  private JvmCollector() {}

  @Override
  public MetricSnapshots collect() {
    return Holder.JVM.scrape();
  }
}
