package dev.weir.bench;

import java.util.Arrays;

/** Order statistics over nanosecond samples. */
final class Stats {
  private Stats() {}

  /** The {@code p}-th percentile (0..100), nearest rank. */
  static long percentile(long[] samples, double p) {
    if (samples.length == 0) {
      return 0;
    }
    long[] s = samples.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }

  static long median(long[] samples) {
    return percentile(samples, 50);
  }

  static long median(java.util.List<Long> samples) {
    return percentile(samples, 50);
  }

  static long percentile(java.util.List<Long> samples, double p) {
    return percentile(samples.stream().mapToLong(Long::longValue).toArray(), p);
  }

  static double medianOf(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  static double min(double[] values) {
    return Arrays.stream(values).min().orElse(Double.NaN);
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(Double.NaN);
  }

  static long[] concat(long[]... parts) {
    return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
  }

  static String ms(long nanos) {
    return String.format("%.3f ms", nanos / 1e6);
  }

  static String us(long nanos) {
    return String.format("%.0f µs", nanos / 1e3);
  }
}
