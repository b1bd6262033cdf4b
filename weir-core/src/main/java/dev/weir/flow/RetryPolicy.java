package dev.weir.flow;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often a task is tried and how long to wait between tries.
 *
 * @param attempts total tries, 1 means no retry
 */
public record RetryPolicy(
    int attempts, Backoff backoff, Duration delay, Duration maxDelay, boolean jitter) {
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Backoff.CONSTANT, Duration.ofSeconds(1), Duration.ofMinutes(5), false);

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
    }
    if (backoff == null) {
      backoff = Backoff.CONSTANT;
    }
    if (delay == null) {
      delay = Duration.ofSeconds(1);
    }
    if (maxDelay == null) {
      maxDelay = delay.compareTo(Duration.ofMinutes(5)) > 0 ? delay : Duration.ofMinutes(5);
    }
  }

  /**
   * The wait before the next try after {@code failedAttempt} (1-based) failed. Exponential doubles
   * from {@code delay}, capped at {@code maxDelay}; jitter picks uniformly in [d/2, d].
   */
  public Duration delayAfter(int failedAttempt, RandomGenerator random) {
    Duration d = delay;
    if (backoff == Backoff.EXPONENTIAL) {
      int shift = Math.min(Math.max(failedAttempt - 1, 0), 30);
      d = delay.multipliedBy(1L << shift);
    }
    if (d.compareTo(maxDelay) > 0) {
      d = maxDelay;
    }
    if (jitter && !d.isZero()) {
      long ms = d.toMillis();
      d = Duration.ofMillis(ms / 2 + random.nextLong(ms - ms / 2 + 1));
    }
    return d;
  }
}
